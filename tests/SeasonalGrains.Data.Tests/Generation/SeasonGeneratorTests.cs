using SeasonalGrains.Data.Generation;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Data.Truth;
using SeasonalGrains.Domain.Calendar;

namespace SeasonalGrains.Data.Tests.Generation;

/// <summary>One down-jackets season shared by the tests that only read it.</summary>
public sealed class DownJacketsFixture
{
    public GeneratedSeason Season { get; } = SeasonGenerator.Generate(new GeneratorOptions { Skus = 60, Years = 4, Seed = 11 });
}

public class SeasonGeneratorTests(DownJacketsFixture fixture) : IClassFixture<DownJacketsFixture>
{
    private readonly Dataset _ds = fixture.Season.Dataset;
    private readonly TruthTable _truth = fixture.Season.Truth;

    private static double MeanUnits(Dataset ds, Func<DateOnly, bool> day, Func<int, bool>? sku = null)
    {
        double sum = 0;
        var count = 0;
        for (var s = 0; s < ds.Series.Count; s++)
        {
            if (sku is not null && !sku(s))
            {
                continue;
            }

            for (var d = 0; d < ds.Days; d++)
            {
                if (day(ds.DateOf(d)))
                {
                    sum += ds.Series[s].Units[d];
                    count++;
                }
            }
        }

        return sum / count;
    }

    private static byte[][] Files(string folder) =>
        [.. DatasetFiles.All.Where(f => File.Exists(Path.Combine(folder, f))).Order().Select(f => File.ReadAllBytes(Path.Combine(folder, f)))];

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_different_demand()
    {
        using var temp = new TempFolder();
        var options = new GeneratorOptions { Skus = 12, Days = 120, Seed = 5 };
        SeasonGenerator.GenerateTo(options, temp.Sub("a"));
        SeasonGenerator.GenerateTo(options, temp.Sub("b"));
        SeasonGenerator.GenerateTo(options with { Seed = 6 }, temp.Sub("c"));

        Assert.Equal(6, Files(temp.Sub("a")).Length);
        Assert.Equal(Files(temp.Sub("a")), Files(temp.Sub("b")));
        Assert.NotEqual(
            File.ReadAllBytes(Path.Combine(temp.Sub("a"), DatasetFiles.Demand)),
            File.ReadAllBytes(Path.Combine(temp.Sub("c"), DatasetFiles.Demand)));
    }

    [Theory]
    [InlineData("summer", 3)]
    [InlineData("down-jackets", 1)]
    public void A_generated_folder_with_fewer_skus_than_regions_reads_back_cleanly(string preset, int skus)
    {
        // weather is written only for regions that have SKUs, so the reader accepts the folder
        using var folder = new TempFolder();
        SeasonGenerator.GenerateTo(new GeneratorOptions { Preset = preset, Skus = skus, Years = 1, Seed = 3 }, folder.Path);
        var ds = DatasetReader.Read(folder.Path);
        Assert.Equal(skus, ds.Skus.Count);
        Assert.Equal(ds.Skus.Select(s => s.Region).Distinct().Order(), ds.Weather!.Keys.Order());
    }

    [Fact]
    public void The_default_options_give_four_years_ending_2024()
    {
        var options = new GeneratorOptions();
        Assert.Equal(new DateOnly(2021, 1, 1), options.Start);
        Assert.Equal(1461, options.DayCount); // 2021-2024 with one leap year
    }

    [Fact]
    public void Down_jacket_demand_is_higher_in_january_and_november_than_in_july()
    {
        var july = MeanUnits(_ds, d => d.Month == 7);
        Assert.True(MeanUnits(_ds, d => d.Month == 1) > 2 * july);
        Assert.True(MeanUnits(_ds, d => d.Month == 11) > 2 * july);
    }

