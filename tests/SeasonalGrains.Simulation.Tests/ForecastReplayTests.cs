using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Data.Generation;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Ensemble;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Forecasting.Outlook;
using SeasonalGrains.Grains.Forecasting;
using SeasonalGrains.Simulation.Compare;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>Forecast policies replayed through the grains, with outlooks from the silo's forecast service.</summary>
[Collection(SiloCollection.Name)]
public sealed class ForecastReplayTests(SiloFixture silo)
{
    [Fact]
    public async Task Forecast_policies_through_the_grains_give_the_metrics_and_forecast_logs_of_the_bare_loop()
    {
        var season = Generate(skus: 5, seed: 11);
        var policies = new[]
        {
            Policy("forecast-order-up-to", "seasonal-naive", ("q", 0.9)),
            Policy("forecast-order-up-to", "oracle", ("q", 0.9)),
            Policy("forecast-safety-stock", "ets", ("z", 1.5)),
            Policy("season-aware", "seasonal-naive-yearly", ("q", 0.8)),
        };
        var (input, _) = Build(season.Dataset, windowDays: 100, reviewPeriod: 7, policies);
        var runId = ReplayRunner.NewRunId("forecast-grains");
        using var grainSources = Sources(season, reviewPeriod: 7, "seasonal-naive", "oracle", "ets", "seasonal-naive-yearly");
        using var registration = silo.Services.GetRequiredService<ReplayForecastService>().Register(runId, grainSources);

        // chunks of 10 days: reviews fall inside chunks and on their edges
        var outcome = await new ReplayDriver(silo.Grains, new ReplayDriverOptions { ChunkDays = 10, SkusPerBatch = 3 }).RunAsync(runId, input);

        // the bare loop gets its own sources: equal results come from equal forecasts, not from a shared cache
        using var bareSources = Sources(season, reviewPeriod: 7, "seasonal-naive", "oracle", "ets", "seasonal-naive-yearly");
        foreach (var (policy, result) in input.Policies.Zip(outcome.Policies.Select(p => p.Result)))
        {
            var logs = new ForecastLog?[input.Skus.Count];
            var bare = BareReplay.Run(input, policy, null, bareSources, logs);
            var bySku = result.Skus.ToDictionary(s => s.Sku);
            for (var i = 0; i < bare.Length; i++)
            {
                var grain = bySku[input.Skus[i].Sku];
                Assert.Equal(bare[i], grain.Metrics);
                var expected = logs[i]!;
                var actual = grain.Forecasts!;

                // reviews on days 0, 7, ..., 98 of the 100-day window
                Assert.Equal(Enumerable.Range(0, 15).Select(k => 7 * k), actual.ReviewDays);
                Assert.Equal(expected.ReviewDays, actual.ReviewDays);
                Assert.Equal(expected.IntervalMean, actual.IntervalMean);
                Assert.Equal(expected.IntervalLower, actual.IntervalLower);
                Assert.Equal(expected.IntervalUpper, actual.IntervalUpper);
                Assert.Equal(expected.IntervalActual, actual.IntervalActual);
                Assert.Equal(expected.DayMean, actual.DayMean);
                Assert.Equal(expected.DayMedian, actual.DayMedian);
                Assert.Equal(expected.DayLower, actual.DayLower);
            }

            Assert.True(bare.Sum(m => m.OrdersPlaced) > 0, $"{policy.Label} placed no order");
        }
    }

