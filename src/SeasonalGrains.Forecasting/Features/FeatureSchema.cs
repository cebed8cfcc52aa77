using System.Text.Json;
using System.Text.Json.Serialization;
using SeasonalGrains.Domain.Calendar;

namespace SeasonalGrains.Forecasting.Features;

/// <summary>Scaling of one SKU, fitted on training days only.</summary>
/// <param name="UnitScale">Units are divided by this: the SKU's mean daily units, at least <see cref="FeatureSchema.MinUnitScale"/>.</param>
/// <param name="RegularPrice">Median price over the fitted days; price features are price / RegularPrice.</param>
public sealed record SkuScaler(double UnitScale, double RegularPrice);

/// <summary>Mean and standard deviation of each weather variable of one region, fitted on training days.</summary>
public sealed record WeatherScaler(
    double TempMean,
    double TempStd,
    double HumidityMean,
    double HumidityStd,
    double PrecipMean,
    double PrecipStd)
{
    public static WeatherScaler Identity { get; } = new(0, 1, 0, 1, 0, 1);
}

/// <summary>
/// Feature order and scalers of the LSTM, fitted once on training data and saved inside the model, so
/// inference builds exactly the inputs the network was trained on.
/// <para>
/// Per SKU-day there are two groups. Past-only features (<see cref="PastOnlyFeatures"/>) exist for days
/// before the forecast origin: whether the day is observed (0 for padding before the data starts),
/// units / the scale (<see cref="SkuScaler.UnitScale"/>, or the recent level with <see cref="UnitScaling.Level"/>), the trend (mean of the last 7 days over the mean of the last
/// 28, both ending on that day) and weather z-scored with the region's training statistics; with
/// <see cref="UnitScaling.Level"/> also ln(level / unit scale), so the network knows the scale it works in.
/// Known-future features (<see cref="KnownFeatures"/>) exist for every day, past and horizon: day of week
/// and day of year as sin/cos, per holiday group a flag and the days to the next and since the previous
/// holiday (capped at <see cref="HolidayHorizonDays"/> and divided by it), price / regular price, promo,
/// the seasonal index and whether it is available, and the dataset's calendar event columns.
/// </para>
/// <para>
/// The seasonal index of day d is the mean units of the 7-day windows centred on d - 364k (k = 1..3, same
/// weekday a year, two, three years earlier) divided by the mean units of every day up to d - 361. With
/// <see cref="SeasonalAlignment.Holidays"/> a day within 35 days of a holiday whose date moves against the 52-week lag
/// looks back to the same distance from that holiday's earlier occurrence instead (at most 35 days off d - 364k; when
/// d - 361 is before the first day, the base ends at d - 326). It
/// reads no unit later than d - 326, so for a horizon of at most 326 days it never sees the origin or later.
/// </para>
/// The encoder's input per past day is the past-only features followed by the known features; the
/// horizon's input per day is the known features. Category and region are looked up in
/// <see cref="Categories"/> and <see cref="Regions"/> (index 0 = not seen in training) for embeddings.
/// </summary>
public sealed record FeatureSchema
{
    public const int CurrentVersion = 1;

    /// <summary>Name of the holiday group that collects every holiday outside the standard four.</summary>
    public const string OtherHolidays = "other";

    /// <summary>Name of vocabulary entry 0 of <see cref="Categories"/> and <see cref="Regions"/>.</summary>
    public const string Unknown = "<unknown>";

    /// <summary>Years back the seasonal index looks (k = 1..SeasonalYears).</summary>
    public const int SeasonalYears = 3;

    /// <summary>Lag of one "year" in days: 52 weeks, so the weekday matches.</summary>
    public const int SeasonalLag = 364;

    /// <summary>
    /// Most days <see cref="SeasonalAlignment.Holidays"/> moves a year's look-back off <see cref="SeasonalLag"/> x k: a
    /// lunar holiday such as Spring Festival moves up to about 20 days a year against the 52-week lag, 30 over three years.
    /// </summary>
    public const int MaxHolidayShift = 35;

    /// <summary>Days before and after a moving holiday within which <see cref="SeasonalAlignment.Holidays"/> aligns on it.</summary>
    public const int HolidayAlignmentReach = 35;

    /// <summary>The seasonal index of day d reads units up to d - SeasonalReach only (whatever the alignment).</summary>
    public const int SeasonalReach = SeasonalLag - 3 - MaxHolidayShift;

    /// <summary>The denominator of the seasonal index of day d: the mean units of every day up to d - SeasonalBaseEnd.</summary>
    public const int SeasonalBaseEnd = SeasonalLag - 3;

    /// <summary>Longest horizon the features support without reading units at or after the origin.</summary>
    public const int MaxHorizon = SeasonalReach;

