using SeasonalGrains.Forecasting.Baselines;
using static SeasonalGrains.Forecasting.Tests.BaselinesTestData;

namespace SeasonalGrains.Forecasting.Tests;

public class BaselinesTests
{
    public static TheoryData<string> Names() => new(ForecasterRegistry.Default.Baselines.Select(e => e.Name));

    [Fact]
    public void Baseline_names_are_unique_and_as_documented()
    {
        var names = ForecasterRegistry.Default.CreateBaselines().Select(f => f.Name).ToList();
        Assert.Equal(
            ["naive", "seasonal-naive", "seasonal-naive-yearly", "moving-average", "ets", "croston", "tsb"],
            names);
        Assert.Equal("ets", Baseline("ETS").Name);
        Assert.Contains("croston", Assert.Throws<ArgumentException>(() => Baseline("arima")).Message);
    }

    [Fact]
    public void Naive_forecasts_the_last_value_at_every_horizon()
    {
        var forecast = ForecastAfter(new NaiveForecaster(), [1, 2, 3], 4);
        Assert.Equal([3, 3, 3, 3], forecast.Mean);
    }

    [Fact]
    public void Seasonal_naive_repeats_the_last_week()
    {
        double[] history = [9, 9, 9, 9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7];
        var forecast = ForecastAfter(new SeasonalNaiveForecaster(), history, 10);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 1, 2, 3], forecast.Mean);
    }

    [Fact]
    public void Seasonal_naive_with_less_than_a_week_of_history_is_naive()
    {
        var forecast = ForecastAfter(new SeasonalNaiveForecaster(), [4, 8, 6], 3);
        Assert.Equal([6, 6, 6], forecast.Mean);
    }

    [Fact]
    public void Yearly_seasonal_naive_copies_the_days_364_days_earlier()
    {
        var history = Enumerable.Range(0, 400).Select(t => (double)t).ToArray();
        var forecast = ForecastAfter(new YearlySeasonalNaiveForecaster(), history, 3);

        // Day 400 + h - 1 gets day 36 + h - 1, the same weekday 52 weeks earlier.
        Assert.Equal([36, 37, 38], forecast.Mean);
    }

    [Fact]
    public void Yearly_seasonal_naive_falls_back_to_the_last_week_when_history_is_shorter_than_364_days()
    {
        var history = Enumerable.Range(0, 100).Select(t => (double)(t % 7 * 10)).ToArray();
        var forecast = ForecastAfter(new YearlySeasonalNaiveForecaster(), history, 7);

        // Day 100 is weekday 100 mod 7 = 2 of the pattern 0, 10, ..., 60.
        Assert.Equal([20, 30, 40, 50, 60, 0, 10], forecast.Mean);
    }

    [Fact]
    public void Moving_average_is_the_mean_of_the_last_window_days()
    {
        var forecast = ForecastAfter(new MovingAverageForecaster(window: 3), [1, 2, 3, 4, 5, 9], 2);
        Assert.Equal([6, 6], forecast.Mean);

        var shortHistory = ForecastAfter(new MovingAverageForecaster(), [2, 4, 9], 1);
        Assert.Equal([5], shortHistory.Mean);
    }

    [Fact]
    public void Croston_smooths_sizes_and_intervals_between_demands()
    {
        // First demand on day 2: z = 3, p = 3. Next on day 4, two days later:
        // z = 3 + 0.1 (5 - 3) = 3.2, p = 3 + 0.1 (2 - 3) = 2.9. Zero days change nothing.
        var forecast = ForecastAfter(new CrostonForecaster(alpha: 0.1), [0, 0, 3, 0, 5, 0, 0, 0], 3);
        foreach (var value in forecast.Mean)
        {
            Assert.Equal(3.2 / 2.9, value, 12);
        }
    }

    [Fact]
    public void Tsb_decays_the_demand_probability_on_days_without_demand()
    {
        // First demand on day 2: z = 3, d = 1/3. Day 3: d = 0.3. Day 4 (demand 5): d = 0.37, z = 3.2.
        // Days 5, 6, 7: d = 0.333, 0.2997, 0.26973. Forecast d z = 0.863136.
        var forecast = ForecastAfter(new TsbForecaster(alpha: 0.1, beta: 0.1), [0, 0, 3, 0, 5, 0, 0, 0], 2);
        Assert.Equal(0.863136, forecast.Mean[0], 9);
        Assert.Equal(0.863136, forecast.Mean[1], 9);
    }

    [Theory]
    [InlineData("croston")]
    [InlineData("tsb")]
    public void Intermittent_methods_forecast_zero_before_any_demand(string name)
    {
        var forecast = ForecastAfter(Baseline(name), new double[30], 3, 0.1, 0.9);
        Assert.All(forecast.Mean, m => Assert.Equal(0, m));
        Assert.All(forecast.Quantiles, row => Assert.Equal([0, 0], row));
    }

    [Fact]
    public void Ets_recovers_a_constant_series()
    {
        var forecast = ForecastAfter(new EtsForecaster(), Enumerable.Repeat(5.0, 60).ToArray(), 14);
        Assert.All(forecast.Mean, m => Assert.Equal(5, m, 9));
    }

    [Fact]
    public void Ets_recovers_a_straight_trend()
    {
        var history = Enumerable.Range(0, 56).Select(t => 10 + (2.0 * t)).ToArray();
        var forecast = ForecastAfter(new EtsForecaster(), history, 14);
        for (var h = 1; h <= 14; h++)
        {
            Assert.Equal(10 + (2.0 * (56 + h - 1)), forecast.Mean[h - 1], 0.05);
        }
    }

    [Fact]
    public void Ets_recovers_a_weekly_pattern_around_a_level()
    {
        double[] pattern = [-6, -3, 0, 1, 2, 3, 3];
        var history = Enumerable.Range(0, 70).Select(t => 20 + pattern[t % 7]).ToArray();
        var forecast = ForecastAfter(new EtsForecaster(), history, 7);
        for (var h = 1; h <= 7; h++)
        {
            Assert.Equal(20 + pattern[(70 + h - 1) % 7], forecast.Mean[h - 1], 1e-3);
        }
    }

    [Fact]
    public void Ets_on_less_than_two_weeks_is_simple_exponential_smoothing()
    {
        // A constant series is forecast by its level whatever the smoothing weight.
        Assert.All(ForecastAfter(new EtsForecaster(), [4, 4, 4, 4, 4], 3).Mean, m => Assert.Equal(4, m, 12));

        // On a steady rise the error shrinks as the weight grows, so the grid's largest weight,
        // 0.99, is chosen: from level 1 the level moves to 1.99, 2.9899, 3.989899, 4.98989899.
        Assert.Equal(4.98989899, ForecastAfter(new EtsForecaster(), [1, 2, 3, 4, 5], 1).Mean[0], 10);
    }

    [Fact]
    public void Quantiles_are_the_mean_plus_empirical_quantiles_of_in_sample_h_step_errors()
    {
        // 0, 10, 0, 10, ... 0 (21 days). Naive one-step errors are +10 (10 times) and -10 (10 times);
        // two-step errors are all 0. Mean forecast 0.
        var history = Enumerable.Range(0, 21).Select(t => t % 2 == 0 ? 0.0 : 10.0).ToArray();
        var forecast = ForecastAfter(new NaiveForecaster(), history, 2, 0.1, 0.5, 0.9);

        // h = 1: Q0.1 = -10 (clamped to 0), Q0.5 = midway between -10 and 10 = 0, Q0.9 = 10.
        Assert.Equal([0, 0, 10], forecast.Quantiles[0]);

        // h = 2 uses its own errors (all 0), not one-step errors scaled by sqrt(2).
        Assert.Equal([0, 0, 0], forecast.Quantiles[1]);
    }

    [Fact]
    public void With_few_errors_one_step_errors_scaled_by_sqrt_h_stand_in()
    {
        // Naive on 2, 4, 6: one-step errors {2, 2}; only one two-step error, so h = 2 uses 2 sqrt(2).
        var forecast = ForecastAfter(new NaiveForecaster(), [2, 4, 6], 2, 0.5);
        Assert.Equal(8, forecast.Quantiles[0][0], 12);
        Assert.Equal(6 + (2 * Math.Sqrt(2)), forecast.Quantiles[1][0], 12);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Quantiles_are_ordered_non_negative_and_bracket_the_median(string name)
    {
        var history = Noisy(200, seed: 3, sd: 30);
        var forecast = ForecastAfter(Baseline(name), history, 14, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99);
        Assert.Equal(14, forecast.Quantiles.Length);
        foreach (var row in forecast.Quantiles)
        {
            Assert.Equal(7, row.Length);
            Assert.True(row[0] >= 0);
            for (var k = 1; k < row.Length; k++)
            {
                Assert.True(row[k] >= row[k - 1], $"{name}: quantiles {string.Join(", ", row)} are not ascending");
            }

            Assert.True(row[^1] > row[0], $"{name}: the 1%-99% range of noisy demand should not be empty");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forecasts_do_not_read_units_at_or_after_the_origin(string name)
    {
        var units = Noisy(420, seed: 11);
        units[17] = 0;
        units[40] = 0;
        var original = Make(units, Noisy(420, seed: 12));
        var changed = units.ToArray();
        for (var t = 400; t < changed.Length; t++)
        {
            changed[t] = 1_000 + t;
        }

        var perturbed = Make(changed, Noisy(420, seed: 12).Select(v => v * 3).ToArray());
        var forecaster = Baseline(name);
        double[] levels = [0.1, 0.5, 0.9];

        var a = ForecastOne(forecaster, original, 400, 20, levels);
        var b = ForecastOne(forecaster, perturbed, 400, 20, levels);

        Assert.Equal(a.Mean, b.Mean);
        Assert.Equal(a.Quantiles, b.Quantiles);
        Assert.Equal(0, a.SkuIndex);
        Assert.Equal(400, a.Origin);
    }

    [Fact]
    public void Forecasts_come_back_for_the_requested_skus_in_request_order()
    {
        var dataset = Make(Noisy(60, 1), Noisy(60, 2), Noisy(60, 3));
        var forecasts = new MovingAverageForecaster().Forecast(new ForecastRequest(dataset, 50, 5, [0.5], [2, 0]));
        Assert.Equal([2, 0], forecasts.Select(f => f.SkuIndex));
        Assert.Equal(dataset.Series[2].Units.Skip(22).Take(28).Average(), forecasts[0].Mean[0], 9);
    }

    [Fact]
    public void Bad_requests_are_rejected_with_a_clear_message()
    {
        var dataset = Make([1, 2, double.NaN, 4]);
        var naive = new NaiveForecaster();

        var nan = Assert.Throws<ArgumentException>(() => naive.Forecast(new ForecastRequest(dataset, 4, 1, [0.5])));
        Assert.Contains("cleaned", nan.Message);
        Assert.Contains("2024-01-03", nan.Message);

        var noHistory = Assert.Throws<ArgumentException>(() => naive.Forecast(new ForecastRequest(dataset, 0, 1, [0.5])));
        Assert.Contains("history", noHistory.Message);

        var unordered = Assert.Throws<ArgumentException>(() => naive.Forecast(new ForecastRequest(dataset, 2, 1, [0.9, 0.1])));
        Assert.Contains("ascending", unordered.Message);

        Assert.Throws<ArgumentException>(() => naive.Forecast(new ForecastRequest(dataset, 2, 1, [0.5], [3])));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MovingAverageForecaster(window: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrostonForecaster(alpha: 0));
    }

    /// <summary>The baseline of that name with its registered settings, as live SKUs resolve <c>Live:Forecaster</c>.</summary>
    private static IForecaster Baseline(string name) => ForecasterRegistry.Default.Resolve(name, ForecasterUses.Live).Create();
}
