using SeasonalGrains.Data.Truth;
using SeasonalGrains.Domain.Calendar;

namespace SeasonalGrains.Data.Generation;

/// <summary>
/// Generates a seasonal demand dataset with a known truth. Per SKU and day the mean μ is
/// <c>base · exp(weekly + sensitivity · weather + season phase + holidays) · (price / list price)^(−elasticity)</c>,
/// and units are drawn from a negative binomial with mean μ and a per-SKU size (variance μ + μ²/size).
/// The <see cref="TruthTable"/> holds μ and the exact quantiles of that distribution. Deterministic by
/// seed: every SKU and region draws from its own xoshiro256** stream, so the result does not depend on
/// thread scheduling. The grocery preset (<see cref="SeasonPresets.Promo"/>) has its own mean model: see
/// <c>SeasonGenerator.Grocery.cs</c>.
/// </summary>
public static partial class SeasonGenerator
{
    private const ulong WeatherStream = 0x5745415448455200UL;
    private static readonly double[] Discounts = [0.10, 0.15, 0.20, 0.25, 0.30];
    private static readonly HolidayCalendar Holidays = HolidayCalendar.Standard;

    public static IReadOnlyList<string> Presets => SeasonPresets.All;

    /// <summary>Generates the dataset and its truth in memory. <paramref name="progress"/> receives 0..1.</summary>
    public static GeneratedSeason Generate(GeneratorOptions options, IProgress<double>? progress = null)
    {
        var (dataset, means, sizes) = Generate(options, null, progress);
        var truth = TruthTable.FromNegativeBinomial([.. dataset.Skus.Select(s => s.Sku)], dataset.Start, dataset.Days, means, sizes);
        progress?.Report(1.0);
        return new GeneratedSeason(dataset, truth);
    }

    /// <summary>
    /// Only the SKUs at <paramref name="indices"/> (0-based, of the <see cref="GeneratorOptions.Skus"/> of
    /// <paramref name="options"/>), in that order: each one's series, names and terms are those of the whole dataset
    /// (every SKU draws from its own stream), so a large dataset can be generated batch by batch. No truth table.
    /// </summary>
    public static Dataset GenerateSkus(GeneratorOptions options, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return Generate(options, indices, null).Dataset;
    }

    /// <summary>The name of SKU <paramref name="index"/> (0-based) of a dataset generated with <paramref name="options"/>.</summary>
    public static string SkuName(GeneratorOptions options, int index)
    {
        ArgumentNullException.ThrowIfNull(options);
        var categories = PresetDefinition.Get(options.Preset).Categories;
        return SkuName(categories[index % categories.Length].Name, index, SkuNameWidth(options.Skus));
    }

    private static int SkuNameWidth(int skus) => Math.Max(4, skus.ToString(CultureInfo.InvariantCulture).Length);

    private static string SkuName(string category, int index, int width) =>
        $"{category}-{(index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')}";

    private static (Dataset Dataset, double[][] Means, double[] Sizes) Generate(GeneratorOptions options, IReadOnlyList<int>? indices, IProgress<double>? progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        var preset = PresetDefinition.Get(options.Preset);
        var days = options.DayCount;
        if (options.Skus is < 1 or > 10_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Skus, "Skus must be between 1 and 10,000,000");
        }

        if (days is < 1 or > 36_600)
        {
            throw new ArgumentOutOfRangeException(nameof(options), days, "the length must be between 1 day and 100 years");
        }