    public static IReadOnlyList<string> StandardHolidayGroups { get; } =
        [.. StandardHolidays.All.Select(h => h.Name), OtherHolidays];

    /// <summary>The past-only features of <see cref="UnitScaling.Sku"/>.</summary>
    public static IReadOnlyList<string> PastOnlyFeatureNames { get; } =
        ["observed", "units", "trend_7_28", "temp_z", "humidity_z", "precip_z"];

    /// <summary>The past-only feature that <see cref="UnitScaling.Level"/> adds: ln(level after the day / the SKU's unit scale).</summary>
    public const string LevelRatioFeature = "log_level_ratio";

    /// <summary>The past-only features this code writes with <paramref name="scaling"/>.</summary>
    public static IReadOnlyList<string> PastOnlyFeatureNamesFor(UnitScaling scaling) =>
        scaling == UnitScaling.Level ? [.. PastOnlyFeatureNames, LevelRatioFeature] : PastOnlyFeatureNames;

    /// <summary>Default of <see cref="LevelWindow"/>: the encoder's window, as DeepAR scales by its context window.</summary>
    public const int DefaultLevelWindow = 28;

    /// <summary>Default of <see cref="LevelFloor"/>.</summary>
    public const double DefaultLevelFloor = 0.5;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Days of history fed to the encoder (the window ends the day before the origin).</summary>
    public required int Window { get; init; }

    /// <summary>Days forecast from the origin.</summary>
    public required int Horizon { get; init; }

    /// <summary>Training data ends (exclusive) at this day index; scalers were fitted on days before it.</summary>
    public required int FitEndDay { get; init; }

    public required IReadOnlyList<string> PastOnlyFeatures { get; init; }

    public required IReadOnlyList<string> KnownFeatures { get; init; }

    public required IReadOnlyList<string> HolidayGroups { get; init; }

    /// <summary>Event columns of calendar.csv used as known features, in order.</summary>
    public required IReadOnlyList<string> EventColumns { get; init; }

    /// <summary>Category vocabulary; entry 0 is <see cref="Unknown"/>.</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>Region vocabulary; entry 0 is <see cref="Unknown"/>.</summary>
    public required IReadOnlyList<string> Regions { get; init; }

    /// <summary>Scalers of the training SKUs by SKU id. Other SKUs get scalers from their own history.</summary>
    public required IReadOnlyDictionary<string, SkuScaler> Skus { get; init; }

    /// <summary>Weather scalers by region.</summary>
    public required IReadOnlyDictionary<string, WeatherScaler> Weather { get; init; }

    /// <summary>Weather scaler over all regions, for a region without its own.</summary>
    public required WeatherScaler PooledWeather { get; init; }

    /// <summary>Default of <see cref="MinUnitScale"/>.</summary>
    public const double DefaultMinUnitScale = 1.0;

    public int HolidayHorizonDays { get; init; } = 60;

    /// <summary>
    /// How units are scaled; a schema saved without it (every model before the option) is <see cref="UnitScaling.Sku"/>.
    /// With <see cref="UnitScaling.Level"/> the scale at origin t is the level L(t): the mean units of days
    /// max(0, t - <see cref="LevelWindow"/>) .. t - 1, at least <see cref="LevelFloor"/> x the SKU's unit scale and
    /// at least <see cref="MinUnitScale"/> (L(0) is the unit scale). Units of day d are divided by L(d + 1), the
    /// level a forecast made right after day d uses, and the outputs made at origin t are multiplied by L(t).
    /// </summary>
    public UnitScaling Scaling { get; init; } = UnitScaling.Sku;

    /// <summary>
    /// Where the seasonal index looks a year back; a schema saved without it (every model before the option) is
    /// <see cref="SeasonalAlignment.Date"/>.
    /// </summary>
    public SeasonalAlignment SeasonalAlignment { get; init; } = SeasonalAlignment.Date;

    /// <summary>
    /// Whether the LSTM's daily and interval quantiles are whole numbers (<see cref="Lstm.QuantileLstm.Finish"/>), for
    /// demand counted in whole units; the training option <c>integer-quantiles</c>, refused for a dataset with a
    /// fractional unit. False in a schema saved without it (every model before it): continuous quantiles.
    /// </summary>
    public bool IntegerQuantiles { get; init; }

    /// <summary>Days the level of <see cref="UnitScaling.Level"/> averages.</summary>
    public int LevelWindow { get; init; } = DefaultLevelWindow;

    /// <summary>Lowest level of <see cref="UnitScaling.Level"/> as a share of the SKU's unit scale, so runs of zeros do not blow the scaled units up.</summary>
    public double LevelFloor { get; init; } = DefaultLevelFloor;

    /// <summary>Lowest unit scale: SKUs selling under one unit a day are modelled in raw units.</summary>
    public double MinUnitScale { get; init; } = DefaultMinUnitScale;

