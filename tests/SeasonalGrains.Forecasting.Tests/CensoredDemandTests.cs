using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Baselines;
using SeasonalGrains.Forecasting.Lstm;
using Xunit;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>
/// Demand is Poisson with mean 10 every day. On a quarter of the days (drawn at random) only 2 units are in stock,
/// so sales are min(demand, 2) and the day is marked in_stock = 0 when demand reached the stock (P(demand >= 2) =
/// 1 - e^-10 (1 + 10) = 0.9995). Mean sales are about 0.75 x 10 + 0.25 x 2 = 8: what a fit on sales learns. The
/// in-stock days are the unconstrained days plus a handful of the limited ones with demand 0 or 1, so their mean is
/// 10 to within 0.1%.
/// </summary>
public sealed class CensoredDemandTests
{
    private const double TrueMean = 10;

    /// <summary>The dataset written to a folder with its in_stock column and read back.</summary>
    private static Dataset Censored(int skus, int days)
    {
        var random = new Random(5);
        var start = new DateOnly(2023, 1, 2);
        var infos = new List<SkuInfo>();
        var series = new List<SkuSeries>();
        for (var s = 0; s < skus; s++)
        {
            infos.Add(new SkuInfo($"S{s}", "goods", "north", 5, 10, 2, 30));
            var units = new double[days];
            var censored = new bool[days];
            for (var d = 0; d < days; d++)
            {
                var demand = Poisson(random, TrueMean);
                var stock = random.NextDouble() < 0.25 ? 2 : double.PositiveInfinity;
                units[d] = Math.Min(demand, stock);
                censored[d] = demand >= stock;
            }

            series.Add(new SkuSeries($"S{s}", units, Censored: censored));
        }

        var dataset = new Dataset(new DatasetInfo("censored", "test", "CC0", start, start.AddDays(days - 1)), start, days, infos, series);
        var folder = Path.Combine(Path.GetTempPath(), "censored-" + Guid.NewGuid().ToString("N"));
        try
        {
            DatasetWriter.Write(dataset, folder);
            Assert.Contains("in_stock", File.ReadLines(Path.Combine(folder, DatasetFiles.Demand)).First());
            return DatasetReader.Read(folder);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    private static Dataset WithoutStock(Dataset dataset) =>
        dataset with { Series = [.. dataset.Series.Select(s => s with { Censored = null })] };

    private static int Poisson(Random random, double mean)
    {
        // Knuth: count uniforms until their product falls below e^-mean
        var limit = Math.Exp(-mean);
        var k = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }

        return k;
    }

    [Fact]
    public void Sales_understate_the_true_mean_of_10_and_the_in_stock_days_recover_it()
    {
        var dataset = Censored(skus: 1, days: 2000);
        var series = dataset.Series[0];
        var sales = series.Units.Average();
        var inStock = series.Units.Where((_, d) => !series.IsCensored(d)).Average();

        // about 0.75 x 10 + 0.25 x 2 = 8 (above) and 10
        Assert.InRange(sales, 7.7, 8.3);
        Assert.InRange(inStock, 9.8, 10.2);
        Assert.InRange(series.CensoredDays(0, 2000), 450, 550); // a quarter of 2,000
    }

    [Fact]
    public void Classical_fits_see_unconstrained_demand_where_the_dataset_marks_stockouts()
    {
        // the mean forecast of 8 SKUs, so that a smoother's sampling noise (alpha 0.1 on Poisson(10): sd about
        // sqrt(10 x 0.1 / 1.9) = 0.73 for one SKU) shrinks to about 0.26
        var dataset = Censored(skus: 8, days: 400);
        var naive = WithoutStock(dataset);
        var request = new ForecastRequest(dataset, 400 - 28, 28, [0.5]);
        foreach (IForecaster forecaster in new IForecaster[] { new EtsForecaster(), new CrostonForecaster(), new MovingAverageForecaster() })
        {
            var masked = forecaster.Forecast(request).Average(f => f.Mean.Average());
            var onSales = forecaster.Forecast(request with { Dataset = naive }).Average(f => f.Mean.Average());
            Assert.True(onSales < 9, $"{forecaster.Name} on sales: {onSales}");
            Assert.True(Math.Abs(masked - TrueMean) <= 0.05 * TrueMean, $"{forecaster.Name} with stock flags: {masked}");
        }
    }

    [Fact]
    public void A_censored_day_is_imputed_from_the_in_stock_same_weekdays_before_it_and_never_below_its_sales()
    {
        //                 day: 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14
        double[] units = [10, 4, 4, 4, 4, 4, 4, 14, 4, 4, 4, 4, 4, 4, 3];
        var censored = new bool[15];
        censored[7] = true;  // no in-stock same weekday before it except day 0: max(14, 10) = 14
        censored[14] = true; // days 7 (censored) and 0 (in stock): max(3, 10) = 10
        var series = new SkuSeries("A", units, Censored: censored);

        var history = UnconstrainedDemand.History(series, 15);

        Assert.Equal(14, history[7]);
        Assert.Equal(10, history[14]);
        Assert.Equal(4, history[13]);

        // all four same weekdays out of stock: the mean of the in-stock days among the 28 before
        var all = new bool[29];
        all[0] = all[7] = all[14] = all[21] = all[28] = true;
        var flat = new SkuSeries("B", [.. Enumerable.Repeat(6.0, 29)], Censored: all);
        Assert.Equal(6, UnconstrainedDemand.Estimate(flat, 28));
    }

    [Fact]
    public void Backtests_score_only_in_stock_days_and_count_the_others()
    {
        var dataset = Censored(skus: 2, days: 200);
        var result = new BacktestRunner([new NaiveForecaster()]).Run(dataset, new BacktestOptions { Origins = 2, Horizon = 14, Levels = [0.1, 0.5, 0.9] });

        var windows = result.Origins.Sum(o => dataset.Series.Sum(s => s.CensoredDays(o, o + 14)));
        Assert.True(windows > 0);
        Assert.Equal(windows, result.CensoredExcluded);
        Assert.Equal((2 * 2 * 14) - windows, result.Row("naive").Points);
        Assert.DoesNotContain(result.Points, p => dataset.Series[p.SkuIndex].IsCensored(p.Day));

        using var summary = new StringWriter();
        BacktestCsv.WriteSummary(result, summary);
        Assert.EndsWith(",censored_excluded", summary.ToString().Split('\n')[0]);
        Assert.EndsWith("," + windows, summary.ToString().Split('\n')[1]);
    }

    [Fact]
    public void Masked_lstm_training_recovers_the_true_mean_that_training_on_sales_underestimates()
    {
        var dataset = Censored(skus: 4, days: 420);
        var options = LstmTestData.SmallOptions with
        {
            StepsPerEpoch = 50,
            MaxEpochs = 8,
            Patience = 8,
            IntervalHead = false,
            Calibrate = false,
            TrainEndDay = 392,
            LearningRate = 1e-2,
            GradientClip = 0,
        };

        double MeanForecast(Dataset data)
        {
            using var model = LstmTrainer.Train(data, options).Model;
            // every SKU from the four origins 392, 399, 406 and 413 (after the training days)
            var lstm = new LstmForecaster(model);
            return new[] { 392, 399, 406, 413 }
                .SelectMany(origin => lstm.Forecast(new ForecastRequest(data, origin, 7, [0.5])))
                .Average(f => f.Mean.Average());
        }

        var onSales = MeanForecast(WithoutStock(dataset));
        var masked = MeanForecast(dataset);

        // on sales about 8 (0.75 x 10 + 0.25 x 2; measured 7.78), masked within 5% of 10 (measured 9.64): the in-stock days
        // it learns from hold fewer of the high-demand days (those are the ones that run out), so it falls a little short
        // of 10. (9.43 was measured once, before training held TorchRuntime.RandomGate: a training in another test
        // class drew dropout masks from the same generator.)
        Assert.True(onSales < 8.5, $"trained on sales: {onSales}");
        Assert.True(masked is >= 9.5 and <= 10.5, $"masked: {masked}, on sales: {onSales}");
    }
}
