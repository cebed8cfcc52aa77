using System.Globalization;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Baselines;
using static SeasonalGrains.Forecasting.Tests.BaselinesTestData;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>The backtest's reliability table on a case small enough to count by hand.</summary>
public sealed class ReliabilityTests
{
    [Fact]
    public void Shares_at_or_below_fixed_quantiles_are_counted_per_day_and_for_sums_of_the_first_days()
    {
        // 6 days of history, then the 4 scored days with actuals 0, 1, 2, 5 (sums of the first n days: 0, 1, 3, 8).
        var dataset = Make([3, 3, 3, 3, 3, 3, 0, 1, 2, 5]);
        var result = new BacktestRunner([new Fixed()])
            .Run(dataset, new BacktestOptions { Origins = 1, Horizon = 4, Levels = [0.1, 0.5, 0.9], ReliabilityLevels = [0.5] });

        // Daily quantiles 0, 2, 4 on every day: at or below 0 is 1 of 4 actuals (strictly below: none); at or
        // below 2 are 0, 1, 2 (strictly below: 0, 1); at or below 4 (and below it) are 0, 1, 2.
        var daily = result.Reliability.Where(r => r.Kind == ReliabilityKind.Daily && r.Horizon is null).ToArray();
        Assert.Equal([0.1, 0.5, 0.9], daily.Select(r => r.Level));
        Assert.Equal([0.25, 0.75, 0.75], daily.Select(r => r.Observed));
        Assert.Equal([0.0, 0.5, 0.75], daily.Select(r => r.ObservedBelow));
        Assert.All(daily, r => Assert.Equal(4, r.Count));

        // Interval quantiles 1, 3, 8 for every n against the sums 0, 1, 3, 8: at or below 1 are 2 of 4, at or
        // below 3 are 3, at or below 8 all 4 (strictly below 8: 3).
        var sums = result.Reliability.Where(r => r.Kind == ReliabilityKind.Interval && r.Horizon is null).ToArray();
        Assert.Equal([0.5, 0.75, 1.0], sums.Select(r => r.Observed));
        Assert.Equal([0.25, 0.5, 0.75], sums.Select(r => r.ObservedBelow));

        // one row per horizon too: on day 4 (actual 5) no daily quantile holds it; its sum 8 is at or below P90 only
        var day4 = result.Reliability.Where(r => r.Kind == ReliabilityKind.Daily && r.Horizon == 4).Select(r => r.Observed);
        Assert.Equal([0.0, 0.0, 0.0], day4);
        var sum4 = result.Reliability.Where(r => r.Kind == ReliabilityKind.Interval && r.Horizon == 4).Select(r => r.Observed);
        Assert.Equal([0.0, 0.0, 1.0], sum4);

        var csv = new StringWriter();
        BacktestCsv.WriteReliability(result, csv);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("forecaster,kind,horizon,level,nominal,observed,observed_below,count", lines[0]);
        Assert.Equal("fixed,daily,all,q0.1,0.1,0.25,0,4", lines[1]);
        Assert.Contains("fixed,interval,all,q0.9,0.9,1,0.75,4", lines);
        Assert.Equal(1 + (2 * 3 * (1 + 4)), lines.Length); // header, 2 kinds x 3 levels x (pooled + 4 horizons)
    }

    [Fact]
    public void The_reliability_plot_is_a_png_and_is_skipped_for_a_kind_no_forecaster_has()
    {
        var dataset = Make([3, 3, 3, 3, 3, 3, 0, 1, 2, 5]);
        var result = new BacktestRunner([new NaiveForecaster()])
            .Run(dataset, new BacktestOptions { Origins = 1, Horizon = 4, Levels = [0.1, 0.5, 0.9] });
        var path = Path.Combine(Path.GetTempPath(), "reliability-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".png");
        try
        {
            Assert.True(BacktestPlots.SaveReliability(result, ReliabilityKind.Daily, path));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(path).Take(4));
            Assert.False(BacktestPlots.SaveReliability(result, ReliabilityKind.Interval, path + ".sums.png"));
            Assert.False(File.Exists(path + ".sums.png"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Daily quantiles 0, 2, 4 and interval quantiles 1, 3, 8 at levels 0.1, 0.5, 0.9, whatever the data.</summary>
    private sealed class Fixed : IForecaster
    {
        public string Name => "fixed";

        public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request) =>
            [.. request.Targets.Select(sku => new SkuForecast(
                sku,
                request.Origin,
                [.. Enumerable.Repeat(2.0, request.Horizon)],
                [.. Enumerable.Range(0, request.Horizon).Select(_ => new[] { 0.0, 2, 4 })],
                request.Levels)
            {
                IntervalQuantiles = [.. Enumerable.Range(0, request.Horizon).Select(_ => new[] { 1.0, 3, 8 })],
            })];
    }
}
