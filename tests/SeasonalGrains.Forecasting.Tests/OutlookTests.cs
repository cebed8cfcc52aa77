using SeasonalGrains.Data.Model;
using SeasonalGrains.Domain.Statistics;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Outlook;

namespace SeasonalGrains.Forecasting.Tests;

public sealed class OutlookTests
{
    private const double Z95 = 1.6448536269514722;

    private static readonly double[] Levels = [.. OutlookOptions.DefaultLevels];

    /// <summary>An outlook of <paramref name="days"/> days, each normal(mu, sigma), held as quantiles at the default levels.</summary>
    private static SamplePathOutlook NormalDays(int days, double mu, double sigma, double correlation, int paths, ulong key = 7)
    {
        var scores = QuantileCurve.NormalScores(Levels);
        var curve = QuantileCurve.FromScores(scores, scores.Select(z => mu + (sigma * z)).ToArray());
        return new SamplePathOutlook(
            Enumerable.Repeat(mu, days).ToArray(),
            Enumerable.Repeat(curve, days).ToArray(),
            new SamplePathSettings(paths, correlation),
            key);
    }

    [Fact]
    public void A_forecast_becomes_the_same_outlook_for_replays_and_live_SKUs_reading_interval_totals_when_it_has_them()
    {
        // two days, levels 0.1 / 0.5 / 0.9; the interval head says the two-day total's median is 25 (not 10 + 12)
        var forecast = new SkuForecast(0, 5, [10, 12], [[5, 10, 15], [6, 12, 18]], [0.1, 0.5, 0.9]) { IntervalQuantiles = [[5, 10, 15], [14, 25, 36]] };

        var outlook = ForecastOutlooks.Build(forecast, new OutlookOptions(), "a");

        Assert.IsAssignableFrom<IntervalQuantileOutlook>(outlook);
        Assert.Equal(25, outlook.Quantile(0.5, 0, 2), 9);
        Assert.Equal(36, outlook.Quantile(0.9, 0, 2), 9);
        Assert.Equal(12, outlook.Quantile(0.5, 1, 1), 9);
        Assert.Equal(22, outlook.Mean(0, 2), 9);

        // without interval quantiles (or with them switched off): sample paths over the daily curves, keyed by SKU and origin
        var paths = ForecastOutlooks.Build(forecast with { IntervalQuantiles = null }, new OutlookOptions(), "a");
        var off = ForecastOutlooks.Build(forecast, new OutlookOptions { UseIntervalQuantiles = false }, "a");
        Assert.IsType<SamplePathOutlook>(paths);
        Assert.Equal(paths.Quantile(0.5, 0, 2), off.Quantile(0.5, 0, 2));

        // no error record: the day-0 curve's own spread, (15 - 5) / (2 x 1.2816) = 3.9015
        Assert.Equal(10 / (2 * 1.2815515655446004), outlook.ErrorStandardDeviation!.Value, 6);
        Assert.Equal(2.5, ForecastOutlooks.Build(forecast, new OutlookOptions(), "a", measuredErrorStandardDeviation: 2.5).ErrorStandardDeviation);
    }

    private static double StandardDeviation(double[] sample)
    {
        var mean = sample.Average();
        return Math.Sqrt(sample.Sum(x => (x - mean) * (x - mean)) / (sample.Length - 1));
    }

    [Fact]
    public void The_interval_quantile_of_independent_normal_days_matches_the_normal_sum()
    {
        // 9 days of N(20, 5^2): the sum is N(180, 15^2); its 95% quantile is 180 + 1.6449 x 15 = 204.67.
        // With 4000 paths the Monte Carlo sd of the 95% quantile is about 0.5 and of the sample sd about 0.17.
        var outlook = NormalDays(9, 20, 5, 0, 4000);
        Assert.Equal(180, outlook.Mean(0, 9), 9);
        Assert.InRange(outlook.Quantile(0.95, 0, 9), 204.67 - 2, 204.67 + 2);
        Assert.InRange(outlook.Quantile(0.5, 0, 9), 180 - 1.5, 180 + 1.5);
        Assert.InRange(outlook.Quantile(0.05, 0, 9), 155.33 - 2, 155.33 + 2);
        Assert.InRange(StandardDeviation(outlook.Sample(0, 9)), 15 - 0.7, 15 + 0.7);
    }