    [Fact]
    public void Northern_skus_sell_more_in_winter_than_southern_ones()
    {
        bool North(int s) => _ds.Skus[s].Region == "north";
        bool South(int s) => _ds.Skus[s].Region == "south";
        Assert.True(MeanUnits(_ds, d => d.Month == 1, North) > MeanUnits(_ds, d => d.Month == 1, South));
        var januaryTemp = new Func<string, double>(r => Enumerable.Range(0, _ds.Days).Where(d => _ds.DateOf(d).Month == 1).Average(d => _ds.Weather![r].TempC[d]));
        Assert.True(januaryTemp("north") < januaryTemp("south") - 10);
    }

    [Theory]
    [InlineData(2022)]
    [InlineData(2023)]
    [InlineData(2024)]
    public void Demand_peaks_in_the_weeks_before_spring_festival_and_drops_during_it(int year)
    {
        var festival = ChineseLunisolar.SpringFestival(year);
        var before = MeanUnits(_ds, d => d >= festival.AddDays(-21) && d < festival);
        var during = MeanUnits(_ds, d => d >= festival && d < festival.AddDays(7));
        var after = MeanUnits(_ds, d => d >= festival.AddDays(7) && d < festival.AddDays(28));
        Assert.True(before > 2 * during, $"before {before:F2}, during {during:F2}");
        Assert.True(before > after, $"before {before:F2}, after {after:F2}");

        // The highest 7-day total within five weeks either side of the festival ends before it.
        var totals = Enumerable.Range(-35, 64).Select(k => (Start: k, Total: MeanUnits(_ds, d => d >= festival.AddDays(k) && d < festival.AddDays(k + 7)))).ToList();
        Assert.True(totals.MaxBy(t => t.Total).Start + 7 <= 0);
    }

    [Fact]
    public void Double_11_sells_more_than_any_day_of_the_ten_before()
    {
        for (var year = 2021; year <= 2024; year++)
        {
            var day = new DateOnly(year, 11, 11);
            var peak = MeanUnits(_ds, d => d == day);
            for (var k = 1; k <= 10; k++)
            {
                Assert.True(peak > MeanUnits(_ds, d => d == day.AddDays(-k)), $"{year}: day -{k}");
            }
        }
    }

    [Fact]
    public void Units_agree_with_the_truth_mean_within_five_standard_errors()
    {
        // Sum of units vs sum of means; the variance of the sum is the sum of NB variances.
        double units = 0, mean = 0, variance = 0;
        for (var s = 0; s < _ds.Series.Count; s++)
        {
            for (var d = 0; d < _ds.Days; d++)
            {
                units += _ds.Series[s].Units[d];
                mean += _truth.Mean[s][d];
                variance += NegativeBinomial.Variance(_truth.Mean[s][d], _truth.Size![s]);
            }
        }

        Assert.InRange(units, mean - (5 * Math.Sqrt(variance)), mean + (5 * Math.Sqrt(variance)));
    }

    [Fact]
    public void Sku_master_data_follows_the_stated_rules()
    {
        foreach (var sku in _ds.Skus)
        {
            Assert.InRange(sku.LeadTimeDays, 3, 14);
            Assert.True(sku.UnitCost < sku.UnitPrice);
            Assert.Equal(Math.Round(0.3 * sku.UnitCost, 2), sku.SalvageValue);
            Assert.Contains(sku.Category, new[] { "down-jacket", "thermal", "scarf" });
            var s = _truth.IndexOfSku(sku.Sku);
            var early = _truth.Mean[s].Take(28).Average();
            Assert.Equal(Math.Round(14 * early), sku.InitialOnHand);
        }

        Assert.Contains(_ds.Skus, s => s.Moq > 0);
        Assert.Contains(_ds.Skus, s => s.CasePack > 1);
        Assert.Equal("down-jacket-0001", _ds.Skus[0].Sku);
    }

    [Fact]
    public void Promotions_lower_the_price_and_raise_the_mean()
    {
        var promoDays = 0;
        for (var s = 0; s < _ds.Series.Count; s++)
        {
            var series = _ds.Series[s];
            var list = _ds.Skus[s].UnitPrice;
            for (var d = 0; d < _ds.Days; d++)
            {
                if (series.Promo![d])
                {
                    promoDays++;
                    Assert.True(series.Price![d] < list);
                }
                else
                {
                    Assert.Equal(list, series.Price![d]);
                }
            }
        }

        Assert.True(promoDays > 0);
    }

