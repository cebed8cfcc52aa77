using SeasonalGrains.Forecasting.Baselines;
using static SeasonalGrains.Forecasting.Tests.BaselinesTestData;

namespace SeasonalGrains.Forecasting.Tests;

public class ForecasterRegistryTests
{
    private const string Baselines = "naive, seasonal-naive, seasonal-naive-yearly, moving-average, ets, croston, tsb";

    private static ForecasterRegistry Registry => ForecasterRegistry.Default;

    [Fact]
    public void Every_forecaster_is_registered_once_with_its_parameters_and_description()
    {
        Assert.Equal(
            ["naive", "seasonal-naive", "seasonal-naive-yearly", "moving-average", "ets", "croston", "tsb", "oracle", "lstm", "lstm-stateful", "ensemble"],
            Registry.Entries.Select(e => e.Name));
        Assert.All(Registry.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Parameters) || string.IsNullOrWhiteSpace(e.Description), e.Name));
        Assert.Equal(["perfect-foresight"], Registry.Find("oracle")!.Aliases);
        Assert.Equal("alpha 0.1, beta 0.1", Registry.Find("tsb")!.Parameters);
        Assert.Equal("window 28 days", Registry.Find("moving-average")!.Parameters);
    }

    [Fact]
    public void Each_place_lists_the_forecasters_it_can_run()
    {
        Assert.Equal(Baselines + ", lstm, lstm-stateful, ensemble", string.Join(", ", Registry.Names(ForecasterUses.Backtest)));
        Assert.Equal(Baselines + ", oracle, perfect-foresight, lstm, ensemble", string.Join(", ", Registry.Names(ForecasterUses.Replay)));
        Assert.Equal(Baselines + ", lstm", string.Join(", ", Registry.Names(ForecasterUses.Live)));
    }

    [Theory]
    [InlineData("ets", ForecasterUses.Live, "ets")]
    [InlineData("LSTM", ForecasterUses.Live, "lstm")]
    [InlineData("ETS", ForecasterUses.Backtest, "ets")]
    [InlineData("Perfect-Foresight", ForecasterUses.Replay, "oracle")]
    [InlineData("LSTM-Stateful", ForecasterUses.Backtest, "lstm-stateful")]
    [InlineData("Ensemble", ForecasterUses.Replay, "ensemble")]
    public void A_name_resolves_ignoring_case_to_its_registered_spelling(string written, ForecasterUses use, string registered)
    {
        Assert.Equal(registered, Registry.Resolve(written, use).Name);
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_names_known_where_it_was_written()
    {
        var live = Assert.Throws<ArgumentException>(() => Registry.Resolve("prophet", ForecasterUses.Live));
        Assert.Null(Registry.TryResolve("prophet", ForecasterUses.Replay, out var replay, where: "forecast-order-up-to:prophet"));

        Assert.StartsWith($"unknown forecaster 'prophet' (known: {Baselines}, lstm)", live.Message, StringComparison.Ordinal);
        Assert.Equal($"unknown forecaster 'prophet' in 'forecast-order-up-to:prophet' (known: {Baselines}, oracle, perfect-foresight, lstm, ensemble)", replay);
    }

    [Theory]
    [InlineData("oracle", ForecasterUses.Backtest, "forecaster 'oracle' cannot be used in a backtest (usable there: " + Baselines + ", lstm, lstm-stateful, ensemble)")]
    [InlineData("lstm-stateful", ForecasterUses.Replay, "forecaster 'lstm-stateful' cannot be used by a forecast policy of a replay (usable there: " + Baselines + ", oracle, perfect-foresight, lstm, ensemble)")]
    [InlineData("ensemble", ForecasterUses.Live, "forecaster 'ensemble' cannot be used by live SKUs (usable there: " + Baselines + ", lstm)")]
    public void A_known_forecaster_is_refused_where_it_cannot_run_with_the_names_that_can(string name, ForecasterUses use, string expected)
    {
        Assert.Null(Registry.TryResolve(name, use, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_registered_baseline_forecasts_as_the_class_with_its_default_settings()
    {
        var history = Noisy(120, seed: 3);
        var direct = new IForecaster[]
        {
            new NaiveForecaster(), new SeasonalNaiveForecaster(), new YearlySeasonalNaiveForecaster(), new MovingAverageForecaster(),
            new EtsForecaster(), new CrostonForecaster(), new TsbForecaster(),
        };

        var registered = Registry.CreateBaselines();

        Assert.Equal(direct.Select(f => f.Name), registered.Select(f => f.Name));
        for (var i = 0; i < direct.Length; i++)
        {
            var expected = ForecastAfter(direct[i], history, 14, 0.1, 0.5, 0.9);
            var actual = ForecastAfter(registered[i], history, 14, 0.1, 0.5, 0.9);
            Assert.Equal(expected.Mean, actual.Mean);
            Assert.Equal(expected.Quantiles, actual.Quantiles);
        }
    }

    [Fact]
    public void A_forecaster_that_needs_a_model_says_which_command_makes_one()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Registry.Resolve("lstm", ForecasterUses.Backtest).Create());

        Assert.Equal("The 'lstm' forecaster needs a trained model folder (made by `seasonal train`).", ex.Message);
    }

    [Fact]
    public void Two_forecasters_whose_names_differ_only_in_case_are_refused()
    {
        var ets = Registry.Find("ets")!;
        var shouting = new ForecasterEntry("ETS", "-", "the same again", ForecasterNeeds.History, ForecasterUses.Live, _ => new EtsForecaster());

        var ex = Assert.Throws<ArgumentException>(() => new ForecasterRegistry([ets, shouting]));

        Assert.Equal("Two forecasters are named 'ets' and 'ETS'; names must differ in more than case.", ex.Message);
    }
}