    [Fact]
    public void Summing_per_day_quantiles_overstates_the_upper_quantile_of_the_interval()
    {
        // Per-day 95% quantile 20 + 1.6449 x 5 = 28.224; nine of them add to 254.02, but the interval's
        // 95% quantile is 204.67: the sum is 49 units (about 3.3 sd of the interval) too high.
        // Adding quantiles is right only for comonotone days (correlation 1), which the test also shows.
        var perDaySum = 9 * (20 + (Z95 * 5));
        var independent = NormalDays(9, 20, 5, 0, 4000).Quantile(0.95, 0, 9);
        var comonotone = NormalDays(9, 20, 5, 1, 4000).Quantile(0.95, 0, 9);
        Assert.Equal(254.02, perDaySum, 2);
        Assert.True(perDaySum - independent > 45, $"per-day sum {perDaySum:F2} vs interval quantile {independent:F2}");
        Assert.InRange(comonotone, perDaySum - 3, perDaySum + 3);
    }

    [Fact]
    public void A_gaussian_copula_correlation_widens_the_sum_as_the_closed_form_says()
    {
        // correlation 0.5 between any two of 9 N(20, 5^2) days: var = 25 x (9 + 72 x 0.5) = 1125, sd 33.54;
        // 95% quantile 180 + 1.6449 x 33.541 = 235.17 (normal marginals + Gaussian copula = a normal sum)
        var sampled = NormalDays(9, 20, 5, 0.5, 4000);
        var closed = new NormalOutlook(Enumerable.Repeat(20.0, 9).ToArray(), Enumerable.Repeat(5.0, 9).ToArray(), correlation: 0.5);
        Assert.Equal(Math.Sqrt(1125), closed.StandardDeviation(0, 9), 9);
        Assert.Equal(180 + (Z95 * Math.Sqrt(1125)), closed.Quantile(0.95, 0, 9), 9);
        Assert.InRange(sampled.Quantile(0.95, 0, 9), 235.17 - 3, 235.17 + 3);
        Assert.InRange(StandardDeviation(sampled.Sample(0, 9)), 33.54 - 1.8, 33.54 + 1.8);
    }

    [Fact]
    public void The_same_key_gives_the_same_paths_whatever_the_order_of_queries()
    {
        var a = NormalDays(10, 20, 5, 0.2, 256, key: 42);
        var b = NormalDays(10, 20, 5, 0.2, 256, key: 42);
        var other = NormalDays(10, 20, 5, 0.2, 256, key: 43);
        var a5 = a.Quantile(0.9, 0, 5);
        var a10 = a.Quantile(0.9, 2, 8);
        var b10 = b.Quantile(0.9, 2, 8); // b extends its paths in the other order
        var b5 = b.Quantile(0.9, 0, 5);
        Assert.Equal(a5, b5);
        Assert.Equal(a10, b10);
        Assert.Equal(a.Sample(3, 4), b.Sample(3, 4));
        Assert.NotEqual(a5, other.Quantile(0.9, 0, 5));

        // the key of a SKU-day is fixed by seed, SKU and origin
        Assert.Equal(SamplePathOutlook.StreamKey(1, "A", 30), SamplePathOutlook.StreamKey(1, "A", 30));
        Assert.NotEqual(SamplePathOutlook.StreamKey(1, "A", 30), SamplePathOutlook.StreamKey(1, "A", 31));
        Assert.NotEqual(SamplePathOutlook.StreamKey(1, "A", 30), SamplePathOutlook.StreamKey(2, "A", 30));
    }

