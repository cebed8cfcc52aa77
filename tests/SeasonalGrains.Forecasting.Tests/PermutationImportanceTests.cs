using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;
using Xunit;
using Xunit.Abstractions;

namespace SeasonalGrains.Forecasting.Tests;

public sealed class PermutationImportanceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Demand of SKU s on day d: level(s, d) x weekday (1.8 on Saturdays and Sundays) x promo (2.5 on a random 15% of
    /// days, price 0.7 x regular) x yearly (1 + 0.8 cos(2 pi (day of year - phase s) / 365)), times uniform noise
    /// 0.8..1.2, rounded. The level starts at 4 + 4 s and drifts (x e^N(0, 0.03) a day, kept within half and twice the
    /// start). Weather is drawn independently of all of it (AR(1) temperature, random humidity and rain): it does not
    /// enter demand.
    /// </summary>
    private static Dataset WeatherFree(int skus = 6, int days = 900)
    {
        var random = new Random(3);
        var start = new DateOnly(2021, 1, 4);
        var infos = new List<SkuInfo>();
        var series = new List<SkuSeries>();
        for (var s = 0; s < skus; s++)
        {
            var region = s % 2 == 0 ? "north" : "south";
            infos.Add(new SkuInfo($"S{s}", "goods", region, 5, 10, 2, 30));
            var phase = random.Next(365);
            var first = 4.0 + (4 * s);
            var level = first;
            var units = new double[days];
            var price = new double[days];
            var promo = new bool[days];
            for (var d = 0; d < days; d++)
            {
                var date = start.AddDays(d);
                var gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                level = Math.Clamp(level * Math.Exp(0.03 * gauss), first / 2, first * 2);
                promo[d] = random.NextDouble() < 0.15;
                price[d] = promo[d] ? 7 : 10;
                var weekday = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1.8 : 1.0;
                var yearly = 1 + (0.8 * Math.Cos(2 * Math.PI * (date.DayOfYear - phase) / 365.0));
                units[d] = Math.Round(level * weekday * (promo[d] ? 2.5 : 1) * yearly * (0.8 + (0.4 * random.NextDouble())));
            }

            series.Add(new SkuSeries($"S{s}", units, price, promo));
        }

        var weather = new Dictionary<string, RegionWeather>(StringComparer.Ordinal);
        foreach (var region in new[] { "north", "south" })
        {
            var temp = new double[days];
            var humidity = new double[days];
            var precip = new double[days];
            var t = 10.0;
            for (var d = 0; d < days; d++)
            {
                t = 10 + (0.8 * (t - 10)) + (6 * (random.NextDouble() - 0.5));
                temp[d] = t;
                humidity[d] = 40 + (50 * random.NextDouble());
                precip[d] = random.NextDouble() < 0.3 ? 10 * random.NextDouble() : 0;
            }

            weather[region] = new RegionWeather(region, temp, humidity, precip);
        }

        return new Dataset(new DatasetInfo("weather-free", "test", "CC0", start, start.AddDays(days - 1)), start, days, infos, series, Weather: weather);
    }

    [Fact]
    public void Every_feature_belongs_to_one_group_and_the_groups_split_the_columns()
    {
        var dataset = LstmTestData.Create();
        foreach (var scaling in new[] { UnitScaling.Sku, UnitScaling.Level })
        {
            var schema = FeatureSchema.Fit(dataset, 14, 7, 300, scaling);
            var past = FeatureGroups.All.SelectMany(g => FeatureGroups.Columns(schema, g).Past).Order().ToArray();
            var future = FeatureGroups.All.SelectMany(g => FeatureGroups.Columns(schema, g).Future).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, schema.PastFeatureCount), past);
            Assert.Equal(Enumerable.Range(0, schema.KnownFeatureCount), future);
        }

        Assert.Equal("weather", FeatureGroups.Of("precip_z"));
        Assert.Equal("calendar-holidays", FeatureGroups.Of("event:school_break"));
        Assert.Equal("price-promo", FeatureGroups.Of("price_rel"));
        Assert.Equal("seasonal-index", FeatureGroups.Of("seasonal_available"));
        Assert.Equal("own-history", FeatureGroups.Of("trend_7_28"));
        Assert.Throws<ArgumentException>(() => FeatureGroups.Of("colour"));
    }

    [Fact]
    public void A_group_that_does_not_enter_demand_ranks_last()
    {
        var dataset = WeatherFree();
        var options = LstmTestData.SmallOptions with
        {
            StepsPerEpoch = 40,
            MaxEpochs = 6,
            Patience = 6,
            IntervalHead = false,
            Calibrate = false,
            TrainEndDay = 800,
        };
        using var model = LstmTrainer.Train(dataset, options).Model;

        // held out: 14 origins a week apart after the training days, 6 SKUs = 84 windows
        var origins = Enumerable.Range(0, 14).Select(i => 800 + (7 * i)).ToArray();
        var rows = PermutationImportance.Compute(model, dataset, origins, [.. Enumerable.Range(0, 6)], 7, [0.1, 0.5, 0.9]);

        var ranked = PermutationImportance.Ranked(rows);
        output.WriteLine(PermutationImportance.Describe(rows));
        Assert.Equal(FeatureGroups.All.Count, ranked.Count);
        Assert.True(ranked[^1].Group == "weather", $"ranked: {PermutationImportance.Describe(rows)}");

        // per SKU and overall, one row per group
        Assert.Equal(7 * FeatureGroups.All.Count, rows.Count);
        Assert.Equal(6 * FeatureGroups.All.Count, rows.Count(r => r.Sku != PermutationImportance.Overall));
    }

    [Fact]
    public void A_permutation_that_changes_nothing_has_an_importance_of_exactly_zero()
    {
        // one window: the only permutation is the identity, so every group's inputs stay in place
        var dataset = LstmTestData.Create();
        var schema = FeatureSchema.Fit(dataset, 14, 7, 300);
        using var model = LstmModel.Untrained(schema, LstmTestData.SmallOptions);
        var rows = PermutationImportance.Compute(model, dataset, [350], [0], 7, [0.5]);
        Assert.All(rows, r => Assert.Equal(0, r.Importance));
    }
}