    [Fact]
    public void The_calendar_names_the_standard_holidays()
    {
        Assert.Equal(StandardHolidays.SpringFestival.Name, _ds.Calendar!.Holiday[_ds.IndexOf(new DateOnly(2024, 2, 10))]);
        Assert.Equal(StandardHolidays.Double11.Name, _ds.Calendar.Holiday[_ds.IndexOf(new DateOnly(2023, 11, 11))]);
        Assert.Null(_ds.Calendar.Holiday[_ds.IndexOf(new DateOnly(2023, 11, 12))]);
    }

    [Fact]
    public void Summer_demand_is_higher_in_july_than_in_january()
    {
        var ds = SeasonGenerator.Generate(new GeneratorOptions { Preset = SeasonPresets.Summer, Skus = 30, Years = 2 }).Dataset;
        Assert.True(MeanUnits(ds, d => d.Month == 7) > 2 * MeanUnits(ds, d => d.Month == 1));
    }

    [Fact]
    public void Rain_gear_has_a_higher_mean_on_wet_days()
    {
        var season = SeasonGenerator.Generate(new GeneratorOptions { Preset = SeasonPresets.Rain, Skus = 30, Years = 2 });
        var ds = season.Dataset;
        double wet = 0, dry = 0;
        int nWet = 0, nDry = 0;
        for (var s = 0; s < ds.Skus.Count; s++)
        {
            var precip = ds.Weather![ds.Skus[s].Region].PrecipMm;
            for (var d = 0; d < ds.Days; d++)
            {
                if (ds.Series[s].Promo![d] || ds.Calendar!.Holiday[d] is not null)
                {
                    continue;
                }

                if (precip[d] >= 10)
                {
                    wet += season.Truth.Mean[s][d];
                    nWet++;
                }
                else if (precip[d] == 0 && (d == 0 || precip[d - 1] == 0))
                {
                    dry += season.Truth.Mean[s][d];
                    nDry++;
                }
            }
        }

        Assert.True(wet / nWet > 1.5 * (dry / nDry));
    }

    [Fact]
    public void The_steady_preset_is_flat_with_a_weekly_pattern()
    {
        var season = SeasonGenerator.Generate(new GeneratorOptions { Preset = SeasonPresets.Steady, Skus = 10, Days = 70 });
        foreach (var series in season.Dataset.Series)
        {
            Assert.DoesNotContain(true, series.Promo!);
        }

        // Same weekday, same mean: the mean repeats every 7 days, and Saturday is above Monday.
        var mean = season.Truth.Mean[0];
        for (var d = 7; d < mean.Length; d++)
        {
            Assert.Equal(mean[d - 7], mean[d]);
        }

        var start = season.Dataset.Start; // 2021-01-01 is a Friday
        Assert.Equal(DayOfWeek.Friday, start.DayOfWeek);
        Assert.True(mean[1] > mean[3]); // Saturday 2 Jan > Monday 4 Jan
    }

    [Fact]
    public void Ten_thousand_skus_for_a_year_generate_in_memory()
    {
        var season = SeasonGenerator.Generate(new GeneratorOptions { Skus = 10_000, Years = 1, Seed = 1 });
        Assert.Equal(10_000, season.Dataset.Skus.Count);
        Assert.Equal(365, season.Dataset.Days);
        Assert.Equal("down-jacket-00001", season.Dataset.Skus[0].Sku);
    }

    [Fact]
    public void An_unknown_preset_is_rejected_with_the_valid_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => SeasonGenerator.Generate(new GeneratorOptions { Preset = "winter" }));
        Assert.Contains("down-jackets, summer, rain, steady", ex.Message, StringComparison.Ordinal);
    }
}