    /// <summary>Features per past day: past-only then known.</summary>
    [JsonIgnore]
    public int PastFeatureCount => PastOnlyFeatures.Count + KnownFeatures.Count;

    [JsonIgnore]
    public int KnownFeatureCount => KnownFeatures.Count;

    /// <summary>Floats in <see cref="ForecastWindow.Past"/>.</summary>
    [JsonIgnore]
    public int PastLength => Window * PastFeatureCount;

    /// <summary>Floats in <see cref="ForecastWindow.Future"/>.</summary>
    [JsonIgnore]
    public int FutureLength => Horizon * KnownFeatureCount;

    /// <summary>The known-feature names the code writes for these holiday groups and event columns.</summary>
    public static IReadOnlyList<string> KnownFeatureNames(IReadOnlyList<string> holidayGroups, IReadOnlyList<string> eventColumns)
    {
        var names = new List<string> { "dow_sin", "dow_cos", "doy_sin", "doy_cos" };
        foreach (var group in holidayGroups)
        {
            names.Add($"holiday:{group}");
            names.Add($"days_to:{group}");
            names.Add($"days_since:{group}");
        }

        names.AddRange(["price_rel", "promo", "seasonal_index", "seasonal_available"]);
        names.AddRange(eventColumns.Select(e => $"event:{e}"));
        return names;
    }

    /// <summary>
    /// Fits the scalers and vocabularies on days [0, <paramref name="fitEndDay"/>) of <paramref name="dataset"/>.
    /// Units must be cleaned (finite, non-negative) over those days.
    /// </summary>
    public static FeatureSchema Fit(
        Dataset dataset,
        int window,
        int horizon,
        int fitEndDay,
        UnitScaling scaling = UnitScaling.Sku,
        SeasonalAlignment alignment = SeasonalAlignment.Date,
        bool integerQuantiles = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be at least 1 day.");
        }

