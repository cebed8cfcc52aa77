using SeasonalGrains.Data.Model;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>Small datasets built in memory for the baseline, metric and backtest tests.</summary>
internal static class BaselinesTestData
{
    public static readonly DateOnly Start = new(2024, 1, 1);

    /// <summary>A dataset with one SKU per series, named A, B, ..., Z, then S26, S27, ...</summary>
    public static Dataset Make(params double[][] units)
    {
        var days = units[0].Length;
        var skus = units
            .Select((_, i) => new SkuInfo(i < 26 ? ((char)('A' + i)).ToString() : $"S{i}", "grains", "north", 1, 2, 3, 0))
            .ToList();
        var series = units.Select((u, i) => new SkuSeries(skus[i].Sku, u)).ToList();
        return new Dataset(
            new DatasetInfo("test", "built in the test", "none", Start, Start.AddDays(days - 1)),
            Start,
            days,
            skus,
            series);
    }

    /// <summary>Forecast of SKU 0 from <paramref name="origin"/>.</summary>
    public static SkuForecast ForecastOne(IForecaster forecaster, Dataset dataset, int origin, int horizon, params double[] levels) =>
        Assert.Single(forecaster.Forecast(new ForecastRequest(dataset, origin, horizon, levels, [0])));

    /// <summary>Forecast of a series from the day after its end.</summary>
    public static SkuForecast ForecastAfter(IForecaster forecaster, double[] history, int horizon, params double[] levels) =>
        ForecastOne(forecaster, Make(history), history.Length, horizon, levels.Length == 0 ? [0.5] : levels);

    /// <summary>Noisy weekly-seasonal demand with a fixed seed: mean 50 + 10 sin(2 pi t / 7), normal noise of sd 5.</summary>
    public static double[] Noisy(int days, int seed, double sd = 5)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(t => Math.Max(0, SeasonalMean(t) + (sd * Normal(random)))).ToArray();
    }

    public static double SeasonalMean(int t) => 50 + (10 * Math.Sin(2 * Math.PI * t / 7));

    public static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