    [Fact]
    public async Task The_stateful_lstm_through_the_grains_gives_the_metrics_and_forecast_logs_of_the_blocked_bare_loop()
    {
        // an untrained model (its weights do not matter here), daily reviews: every SKU-day is a forecast
        var season = Generate(skus: 12, seed: 5);
        using var model = SmallUntrainedModel(season);
        var (input, _) = Build(season.Dataset, windowDays: 60, reviewPeriod: 1, Policy("forecast-order-up-to", "lstm", ("q", 0.9)));
        ReplayForecastSources Stateful() => ReplayForecastSources.Create(season.Dataset, ["lstm"], new ForecastSourceOptions
        {
            Model = model,
            Lstm = new LstmSourceSettings { Inference = LstmInference.Stateful, RestartDays = 7 },
            Outlook = new OutlookOptions(),
        });

        var runId = ReplayRunner.NewRunId("stateful-grains");
        using var grainSources = Stateful();
        using var registration = silo.Services.GetRequiredService<ReplayForecastService>().Register(runId, grainSources);
        var outcome = await new ReplayDriver(silo.Grains, new ReplayDriverOptions { ChunkDays = 25, SkusPerBatch = 6 }).RunAsync(runId, input);

        using var bareSources = Stateful();
        var logs = new ForecastLog?[input.Skus.Count];
        var bare = BareReplay.Run(input, input.Policies[0], null, bareSources, logs, blockSize: 5);
        // Batches made up differently (here 5 SKUs, there whatever requests waited) may round the float32 model's
        // products differently in the last bit, so forecasts agree to about 1e-7 rather than exactly; no order differs.
        var bySku = outcome.Policies[0].Result.Skus.ToDictionary(s => s.Sku);
        for (var i = 0; i < bare.Length; i++)
        {
            var grain = bySku[input.Skus[i].Sku];
            Assert.Equal(bare[i], grain.Metrics);
            Assert.Equal(Enumerable.Range(0, 60), grain.Forecasts!.ReviewDays);
            AssertClose(logs[i]!.IntervalUpper, grain.Forecasts.IntervalUpper);
            AssertClose(logs[i]!.DayMean, grain.Forecasts.DayMean);
        }

        // 60 reviews of 12 SKUs, and for each SKU's first the error record's 28 earlier origins
        var tracker = grainSources.Stateful("lstm").Tracker;
        Assert.Equal(12 * (60 + 28), tracker.Forecasts);
        Assert.Equal(12 * (60 + 28), bareSources.Stateful("lstm").Tracker.Forecasts);
        Assert.True(grainSources.Stateful("lstm").Batches < 12 * 60, "the grains' requests were not batched");
        Assert.True(bare.Sum(m => m.OrdersPlaced) > 0);
    }

    [Fact]
    public async Task The_ensemble_source_has_the_lstm_as_a_member_only_when_the_run_has_a_model()
    {
        var season = Generate(skus: 3, seed: 7);
        using var model = SmallUntrainedModel(season);

        using var classical = Sources(season, reviewPeriod: 7, "ensemble");
        using var withModel = ReplayForecastSources.Create(season.Dataset, ["lstm", "Ensemble"], new ForecastSourceOptions
        {
            Model = model,
            Outlook = new OutlookOptions { ReviewPeriodDays = 7 },
        });

        var plain = Assert.IsType<EnsembleForecaster>(classical.Provider("ensemble").Forecaster);
        var both = Assert.IsType<EnsembleForecaster>(withModel.Provider("ensemble").Forecaster);
        Assert.Equal(["ets", "croston", "seasonal-naive", "seasonal-naive-yearly"], plain.MemberNames);
        Assert.Equal(["lstm", "ets", "croston", "seasonal-naive", "seasonal-naive-yearly"], both.MemberNames);
        Assert.Same(model, Assert.IsType<LstmForecaster>(both.Members[0].Forecaster).Model);

        // the outlook path of the other forecasters: one outlook per SKU and origin, from the chosen member's forecast
        var outlook = await withModel.OutlookAsync("ensemble", 1, 400);
        var chosen = both.Choices().Single(c => c.SkuIndex == 1 && c.Origin == 400).Member;
        Assert.True(outlook.Quantile(0.9, 0, 7) >= outlook.Quantile(0.5, 0, 7));
        // a member's name, or a blend's ("0.75 lstm + 0.25 ets"): weights and members' names
        Assert.All(chosen.Split(" + "), part => Assert.Contains(part.Split(' ')[^1], both.MemberNames));
    }

