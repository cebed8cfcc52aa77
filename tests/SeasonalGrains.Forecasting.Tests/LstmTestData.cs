using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>Small synthetic datasets for the LSTM tests: weekly and yearly seasonality, promos, weather.</summary>
internal static class LstmTestData
{
    public static readonly DateOnly Start = new(2022, 1, 3); // a Monday

    /// <summary>Options small enough to train in a second or two on 2 cores.</summary>
    public static LstmOptions SmallOptions { get; } = new()
    {
        Window = 14,
        Horizon = 7,
        HiddenSize = 16,
        Layers = 2,
        FutureHidden = 8,
        BatchSize = 64,
        StepsPerEpoch = 15,
        MaxEpochs = 4,
        Patience = 2,
        LearningRate = 5e-3,
        MaxValidationWindows = 256,
        Seed = 11,
    };

    public static Dataset Create(int skus = 4, int days = 420, int seed = 7)
    {
        var random = new Random(seed);
        var infos = new List<SkuInfo>();
        var series = new List<SkuSeries>();
        for (var s = 0; s < skus; s++)
        {
            var regular = s % 2 == 0 ? 100.0 : 40.0;
            infos.Add(new SkuInfo($"SKU-{s}", s % 2 == 0 ? "coats" : "gloves", s % 3 == 0 ? "north" : "south", regular / 2, regular, 7, 50));
            var units = new double[days];
            var price = new double[days];
            var promo = new bool[days];
            var level = 5 + (3 * s);
            for (var d = 0; d < days; d++)
            {
                var date = Start.AddDays(d);
                promo[d] = d % 30 < 3;
                price[d] = promo[d] ? regular * 0.8 : regular;
                var weekly = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1.6 : 1.0;
                var yearly = 1 + (0.5 * Math.Cos(2 * Math.PI * (date.DayOfYear - 15) / 365.25));
                var mean = level * weekly * yearly * (promo[d] ? 1.8 : 1.0);
                units[d] = Math.Round(mean * (0.8 + (0.4 * random.NextDouble())));
            }

            series.Add(new SkuSeries($"SKU-{s}", units, price, promo));
        }

        var weather = new Dictionary<string, RegionWeather>(StringComparer.Ordinal);
        foreach (var region in new[] { "north", "south" })
        {
            var offset = region == "north" ? 0 : 10;
            var temp = new double[days];
            var humidity = new double[days];
            var precip = new double[days];
            for (var d = 0; d < days; d++)
            {
                var dayOfYear = Start.AddDays(d).DayOfYear;
                temp[d] = offset + (12 * Math.Sin(2 * Math.PI * (dayOfYear - 100) / 365.25)) + random.NextDouble();
                humidity[d] = 60 + (20 * random.NextDouble());
                precip[d] = random.NextDouble() < 0.3 ? 5 * random.NextDouble() : 0;
            }

            weather[region] = new RegionWeather(region, temp, humidity, precip);
        }

        var holiday = new string?[days];
        var schoolBreak = new double[days];
        for (var d = 0; d < days; d++)
        {
            var date = Start.AddDays(d);
            holiday[d] = date is { Month: 10, Day: 1 } ? "national-day" : null;
            schoolBreak[d] = date.Month is 7 or 8 ? 1 : 0;
        }

        return new Dataset(
            new DatasetInfo("lstm-test", "synthetic", "CC0", Start, Start.AddDays(days - 1)),
            Start,
            days,
            infos,
            series,
            new DatasetCalendar(holiday, new Dictionary<string, double[]> { ["school_break"] = schoolBreak }),
            weather);
    }

    /// <summary>A copy of <paramref name="dataset"/> whose series and weather arrays can be changed freely.</summary>
    public static Dataset Copy(Dataset dataset) => dataset with
    {
        Series = [.. dataset.Series.Select(s => s with
        {
            Units = [.. s.Units],
            Price = s.Price is null ? null : [.. s.Price],
            Promo = s.Promo is null ? null : [.. s.Promo],
        })],
        Weather = dataset.Weather?.ToDictionary(
            w => w.Key,
            w => w.Value with { TempC = [.. w.Value.TempC], Humidity = [.. w.Value.Humidity], PrecipMm = [.. w.Value.PrecipMm] }),
    };
}