        foreach (var index in indices ?? [])
        {
            if (index < 0 || index >= options.Skus)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"SKU indices must be between 0 and {options.Skus - 1}");
            }
        }

        var start = options.Start;
        var seed = unchecked((ulong)(long)options.Seed);

        var weather = new RegionWeather[preset.Regions.Length];
        for (var r = 0; r < weather.Length; r++)
        {
            weather[r] = WeatherGenerator.Generate(preset.Regions[r], start, days, new Xoshiro256StarStar(seed, WeatherStream + (ulong)r));
        }

        var holidayNames = new string?[days];
        var holidayEffect = new double[days];
        var festivalSale = new bool[days];
        var events = new Dictionary<string, double[]>(StringComparer.Ordinal);
        bool[]? closed = null;
        if (preset.Grocery is { } grocery)
        {
            closed = ClosureDays(grocery, start, days, new Xoshiro256StarStar(seed, ClosureStream));
            GroceryCalendar(closed, start, holidayNames);
            events[GroceryModel.Closed] = [.. closed.Select(c => c ? 1.0 : 0.0)];
        }
        else
        {
            for (var d = 0; d < days; d++)
            {
                var date = start.AddDays(d);
                holidayNames[d] = Holidays.HolidayOn(date);
                holidayEffect[d] = HolidayEffect(preset.Holidays, date);
                festivalSale[d] = preset.Holidays.FestivalDiscounts && (holidayNames[d] == StandardHolidays.Double11.Name || holidayNames[d] == StandardHolidays.Sale618.Name);
            }
        }

        // Shared log-effects per (region, category): weather and the season phase.
        var categories = preset.Categories;
        var shared = new double[preset.Regions.Length, categories.Length][];
        for (var r = 0; r < preset.Regions.Length; r++)
        {
            for (var c = 0; c < categories.Length; c++)
            {
                shared[r, c] = WeatherEffect(categories[c], weather[r], start);
            }
        }

        var n = indices?.Count ?? options.Skus;
        var width = SkuNameWidth(options.Skus);
        var skus = new SkuInfo[n];
        var series = new SkuSeries[n];
        var means = new double[n][];
        var sizes = new double[n];
        var done = 0;
        Parallel.For(0, n, k =>
        {
            var i = indices?[k] ?? k;
            var c = i % categories.Length;
            var r = (i / categories.Length) % preset.Regions.Length;
            var sku = SkuName(categories[c].Name, i, width);
            var rng = new Xoshiro256StarStar(seed, (ulong)i + 1);
            (skus[k], series[k], means[k], sizes[k]) = preset.Grocery is { } model
                ? GenerateGrocerySku(sku, categories[c], model, preset.Regions[r].Name, closed!, start, days, rng)
                : GenerateSku(sku, categories[c], preset, preset.Regions[r].Name, shared[r, c], holidayEffect, festivalSale, start, days, rng);
            var count = Interlocked.Increment(ref done);
            if (progress is not null && (count & 255) == 0)
            {
                progress.Report((double)count / n);
            }
        });

        var name = options.Name ?? $"{preset.Name}-{options.Skus}skus-seed{options.Seed}";
        var notes = string.Create(
            CultureInfo.InvariantCulture,
            $"Generated by the SeasonalGrains season generator (preset={preset.Name}, skus={options.Skus}, days={days}, start={CsvFormat.FormatDate(start)}, seed={options.Seed}): {preset.Description}. Units are negative binomial draws around a known mean; truth.csv holds that mean and exact quantiles. Unit costs, prices, lead times and stock levels are synthetic.");
        var info = new DatasetInfo(name, "generated (SeasonalGrains SeasonGenerator)", "CC0-1.0 (synthetic data)", start, start.AddDays(days - 1), notes);
        var calendar = new DatasetCalendar(holidayNames, events);
        // Only regions that have SKUs: a dataset's weather.csv may not name regions without SKUs.
        var usedRegions = skus.Select(s => s.Region).ToHashSet(StringComparer.Ordinal);
        var weatherByRegion = weather.Where(w => usedRegions.Contains(w.Region)).ToDictionary(w => w.Region, StringComparer.Ordinal);
        return (new Dataset(info, start, days, skus, series, calendar, weatherByRegion), means, sizes);
    }

    /// <summary>Generates and writes the dataset with truth.csv to <paramref name="folder"/> (see <see cref="DatasetWriter.Write"/> for <paramref name="replace"/>).</summary>
    public static GeneratedSeason GenerateTo(GeneratorOptions options, string folder, IProgress<double>? progress = null, bool replace = true)
    {
        var season = Generate(options, progress is null ? null : new Progress(progress, 0, 0.5));
        DatasetWriter.Write(season.Dataset, folder, season.Truth, progress is null ? null : new Progress(progress, 0.5, 0.5), replace);
        return season;
    }

    private static (SkuInfo, SkuSeries, double[], double) GenerateSku(
        string sku,
        CategoryModel category,
        PresetDefinition preset,
        string region,
        double[] sharedEffect,
        double[] holidayEffect,
        bool[] festivalSale,
        DateOnly start,
        int days,
        Xoshiro256StarStar rng)
    {
        var baseLevel = category.MedianBase * Math.Exp(0.9 * rng.NextNormal());
        var sensitivity = rng.NextUniform(0.7, 1.3);
        var size = Math.Exp(rng.NextUniform(Math.Log(2), Math.Log(25)));
        var elasticity = rng.NextUniform(1.5, 3.0);
        var listPrice = Math.Round(rng.NextUniform(category.MinPrice, category.MaxPrice), 2);
        var cost = Math.Round(listPrice * rng.NextUniform(0.35, 0.6), 2);
        var leadTime = rng.NextInt(3, 14);
        var hasMoq = rng.NextBool(0.3);
        var hasPack = rng.NextBool(0.3);
        var pack = listPrice >= 50 ? (double[])[2, 5, 10] : [6, 12, 24];
        var casePack = hasPack ? pack[rng.NextInt(pack.Length)] : 1;

        var units = new double[days];
        var price = new double[days];
        var promo = new bool[days];
        var mean = new double[days];
        var promoLeft = 0;
        var discount = 0.0;
        for (var d = 0; d < days; d++)
        {
            if (promoLeft == 0 && preset.PromoStartRate > 0 && rng.NextBool(preset.PromoStartRate))
            {
                promoLeft = rng.NextInt(3, 7);
                discount = Discounts[rng.NextInt(Discounts.Length)];
            }

            var dayDiscount = 0.0;
            if (promoLeft > 0)
            {
                dayDiscount = discount;
                promoLeft--;
            }

            if (festivalSale[d])
            {
                dayDiscount = Math.Max(dayDiscount, 0.2);
            }

            price[d] = Math.Round(listPrice * (1 - dayDiscount), 2);
            promo[d] = dayDiscount > 0;
            var weekly = category.Weekly[((int)start.AddDays(d).DayOfWeek + 6) % 7];
            var logMu = weekly + (sensitivity * sharedEffect[d]) + holidayEffect[d] - (elasticity * Math.Log(price[d] / listPrice));
            var mu = Math.Max(0.001, Math.Round(baseLevel * Math.Exp(logMu), 4));
            mean[d] = mu;
            units[d] = rng.NextNegativeBinomial(mu, size);
        }

        var earlyMean = EarlyMean(mean, days);
        var moq = hasMoq ? Math.Max(10, Math.Ceiling(7 * earlyMean / 10) * 10) : 0;
        var info = new SkuInfo(sku, category.Name, region, cost, listPrice, leadTime, Math.Round(14 * earlyMean), moq, casePack, Math.Round(0.3 * cost, 2));
        return (info, new SkuSeries(sku, units, price, promo), mean, size);
    }

    /// <summary>Log-effect of weather and season phase for one category in one region.</summary>
    private static double[] WeatherEffect(CategoryModel category, RegionWeather weather, DateOnly start)
    {
        var days = weather.TempC.Length;
        var effect = new double[days];
        var smoothed = weather.TempC[0];
        for (var d = 0; d < days; d++)
        {
            // 7-day exponential smoothing: shoppers react to the recent feel of the weather, not one day.
            smoothed += 0.25 * (weather.TempC[d] - smoothed);
            var e = category.Driver switch
            {
                WeatherDriver.Cold => category.Beta * Math.Clamp((category.ReferenceTemp - smoothed) / 10, 0, 3),
                WeatherDriver.Heat => category.Beta * Math.Clamp((smoothed - category.ReferenceTemp) / 10, 0, 2),
                WeatherDriver.Rain => category.Beta * (Math.Log(1 + (weather.PrecipMm[d] / 5))
                    + (0.5 * Math.Log(1 + ((d > 0 ? weather.PrecipMm[d - 1] : 0) / 5)))),
                _ => 0,
            };
            if (category.SunnyBonus != 0)
            {
                e += weather.PrecipMm[d] == 0 ? category.SunnyBonus : -category.SunnyBonus;
            }

            // Season phase: positive while it is getting colder (autumn), negative while warming (spring).
            var doy = start.AddDays(d).DayOfYear;
            e += -category.SeasonPhase * Math.Sin(2 * Math.PI * (doy - RegionClimate.ColdestDoy) / 365.25);
            effect[d] = e;
        }

        return effect;
    }

    /// <summary>Log-effect of the holidays around <paramref name="date"/>.</summary>
    private static double HolidayEffect(HolidayProfile p, DateOnly date)
    {
        if (p == HolidayProfile.None)
        {
            return 0;
        }

        var e = 0.0;
        var to11 = Holidays.DaysToNext(date, StandardHolidays.Double11.Name);
        var since11 = Holidays.DaysSincePrevious(date, StandardHolidays.Double11.Name);
        if (to11 == 0)
        {
            e += p.Double11Day;
        }
        else if (to11 is >= 1 and <= 10)
        {
            e += p.Double11Ramp * (11 - to11.Value) / 10; // pre-sale weeks
        }

        if (since11 is >= 1 and <= 7)
        {
            e += p.Double11After; // demand pulled forward into the festival
        }

        var to618 = Holidays.DaysToNext(date, StandardHolidays.Sale618.Name);
        if (to618 == 0)
        {
            e += p.Day618;
        }
        else if (to618 is >= 1 and <= 7)
        {
            e += p.Ramp618 * (8 - to618.Value) / 7;
        }

        // Spring Festival: buying ramps up over three weeks, peaks a week before (when couriers start to
        // close), falls into the festival, pauses during the festival week and recovers slowly.
        var toSf = Holidays.DaysToNext(date, StandardHolidays.SpringFestival.Name);
        var sinceSf = Holidays.DaysSincePrevious(date, StandardHolidays.SpringFestival.Name);
        if (toSf is >= 8 and <= 28)
        {
            e += p.SpringRamp * (28 - toSf.Value) / 20;
        }
        else if (toSf is >= 1 and <= 7)
        {
            e += p.SpringRamp * (toSf.Value - 1) / 7;
        }

        if (sinceSf is >= 0 and <= 7)
        {
            e += p.SpringPause;
        }
        else if (sinceSf is >= 8 and <= 21)
        {
            e += 0.5 * p.SpringPause * (21 - sinceSf.Value) / 13;
        }

        var toXmas = Holidays.DaysToNext(date, StandardHolidays.Christmas.Name);
        if (toXmas is >= 0 and <= 6)
        {
            e += p.ChristmasDay * (7 - toXmas.Value) / 7;
        }

        return e;
    }

    /// <summary>Maps 0..1 progress of a step into a share of the whole.</summary>
    private sealed class Progress(IProgress<double> inner, double offset, double share) : IProgress<double>
    {
        public void Report(double value) => inner.Report(offset + (share * value));
    }

    /// <summary>The mean of a SKU's true daily means over its first four weeks (what its initial stock and MOQ are sized from).</summary>
    private static double EarlyMean(double[] mean, int days)
    {
        var early = mean.AsSpan(0, Math.Min(28, days));
        var sum = 0.0;
        foreach (var m in early)
        {
            sum += m;
        }

        return sum / early.Length;
    }
}
