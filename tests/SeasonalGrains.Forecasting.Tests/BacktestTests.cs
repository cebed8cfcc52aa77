using System.Globalization;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Baselines;
using static SeasonalGrains.Forecasting.Tests.BaselinesTestData;

namespace SeasonalGrains.Forecasting.Tests;

public class BacktestTests
{
    // Levels of truth.csv and the standard normal quantiles at them (z such that Phi(z) = level).
    private static readonly double[] TruthLevels = [0.005, 0.025, 0.165, 0.25, 0.5, 0.75, 0.835, 0.975, 0.995];
    private static readonly double[] NormalZ = [-2.5758293, -1.9599640, -0.9741139, -0.6744898, 0, 0.6744898, 0.9741139, 1.9599640, 2.5758293];

    [Fact]
    public void Origins_end_at_the_dataset_end_and_step_back_by_the_horizon()
    {
        Assert.Equal([70, 80, 90], BacktestRunner.OriginsFor(100, 3, 10, 10));
        Assert.Equal([80, 85, 90], BacktestRunner.OriginsFor(100, 3, 10, 5));
    }

    [Fact]
    public void Origins_that_leave_no_history_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => BacktestRunner.OriginsFor(30, 3, 10, 10));
        Assert.Contains("too short", error.Message);
    }

    [Fact]
    public void Duplicate_forecaster_names_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new BacktestRunner([new NaiveForecaster(), new EtsForecaster(), new NaiveForecaster()]));
        Assert.Contains("'naive'", error.Message);

        var truth = new InMemoryDemandTruth([0.5]);
        var clash = Assert.Throws<ArgumentException>(() => new BacktestRunner([new Renamed("oracle", new NaiveForecaster())], truth));
        Assert.Contains("'oracle'", clash.Message);
    }

    [Fact]
    public void Every_forecaster_is_scored_on_the_same_sku_days()
    {
        var dataset = Make(Noisy(120, 1), Noisy(120, 2), Noisy(120, 3));
        var runner = new BacktestRunner(ForecasterRegistry.Default.CreateBaselines());
        var result = runner.Run(dataset, new BacktestOptions { Origins = 3, Horizon = 7, Levels = [0.1, 0.5, 0.9] });

        Assert.Equal([99, 106, 113], result.Origins);
        Assert.Equal(runner.ForecasterNames, result.Rows.Select(r => r.Forecaster));
        Assert.All(result.Rows, r => Assert.Equal(3 * 3 * 7, r.Points));

        var keysByForecaster = result.Points
            .GroupBy(p => p.Forecaster)
            .Select(g => g.Select(p => (p.SkuIndex, p.Origin, p.H, p.Day, p.Actual)).OrderBy(k => k).ToList())
            .ToList();
        Assert.Equal(7, keysByForecaster.Count);
        Assert.All(keysByForecaster, keys => Assert.Equal(keysByForecaster[0], keys));
        Assert.All(result.Points, p =>
        {
            Assert.Equal(p.Origin + p.H - 1, p.Day);
            Assert.Equal(dataset.Series[p.SkuIndex].Units[p.Day], p.Actual);
        });
        Assert.Equal(113 + 6, result.Points.Max(p => p.Day));
    }

    [Fact]
    public void Naive_scores_on_a_rising_series_match_hand_computed_values()
    {
        // Units 0, 1, ..., 29; origins 20 and 25 with horizon 5. Naive forecasts a mean of 19 then 24, so the
        // mean's errors f - y are -1..-5 in both windows (RMSE and bias score the mean).
        var dataset = Make(Enumerable.Range(0, 30).Select(t => (double)t).ToArray());
        var result = new BacktestRunner([new NaiveForecaster()])
            .Run(dataset, new BacktestOptions { Origins = 2, Horizon = 5, Levels = [0.1, 0.5, 0.9] });
        var row = result.Row("naive");

        Assert.Equal([20, 25], result.Origins);
        Assert.Equal(10, row.Points);
        Assert.Equal(Math.Sqrt(11), row.Rmse, 12);             // (1 + 4 + 9 + 16 + 25) / 5 = 11
        Assert.Equal(-3, row.Bias, 12);
        Assert.Equal(-30.0 / 245, row.RelativeBias, 12);        // sum of actuals 20..29 = 245

        // Every in-sample naive error of h days on this series is h, so each quantile is the mean + h:
        // the band has no width and each actual lies exactly on it (closed interval, all covered). MAE, MASE
        // and wMAPE score the median, which is exact here, so they are 0 while the mean's MAE would be 3.
        Assert.Equal(0, row.Mae, 12);
        Assert.Equal(0, row.WMape, 12);
        Assert.Equal(0, row.Mase, 12);
        Assert.Equal(1, row.Coverage80, 12);
        Assert.Equal(0, row.MeanPinball, 12);
        var first = result.Points[0];
        Assert.Equal([20, 20, 20], first.Quantiles);
    }

    [Fact]
    public void Oracle_with_the_true_distribution_beats_naive_on_a_noisy_series()
    {
        const double Sd = 5;
        var units = Enumerable.Range(0, 4).Select(seed => Noisy(200, seed, Sd)).ToArray();
        var dataset = Make(units);
        var truth = new InMemoryDemandTruth(TruthLevels);
        foreach (var sku in dataset.Skus)
        {
            for (var t = 0; t < dataset.Days; t++)
            {
                var mean = SeasonalMean(t);
                truth.Add(sku.Sku, dataset.DateOf(t), mean, NormalZ.Select(z => mean + (Sd * z)).ToArray());
            }
        }

        var result = new BacktestRunner([new NaiveForecaster(), new SeasonalNaiveForecaster()], truth)
            .Run(dataset, new BacktestOptions { Origins = 4, Horizon = 14 });
        var oracle = result.Row("oracle");
        var naive = result.Row("naive");

        Assert.Equal(["naive", "seasonal-naive", "oracle"], result.Rows.Select(r => r.Forecaster));
        Assert.Equal(naive.Points, oracle.Points);
        Assert.True(oracle.Mae < naive.Mae, $"oracle MAE {oracle.Mae} vs naive {naive.Mae}");
        Assert.True(oracle.MeanPinball < naive.MeanPinball, $"oracle pinball {oracle.MeanPinball} vs naive {naive.MeanPinball}");
        Assert.True(oracle.Mae < result.Row("seasonal-naive").Mae);

        // The mean absolute deviation of a normal is sd sqrt(2 / pi) = 3.99; 224 points land near it.
        Assert.InRange(oracle.Mae, 3.2, 4.8);

        // 0.1 and 0.9 are interpolated between held levels, which widens the band a little
        // (z = 1.43 instead of 1.28, about 85% nominal).
        Assert.InRange(oracle.Coverage80, 0.75, 0.95);
    }

    [Fact]
    public void Oracle_interpolates_levels_the_truth_does_not_hold()
    {
        double[] levels = [0.1, 0.5, 0.9];
        double[] quantiles = [1, 5, 13];
        Assert.Equal(5, OracleForecaster.Interpolate(levels, quantiles, 0.5));
        Assert.Equal(9, OracleForecaster.Interpolate(levels, quantiles, 0.7), 12);
        Assert.Equal(2, OracleForecaster.Interpolate(levels, quantiles, 0.2), 12);
        Assert.Equal(1, OracleForecaster.Interpolate(levels, quantiles, 0.05));
        Assert.Equal(13, OracleForecaster.Interpolate(levels, quantiles, 0.95));
    }

    [Fact]
    public void Oracle_without_a_truth_point_names_the_sku_and_date()
    {
        var dataset = Make([1, 2, 3, 4]);
        var truth = new InMemoryDemandTruth([0.5]);
        truth.Add("A", dataset.DateOf(2), 3, [3]);
        var oracle = new OracleForecaster(truth);

        var found = Assert.Single(oracle.Forecast(new ForecastRequest(dataset, 2, 1, [0.5])));
        Assert.Equal([3], found.Mean);

        var error = Assert.Throws<InvalidOperationException>(() => oracle.Forecast(new ForecastRequest(dataset, 2, 2, [0.5])));
        Assert.Contains("'A' on 2024-01-04", error.Message);
    }

    [Fact]
    public void Progress_is_reported_after_each_forecaster_and_origin()
    {
        var dataset = Make(Noisy(60, 5));
        var reports = new List<BacktestProgress>();
        new BacktestRunner([new NaiveForecaster(), new MovingAverageForecaster()])
            .Run(dataset, new BacktestOptions { Origins = 3, Horizon = 5 }, new SyncProgress(reports.Add));

        Assert.Equal(Enumerable.Range(1, 6), reports.Select(r => r.Completed));
        Assert.All(reports, r => Assert.Equal(6, r.Total));
        Assert.Equal(["naive", "naive", "naive", "moving-average", "moving-average", "moving-average"], reports.Select(r => r.Forecaster));
        Assert.Equal([45, 50, 55], reports.Take(3).Select(r => r.Origin));
    }

    [Fact]
    public void A_forecaster_that_leaves_out_a_sku_is_reported_by_name()
    {
        var dataset = Make(Noisy(40, 1), Noisy(40, 2));
        var runner = new BacktestRunner([new FirstSkuOnly(new NaiveForecaster())]);
        var error = Assert.Throws<InvalidOperationException>(() => runner.Run(dataset, new BacktestOptions { Origins = 1, Horizon = 5 }));
        Assert.Contains("first-only", error.Message);
        Assert.Contains("'B'", error.Message);
    }

    [Fact]
    public void A_dataset_with_missing_units_is_rejected()
    {
        var units = Noisy(40, 1);
        units[37] = double.NaN;
        var error = Assert.Throws<ArgumentException>(() =>
            new BacktestRunner([new NaiveForecaster()]).Run(Make(units), new BacktestOptions { Origins = 1, Horizon = 5 }));
        Assert.Contains("cleaned", error.Message);
    }

    [Fact]
    public void Backtest_csv_has_one_line_per_point_with_a_column_per_level()
    {
        var dataset = Make(Enumerable.Range(0, 30).Select(t => (double)t).ToArray());
        var result = new BacktestRunner([new NaiveForecaster()])
            .Run(dataset, new BacktestOptions { Origins = 2, Horizon = 5, Levels = [0.1, 0.9] });

        var details = new StringWriter();
        BacktestCsv.WriteDetails(result, details);
        var lines = details.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 10, lines.Length);
        Assert.Equal("forecaster,sku,origin_date,h,date,actual,mean,q0.1,q0.9", lines[0]);

        // Origin day 20 is 2024-01-21; h = 2 is 2024-01-22 with actual 21, naive forecast 19, error-based quantiles 21.
        Assert.Equal("naive,A,2024-01-21,2,2024-01-22,21,19,21,21", lines[2]);

        var summary = new StringWriter();
        BacktestCsv.WriteSummary(result, summary);
        var summaryLines = summary.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("forecaster,points,mae,rmse,mase,wmape,bias,relative_bias,mean_pinball,coverage80,seconds", summaryLines[0]);
        // MAE, MASE and wMAPE of the median (asked for although 0.5 is not a scored level), which is exact here: 0
        Assert.StartsWith("naive,10,0,3.316625,0,0,-3,-0.122449,", summaryLines[1]);
    }

    [Fact]
    public void Band_plots_are_written_as_png_files()
    {
        var dataset = Make(Noisy(120, 1), Noisy(120, 2, sd: 1), Noisy(120, 3));
        var result = new BacktestRunner([new SeasonalNaiveForecaster()])
            .Run(dataset, new BacktestOptions { Origins = 3, Horizon = 14, Levels = [0.1, 0.5, 0.9] });
        var directory = Path.Combine(Path.GetTempPath(), "backtest-plots-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture));
        try
        {
            var paths = BacktestPlots.SaveBands(result, "seasonal-naive", directory, maxSkus: 2);

            Assert.Equal(2, paths.Count);
            foreach (var path in paths)
            {
                var bytes = File.ReadAllBytes(path);
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes.Take(4));
                Assert.True(bytes.Length > 10_000, $"{path} is only {bytes.Length} bytes");
            }

            Assert.EndsWith("seasonal-naive-A.png", paths[0]);
            Assert.Throws<ArgumentException>(() => BacktestPlots.SaveBands(result, "ets", directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class Renamed(string name, IForecaster inner) : IForecaster
    {
        public string Name => name;

        public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request) => inner.Forecast(request);
    }

    private sealed class FirstSkuOnly(IForecaster inner) : IForecaster
    {
        public string Name => "first-only";

        public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request) => inner.Forecast(request).Take(1).ToList();
    }

    private sealed class SyncProgress(Action<BacktestProgress> report) : IProgress<BacktestProgress>
    {
        public void Report(BacktestProgress value) => report(value);
    }
}