    [Fact]
    public void A_replays_ensemble_source_makes_the_first_reviews_choices_before_the_grains_start()
    {
        // the shipped steady scenario, copied so its dataset is generated in a folder of its own
        var folder = Directory.CreateTempSubdirectory("seasonalgrains-ensemble-warmup-").FullName;
        try
        {
            var scenario = Path.Combine(folder, "forecast.json");
            File.Copy(Path.Combine(TestData.RepositoryRoot(), "simulations", "steady", "forecast.json"), scenario);
            var prepared = ReplayRunner.Prepare(new ReplayRequest { ScenarioPath = scenario });

            using var sources = ScenarioForecasts.Create(prepared.Scenario, prepared.Dataset, prepared.Window, ["ensemble"], ["forecast-lookahead"]);

            // every SKU forecast, its member chosen, before any grain asks: at the window's first day and at the four weekly
            // origins before it that its error record reads (28 days back, reviews every 7)
            var provider = sources.Provider("ensemble");
            Assert.Equal(5, provider.ForecastCalls);
            var choices = Assert.IsType<EnsembleForecaster>(provider.Forecaster).Choices();
            var start = prepared.Window.StartIndex;
            Assert.Equal([start - 28, start - 21, start - 14, start - 7, start], choices.Select(c => c.Origin).Distinct().Order());
            Assert.Equal(prepared.Dataset.Skus.Count, choices.Count(c => c.Origin == start));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_review_of_a_run_without_registered_forecasts_fails_with_a_clear_error()
    {
        var season = Generate(skus: 1, seed: 2);
        var (input, _) = Build(season.Dataset, windowDays: 20, reviewPeriod: 7, Policy("forecast-order-up-to", "oracle", ("q", 0.9)));

        var e = await Assert.ThrowsAnyAsync<Exception>(() => new ReplayDriver(silo.Grains).RunAsync(ReplayRunner.NewRunId("unregistered"), input));

        Assert.Contains("has no forecast sources on this silo", e.Message);
    }

    [Fact]
    public void Perfect_foresight_costs_less_than_seasonal_naive_under_the_same_order_up_to_policy()
    {
        // 20 generated down-jacket SKUs, two years from 2022-04-01; the last 180 days (2023-10-04..2024-03-31,
        // the winter) replayed with weekly reviews, lost sales, purchase cost, fixed cost 20 per order, both
        // policies ordering up to the 0.9 quantile of demand over lead time + review period.
        // Measured (seed 5): total cost 1,500,716 (oracle) against 1,597,489 (seasonal naive); fill rate 98.3% against
        // 95.3%; average stock value 52,846 against 101,039; interval MAE 20.6 against 58.3 units.
        var season = Generate(skus: 20, seed: 5);
        var (input, _) = Build(
            season.Dataset,
            windowDays: 180,
            reviewPeriod: 7,
            Policy("forecast-order-up-to", "oracle", ("q", 0.9)),
            Policy("forecast-order-up-to", "seasonal-naive", ("q", 0.9)));
        using var sources = Sources(season, reviewPeriod: 7, "oracle", "seasonal-naive");

        var oracleLogs = new ForecastLog?[input.Skus.Count];
        var naiveLogs = new ForecastLog?[input.Skus.Count];
        var oracle = InventoryMetrics.Sum(BareReplay.Run(input, input.Policies[0], null, sources, oracleLogs));
        var naive = InventoryMetrics.Sum(BareReplay.Run(input, input.Policies[1], null, sources, naiveLogs));
        var oracleAccuracy = ForecastLogAccuracy.Of(oracleLogs.OfType<ForecastLog>());
        var naiveAccuracy = ForecastLogAccuracy.Of(naiveLogs.OfType<ForecastLog>());

        Assert.True(oracle.TotalCost < naive.TotalCost, $"oracle {oracle.TotalCost:N0} vs seasonal naive {naive.TotalCost:N0}");
        Assert.True(oracleAccuracy.IntervalMae < naiveAccuracy.IntervalMae, $"interval MAE oracle {oracleAccuracy.IntervalMae:N1} vs seasonal naive {naiveAccuracy.IntervalMae:N1}");
        Assert.True(oracle.FillRate > naive.FillRate, $"fill rate oracle {oracle.FillRate:P1} vs seasonal naive {naive.FillRate:P1}");
    }

    [Fact]
    public void Policies_with_the_same_forecaster_see_the_same_outlook_on_every_sku_day()
    {
        // common random numbers: the sample paths depend on the seed, the SKU and the day only, so two policies
        // reading one forecaster record identical interval quantiles (read from the paths), not merely similar ones
        var season = Generate(skus: 3, seed: 4);
        var (input, _) = Build(
            season.Dataset,
            windowDays: 60,
            reviewPeriod: 7,
            Policy("forecast-order-up-to", "seasonal-naive", ("q", 0.7)),
            Policy("forecast-safety-stock", "seasonal-naive", ("z", 2)) with { Label = "safety" });
        using var sources = Sources(season, reviewPeriod: 7, "seasonal-naive");

        var a = new ForecastLog?[3];
        var b = new ForecastLog?[3];
        var first = BareReplay.Run(input, input.Policies[0], null, sources, a);
        var second = BareReplay.Run(input, input.Policies[1], null, sources, b);

        Assert.NotEqual(first.Select(m => m.UnitsOrdered), second.Select(m => m.UnitsOrdered));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(a[i]!.IntervalLower, b[i]!.IntervalLower);
            Assert.Equal(a[i]!.IntervalMedian, b[i]!.IntervalMedian);
            Assert.Equal(a[i]!.IntervalUpper, b[i]!.IntervalUpper);
            Assert.Equal(a[i]!.DayLower, b[i]!.DayLower);
            Assert.Equal(a[i]!.DayMedian, b[i]!.DayMedian);
        }
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var j = 0; j < expected.Length; j++)
        {
            Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-6 * Math.Max(1, Math.Abs(expected[j])), $"value {j}: {expected[j]} against {actual[j]}");
        }
    }

    /// <summary>A small untrained model over a season's dataset (2 x 16, window 14, horizon 28): where its weights do not matter.</summary>
    internal static LstmModel SmallUntrainedModel(GeneratedSeason season) => LstmModel.Untrained(
        FeatureSchema.Fit(season.Dataset, window: 14, horizon: 28, fitEndDay: 365),
        new LstmOptions { Window = 14, Horizon = 28, HiddenSize = 16, FutureHidden = 8, Seed = 3 });

    internal static GeneratedSeason Generate(int skus, int seed) =>
        SeasonGenerator.Generate(new GeneratorOptions { Preset = SeasonPresets.DownJackets, Skus = skus, Years = 2, Seed = seed, Start = new DateOnly(2022, 4, 1) });

    internal static PolicyEntry Policy(string name, string forecaster, params (string Key, double Value)[] parameters) => new()
    {
        Name = name,
        Label = $"{name}:{forecaster}",
        Forecaster = forecaster,
        Parameters = parameters.ToDictionary(p => p.Key, p => p.Value),
    };

    internal static (ReplayInput Input, ReplayWindow Window) Build(Dataset dataset, int windowDays, int reviewPeriod, params PolicyEntry[] policies)
    {
        var scenario = new Scenario
        {
            Name = "forecast-test",
            DatasetFolder = "",
            Window = new WindowSpec(null, null, windowDays),
            ReviewPeriodDays = reviewPeriod,
            Costs = new CostSpec { FixedPerOrder = 20, PurchaseCost = true },
            Policies = policies,
        };
        var window = ReplayWindow.Resolve(scenario.Window, null, dataset, "test");
        return (ReplayInputBuilder.Build(scenario, dataset, window), window);
    }

    internal static ReplayForecastSources Sources(GeneratedSeason season, int reviewPeriod, params string[] names) =>
        ReplayForecastSources.Create(season.Dataset, names, new ForecastSourceOptions
        {
            Outlook = new OutlookOptions { ReviewPeriodDays = reviewPeriod },
            Truth = () => TruthTableDemandTruth.Create(season.Truth),
        });
}
