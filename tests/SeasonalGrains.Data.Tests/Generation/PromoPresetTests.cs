using SeasonalGrains.Data.Generation;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Data.Truth;

namespace SeasonalGrains.Data.Tests.Generation;

/// <summary>Sixteen SKUs of the grocery preset over two years, shared by the tests that only read them.</summary>
public sealed class PromoFixture
{
    public GeneratedSeason Season { get; } =
        SeasonGenerator.Generate(new GeneratorOptions { Preset = SeasonPresets.Promo, Skus = 16, Years = 2, Seed = 3 });
}

public class PromoPresetTests(PromoFixture fixture) : IClassFixture<PromoFixture>
{
    private const int DipDays = 3;

    private readonly Dataset _ds = fixture.Season.Dataset;
    private readonly TruthTable _truth = fixture.Season.Truth;

    private bool Closed(int day) => _ds.Calendar!.Events["closed"][day] == 1;

    /// <summary>Open, not on promotion and not within <see cref="DipDays"/> after a promotion.</summary>
    private bool Regular(int sku, int day)
    {
        var promo = _ds.Series[sku].Promo!;
        if (Closed(day) || promo[day])
        {
            return false;
        }

        for (var back = 1; back <= DipDays && day - back >= 0; back++)
        {
            if (promo[day - back])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Sum of the truth mean on the days <paramref name="pick"/> selects over the sum on open regular days of the
    /// same weekday one to four weeks before and after: weekday and growth cancel.
    /// </summary>
    private double RatioToSameWeekday(int sku, Func<int, bool> pick)
    {
        var mean = _truth.Mean[sku];
        double picked = 0, reference = 0;
        for (var d = 0; d < _ds.Days; d++)
        {
            if (Closed(d) || !pick(d))
            {
                continue;
            }

            double sum = 0;
            var n = 0;
            foreach (var offset in (int[])[-28, -21, -14, -7, 7, 14, 21, 28])
            {
                var e = d + offset;
                if (e >= 0 && e < _ds.Days && Regular(sku, e))
                {
                    sum += mean[e];
                    n++;
                }
            }

            if (n > 0)
            {
                picked += mean[d];
                reference += sum / n;
            }
        }

        return picked / reference;
    }

    [Fact]
    public void About_a_third_of_the_days_are_promotions_in_runs_of_three_to_ten_days()
    {
        long promoDays = 0, allDays = 0;
        foreach (var series in _ds.Series)
        {
            promoDays += series.Promo!.Count(p => p);
            allDays += series.Promo!.Length;

            // every run that starts and ends inside the range lasts 3..10 days
            var run = 0;
            var sawStart = false;
            for (var d = 0; d < series.Promo.Length; d++)
            {
                if (series.Promo[d])
                {
                    run++;
                    continue;
                }

                if (run > 0 && sawStart)
                {
                    Assert.InRange(run, 3, 10);
                }

                run = 0;
                sawStart = true;
            }
        }

        Assert.InRange((double)promoDays / allDays, 0.28, 0.38);
    }

    [Fact]
    public void Promotion_days_show_the_promo_price_and_other_days_the_list_price()
    {
        for (var s = 0; s < _ds.Skus.Count; s++)
        {
            var list = _ds.Skus[s].UnitPrice;
            var series = _ds.Series[s];
            for (var d = 0; d < _ds.Days; d++)
            {
                if (series.Promo![d])
                {
                    // 20-30% off, rounded to the cent
                    Assert.InRange(series.Price![d], (list * 0.70) - 0.006, (list * 0.80) + 0.006);
                }
                else
                {
                    Assert.Equal(list, series.Price![d]);
                }
            }
        }
    }

    [Fact]
    public void Promotions_lift_the_true_mean_two_to_four_times_and_the_days_after_dip()
    {
        var lifts = new List<double>();
        for (var s = 0; s < _ds.Skus.Count; s++)
        {
            var promo = _ds.Series[s].Promo!;
            var lift = RatioToSameWeekday(s, d => promo[d]);
            var dayAfter = RatioToSameWeekday(s, d => !promo[d] && d > 0 && promo[d - 1]);

            // per SKU the lift L is drawn in [2, 4] at 25% off; runs at 20% or 30% off lift 0.8x or 1.2x as much over 1
            Assert.InRange(lift, 1.7, 4.7);

            // the first day after a run is 10-30% below a regular day
            Assert.InRange(dayAfter, 0.65, 0.92);
            lifts.Add(lift);
        }

        Assert.InRange(lifts.Average(), 2.0, 4.0);
    }

    [Fact]
    public void The_store_is_closed_on_christmas_new_year_and_two_random_days_a_year_with_zero_demand()
    {
        var closed = Enumerable.Range(0, _ds.Days).Where(Closed).Select(_ds.DateOf).ToList();

        // two years, four closures each
        Assert.Equal(8, closed.Count);
        Assert.Equal(4, closed.Count(d => d.Year == 2021));
        Assert.Contains(new DateOnly(2021, 1, 1), closed);
        Assert.Contains(new DateOnly(2022, 12, 25), closed);
        Assert.Equal("christmas|closed", _ds.Calendar!.Holiday[_ds.IndexOf(new DateOnly(2021, 12, 25))]);
        Assert.Equal("new-year|closed", _ds.Calendar.Holiday[_ds.IndexOf(new DateOnly(2022, 1, 1))]);
        Assert.Equal(4, closed.Count(d => _ds.Calendar.Holiday[_ds.IndexOf(d)] == "closed")); // the random ones

        // open days carry no holiday
        Assert.Equal(8, _ds.Calendar.Holiday.Count(h => h is not null));

        var top = _truth.LevelIndex(0.995);
        foreach (var date in closed)
        {
            var d = _ds.IndexOf(date);
            for (var s = 0; s < _ds.Skus.Count; s++)
            {
                Assert.Equal(0, _truth.Mean[s][d]);
                Assert.Equal(0, _truth.Quantile(s, top)[d]);
                Assert.Equal(0, _ds.Series[s].Units[d]);
            }
        }
    }

    [Fact]
    public void Regular_days_differ_only_by_weekday_and_a_steady_growth()
    {
        // no weather or season: on regular days the mean a week later is the same factor (1 + g)^(7/365.25) all along
        var growths = new List<double>();
        for (var s = 0; s < _ds.Skus.Count; s++)
        {
            var mean = _truth.Mean[s];
            double Factor(int lag)
            {
                var ratios = Enumerable.Range(0, _ds.Days - lag)
                    .Where(d => Regular(s, d) && Regular(s, d + lag))
                    .Select(d => mean[d + lag] / mean[d])
                    .Order()
                    .ToList();
                return ratios[ratios.Count / 2];
            }

            var week = Factor(7);
            for (var d = 0; d + 7 < _ds.Days; d++)
            {
                if (Regular(s, d) && Regular(s, d + 7))
                {
                    // means are rounded to 4 decimals
                    Assert.InRange(mean[d + 7] - (week * mean[d]), -1.2e-4, 1.2e-4);
                }
            }

            growths.Add(Math.Pow(Factor(364), 365.25 / 364) - 1);
        }

        // yearly growth in -10%..+30%, some SKUs declining
        Assert.All(growths, g => Assert.InRange(g, -0.101, 0.301));
        Assert.Contains(growths, g => g < 0);
        Assert.Contains(growths, g => g > 0.15);
    }

    [Fact]
    public void Skus_are_shelf_stable_with_short_lead_times_no_moq_and_small_case_packs()
    {
        Assert.All(_ds.Skus, s =>
        {
            Assert.Equal(s.UnitCost, s.SalvageValue);
            Assert.InRange(s.LeadTimeDays, 1, 3);
            Assert.Equal(0, s.Moq);
            Assert.Contains(s.CasePack, (double[])[1, 6]);
            Assert.InRange(s.UnitCost / s.UnitPrice, 0.54, 0.76);
            Assert.Equal("store", s.Region);
        });
        Assert.Equal(["beverages", "household", "pantry", "snacks"], _ds.Skus.Select(s => s.Category).Distinct().Order());
    }

    [Fact]
    public void Levels_span_intermittent_to_fast_movers()
    {
        var season = SeasonGenerator.Generate(new GeneratorOptions { Preset = SeasonPresets.Promo, Skus = 120, Years = 1, Seed = 1 });
        var means = season.Truth.Mean.Select(m => m.Average()).ToList();

        Assert.Contains(means, m => m < 1);
        Assert.Contains(means, m => m > 30);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_the_folder_reads_back()
    {
        using var temp = new TempFolder();
        var options = new GeneratorOptions { Preset = SeasonPresets.Promo, Skus = 8, Days = 400, Seed = 5 };
        SeasonGenerator.GenerateTo(options, temp.Sub("a"));
        SeasonGenerator.GenerateTo(options, temp.Sub("b"));
        SeasonGenerator.GenerateTo(options with { Seed = 6 }, temp.Sub("c"));

        byte[][] Files(string folder) =>
            [.. DatasetFiles.All.Where(f => File.Exists(Path.Combine(folder, f))).Order().Select(f => File.ReadAllBytes(Path.Combine(folder, f)))];
        Assert.Equal(6, Files(temp.Sub("a")).Length);
        Assert.Equal(Files(temp.Sub("a")), Files(temp.Sub("b")));
        Assert.NotEqual(
            File.ReadAllBytes(Path.Combine(temp.Sub("a"), DatasetFiles.Demand)),
            File.ReadAllBytes(Path.Combine(temp.Sub("c"), DatasetFiles.Demand)));

        var read = DatasetReader.Read(temp.Sub("a"));
        var generated = SeasonGenerator.Generate(options).Dataset;
        Assert.Equal(generated.Calendar!.Events["closed"], read.Calendar!.Events["closed"]);
        Assert.Equal("christmas|closed", read.Calendar.Holiday[read.IndexOf(new DateOnly(2021, 12, 25))]);
        Assert.Equal(generated.Series[0].Promo, read.Series[0].Promo);
    }
}