        if (horizon < 1 || horizon > MaxHorizon)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"The horizon must be within 1..{MaxHorizon} days.");
        }

        if (fitEndDay < 1 || fitEndDay > dataset.Days)
        {
            throw new ArgumentOutOfRangeException(nameof(fitEndDay), fitEndDay, $"The fit range must end within 1..{dataset.Days}.");
        }

        if (dataset.Series.Count != dataset.Skus.Count)
        {
            throw new ArgumentException($"The dataset has {dataset.Skus.Count} SKUs but {dataset.Series.Count} series.", nameof(dataset));
        }

        var skus = new Dictionary<string, SkuScaler>(StringComparer.Ordinal);
        for (var s = 0; s < dataset.Skus.Count; s++)
        {
            var info = dataset.Skus[s];
            var series = dataset.Series[s];
            FeatureMath.RequireCleanUnits(dataset, series, fitEndDay);
            skus[info.Sku] = new SkuScaler(
                Math.Max(FeatureMath.Mean(series.Units, 0, fitEndDay), DefaultMinUnitScale),
                FeatureMath.RegularPrice(series, info, fitEndDay));
        }

        var weather = new Dictionary<string, WeatherScaler>(StringComparer.Ordinal);
        var pooled = new[] { new List<double>(), new List<double>(), new List<double>() };
        if (dataset.Weather is { } regions)
        {
            foreach (var (region, w) in regions.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                var (tm, ts) = FeatureMath.MeanStd(w.TempC, fitEndDay, pooled[0]);
                var (hm, hs) = FeatureMath.MeanStd(w.Humidity, fitEndDay, pooled[1]);
                var (pm, ps) = FeatureMath.MeanStd(w.PrecipMm, fitEndDay, pooled[2]);
                weather[region] = new WeatherScaler(tm, ts, hm, hs, pm, ps);
            }
        }

        var (ptm, pts) = FeatureMath.MeanStd([.. pooled[0]], pooled[0].Count, null);
        var (phm, phs) = FeatureMath.MeanStd([.. pooled[1]], pooled[1].Count, null);
        var (ppm, pps) = FeatureMath.MeanStd([.. pooled[2]], pooled[2].Count, null);

        var events = dataset.Calendar?.Events.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
        var groups = StandardHolidayGroups;
        return new FeatureSchema
        {
            Window = window,
            Horizon = horizon,
            FitEndDay = fitEndDay,
            PastOnlyFeatures = PastOnlyFeatureNamesFor(scaling),
            Scaling = scaling,
            SeasonalAlignment = alignment,
            IntegerQuantiles = integerQuantiles && RequireWholeUnits(dataset, fitEndDay),
            KnownFeatures = KnownFeatureNames(groups, events),
            HolidayGroups = groups,
            EventColumns = events,
            Categories = [Unknown, .. dataset.Skus.Select(s => s.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Regions = [Unknown, .. dataset.Skus.Select(s => s.Region).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Skus = skus,
            Weather = weather,
            PooledWeather = new WeatherScaler(ptm, pts, phm, phs, ppm, pps),
        };
    }

    /// <summary>True when every unit of days [0, <paramref name="fitEndDay"/>) is a whole number; else throws, naming the first that is not.</summary>
    private static bool RequireWholeUnits(Dataset dataset, int fitEndDay)
    {
        foreach (var series in dataset.Series)
        {
            for (var d = 0; d < Math.Min(fitEndDay, series.Units.Length); d++)
            {
                if (!double.IsInteger(series.Units[d]))
                {
                    throw new ArgumentException(
                        $"Integer quantiles need demand in whole units, but SKU {series.Sku} sold {series.Units[d].ToString(CultureInfo.InvariantCulture)} on {dataset.DateOf(d):yyyy-MM-dd}.",
                        nameof(dataset));
                }
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> when the schema is not one this code can build inputs for.</summary>
    public void Validate()
    {
        if (Version != CurrentVersion)
        {
            throw new InvalidDataException($"Feature schema version {Version} is not supported (expected {CurrentVersion}).");
        }

        if (Window < 1 || Horizon < 1 || Horizon > MaxHorizon || HolidayHorizonDays < 1 || !(MinUnitScale > 0))
        {
            throw new InvalidDataException($"Feature schema has window {Window}, horizon {Horizon}, holiday horizon {HolidayHorizonDays} and minimum unit scale {MinUnitScale.ToString(CultureInfo.InvariantCulture)}; need window >= 1, horizon in 1..{MaxHorizon}, holiday horizon >= 1 and a positive minimum scale.");
        }

        if (!Enum.IsDefined(SeasonalAlignment))
        {
            throw new InvalidDataException($"Feature schema has seasonal alignment {SeasonalAlignment}; need {string.Join(" or ", JsonEnumNames<SeasonalAlignment>.Names)}.");
        }

        if (!Enum.IsDefined(Scaling) || LevelWindow < 1 || !(LevelFloor > 0) || !double.IsFinite(LevelFloor))
        {
            throw new InvalidDataException(
                $"Feature schema has scaling {Scaling}, level window {LevelWindow} and level floor {LevelFloor.ToString(CultureInfo.InvariantCulture)}; need scaling {string.Join(" or ", UnitScalings.Names)}, a level window of at least 1 day and a positive floor.");
        }

        var pastOnly = PastOnlyFeatureNamesFor(Scaling);
        if (!PastOnlyFeatures.SequenceEqual(pastOnly))
        {
            throw new InvalidDataException(
                $"Feature schema lists past-only features [{string.Join(", ", PastOnlyFeatures)}] but this code writes [{string.Join(", ", pastOnly)}] with scaling '{UnitScalings.Name(Scaling)}'.");
        }

        var known = KnownFeatureNames(HolidayGroups, EventColumns);
        if (!KnownFeatures.SequenceEqual(known))
        {
            throw new InvalidDataException(
                $"Feature schema lists known features [{string.Join(", ", KnownFeatures)}] but this code writes [{string.Join(", ", known)}].");
        }

        if (Categories.Count < 1 || Categories[0] != Unknown || Regions.Count < 1 || Regions[0] != Unknown)
        {
            throw new InvalidDataException($"Feature schema vocabularies must start with '{Unknown}'.");
        }

        foreach (var (sku, scaler) in Skus)
        {
            if (!(scaler.UnitScale > 0) || !double.IsFinite(scaler.UnitScale) || !(scaler.RegularPrice > 0) || !double.IsFinite(scaler.RegularPrice))
            {
                throw new InvalidDataException(
                    $"Feature schema has scaler ({scaler.UnitScale.ToString(CultureInfo.InvariantCulture)}, {scaler.RegularPrice.ToString(CultureInfo.InvariantCulture)}) for SKU '{sku}'; both must be positive.");
            }
        }
    }

    /// <summary>Vocabulary index of <paramref name="category"/>, 0 when training never saw it.</summary>
    public int CategoryIndex(string category) => IndexOf(Categories, category);

    /// <summary>Vocabulary index of <paramref name="region"/>, 0 when training never saw it.</summary>
    public int RegionIndex(string region) => IndexOf(Regions, region);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static FeatureSchema FromJson(string json)
    {
        var schema = JsonSerializer.Deserialize<FeatureSchema>(json, JsonOptions)
            ?? throw new InvalidDataException("Feature schema JSON is empty.");
        schema.Validate();
        return schema;
    }

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static int IndexOf(IReadOnlyList<string> vocabulary, string value)
    {
        for (var i = 1; i < vocabulary.Count; i++)
        {
            if (string.Equals(vocabulary[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return 0;
    }
}