    [Fact]
    public void The_quantile_curve_is_linear_in_the_normal_score_and_never_negative()
    {
        // quantile 10 at z = 0 (level 0.5) and 14 at z = 1 (level 0.841...): 12 at z = 0.5, 18 at z = 2, 0 at z = -3 (-2 raised to 0)
        var curve = new QuantileCurve([0.5, Normal.Cdf(1)], [10, 14]);
        Assert.Equal(12, curve.AtScore(0.5), 9);
        Assert.Equal(18, curve.AtScore(2), 9);
        Assert.Equal(0, curve.AtScore(-3));
        Assert.Equal(14, curve.AtLevel(Normal.Cdf(1)), 9);
        Assert.Equal(4, curve.ImpliedStandardDeviation, 9); // (14 - 6) / 2

        // crossed quantiles are put in order
        var crossed = new QuantileCurve([0.1, 0.5, 0.9], [12, 10, 15]);
        Assert.Equal(12, crossed.AtLevel(0.5), 9);
        Assert.Throws<ArgumentException>(() => new QuantileCurve([0.1, 0.5], [1, double.NaN]));
    }

    [Fact]
    public void Asking_beyond_the_forecast_horizon_is_a_clear_error()
    {
        var outlook = NormalDays(4, 20, 5, 0, 16);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => outlook.Quantile(0.9, 2, 3));
        Assert.Contains("covers days 0..3", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => outlook.Quantile(1.5, 0, 2));
    }

    [Fact]
    public void The_provider_forecasts_all_skus_of_an_origin_in_one_call_and_shares_the_outlook()
    {
        var (dataset, forecaster) = TwoSkus();
        var provider = new ForecastOutlookProvider(forecaster, dataset, new OutlookOptions { ErrorWindowDays = 0 });
        var a = provider.GetOutlook(0, 30);
        var b = provider.GetOutlook(1, 30);
        Assert.Same(a, provider.GetOutlook(0, 30));
        Assert.Equal(1, provider.ForecastCalls);
        Assert.Equal([0, 1], Assert.Single(forecaster.Requests).SkuIndices);
        Assert.NotEqual(a.Quantile(0.9, 0, 4), b.Quantile(0.9, 0, 4)); // own draws per SKU
        Assert.Equal(4, provider.Horizon); // lead time 3 + review period 1
    }

    [Fact]
    public void The_error_sd_is_measured_from_earlier_reviews_forecasts_against_actual_units()
    {
        // SKU A sells 13 on even days and 7 on odd days; the forecast mean is 10 every day.
        // At origin 30 the 28 days 2..29 give errors of +3 and -3, 14 each: sd = sqrt(28 x 9 / 27) = 3.05505.
        // Weekly reviews (forecasts at 23, 16, 9, 2, each for its own 7 days) see the same 28 errors.
        var expected = Math.Sqrt(28 * 9 / 27.0);
        var (dataset, daily) = TwoSkus();
        var dailyProvider = new ForecastOutlookProvider(daily, dataset);
        Assert.Equal(expected, dailyProvider.GetOutlook(0, 30).ErrorStandardDeviation!.Value, 9);
        Assert.Equal(29, dailyProvider.ForecastCalls); // origin 30 and the 28 before it

        var (_, weekly) = TwoSkus();
        var weeklyProvider = new ForecastOutlookProvider(weekly, dataset, new OutlookOptions { ReviewPeriodDays = 7 });
        Assert.Equal(expected, weeklyProvider.GetOutlook(0, 30).ErrorStandardDeviation!.Value, 9);
        Assert.Equal([2, 9, 16, 23, 30], weekly.Requests.Select(r => r.Origin).Order().ToArray());

        // too few errors: the forecast's own spread (sd 2 per day) stands in
        Assert.Equal(2, dailyProvider.GetOutlook(0, 3).ErrorStandardDeviation!.Value, 6);
    }

    [Fact]
    public void Results_do_not_depend_on_the_order_in_which_origins_are_asked()
    {
        var (dataset, f1) = TwoSkus();
        var (_, f2) = TwoSkus();
        var forward = new ForecastOutlookProvider(f1, dataset, new OutlookOptions { RetainOrigins = 2, RetainOutlookOrigins = 1 });
        var backward = new ForecastOutlookProvider(f2, dataset, new OutlookOptions { RetainOrigins = 2, RetainOutlookOrigins = 1 });
        var origins = Enumerable.Range(10, 20).ToArray();
        var x = origins.Select(o => (forward.GetOutlook(1, o).Quantile(0.8, 0, 4), forward.GetOutlook(1, o).ErrorStandardDeviation)).ToArray();
        var y = origins.Reverse().Select(o => (backward.GetOutlook(1, o).Quantile(0.8, 0, 4), backward.GetOutlook(1, o).ErrorStandardDeviation)).Reverse().ToArray();
        Assert.Equal(x, y);
    }

    [Fact]
    public void A_review_outlook_covers_the_protection_interval_with_the_forecast_band()
    {
        // origin 30, SKU A: interval of L + R = 4 days, mean 40. Interval sd with correlation 0.2:
        // sqrt(0.8 x 16 + 0.2 x 64) = 5.06, so the 95% quantile is near 40 + 1.6449 x 5.06 = 48.3
        // (sample paths: within 2.2).
        var (dataset, forecaster) = TwoSkus();
        var provider = new ForecastOutlookProvider(forecaster, dataset, new OutlookOptions { ErrorWindowDays = 0 });
        var outlook = provider.GetOutlook(0, 30);
        Assert.Equal(40, outlook.Mean(0, 4), 9);
        Assert.InRange(outlook.Quantile(0.95, 0, 4), 40 + (Z95 * 5.06) - 2.2, 40 + (Z95 * 5.06) + 2.2);
        Assert.InRange(outlook.Quantile(0.05, 0, 4), 40 - (Z95 * 5.06) - 2.2, 40 - (Z95 * 5.06) + 2.2);
    }

    [Fact]
    public void The_truth_outlook_uses_independent_days_of_the_true_distribution()
    {
        // truth: every day N(20, 5^2) as quantiles; 9 days -> 95% quantile 204.67 even when the options ask for correlation 0.7
        var dataset = BaselinesTestData.Make(Enumerable.Repeat(20.0, 60).ToArray());
        var truth = new InMemoryDemandTruth(Levels);
        for (var d = 0; d < 60; d++)
        {
            truth.Add("A", dataset.DateOf(d), 20, Levels.Select(l => 20 + (5 * Normal.InverseCdf(l))).ToArray());
        }

        var provider = ForecastOutlookProvider.ForTruth(truth, dataset, new OutlookOptions { Horizon = 9, Sampling = new SamplePathSettings(4000, 0.7) });
        var outlook = provider.GetOutlook(0, 40);
        Assert.Equal(0, Assert.IsType<SamplePathOutlook>(outlook).Settings.Correlation);
        Assert.Equal(180, outlook.Mean(0, 9), 9);
        Assert.InRange(outlook.Quantile(0.95, 0, 9), 204.67 - 2, 204.67 + 2);
    }

    [Fact]
    public void Near_the_end_of_the_dataset_the_last_forecast_day_fills_the_horizon()
    {
        var (dataset, forecaster) = TwoSkus();
        var provider = new ForecastOutlookProvider(forecaster, dataset, new OutlookOptions { Horizon = 6, ErrorWindowDays = 0 });
        var outlook = provider.GetOutlook(0, dataset.Days - 2);
        Assert.Equal(2, forecaster.Requests.Single().Horizon);
        Assert.Equal(60, outlook.Mean(0, 6), 9);
    }

    /// <summary>SKU A: 13 on even days, 7 on odd; SKU B: 5 every day; 40 days; lead time 3.</summary>
    private static (Dataset Dataset, ConstantForecaster Forecaster) TwoSkus()
    {
        var a = Enumerable.Range(0, 40).Select(d => d % 2 == 0 ? 13.0 : 7.0).ToArray();
        var b = Enumerable.Repeat(5.0, 40).ToArray();
        return (BaselinesTestData.Make(a, b), new ConstantForecaster(10, 2));
    }

    /// <summary>Forecasts N(mean, sd^2) for every day and SKU at the requested levels; logs requests.</summary>
    private sealed class ConstantForecaster(double mean, double sd) : IForecaster
    {
        public List<ForecastRequest> Requests { get; } = [];

        public string Name => "constant";

        public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }

            return request.Targets.Select(sku => new SkuForecast(
                sku,
                request.Origin,
                Enumerable.Repeat(mean, request.Horizon).ToArray(),
                Enumerable.Range(0, request.Horizon).Select(_ => request.Levels.Select(l => mean + (sd * Normal.InverseCdf(l))).ToArray()).ToArray(),
                request.Levels)).ToList();
        }
    }
}
