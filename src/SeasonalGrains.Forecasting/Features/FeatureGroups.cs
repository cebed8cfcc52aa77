namespace SeasonalGrains.Forecasting.Features;

/// <summary>
/// The LSTM's inputs in five groups, for explanations (<see cref="Backtest.PermutationImportance"/>): own history
/// (observed flag, scaled units, the 7/28-day trend and, with level scaling, the level ratio), weather (the three
/// z-scores), calendar and holidays (day of week and of year, the holiday flags and distances, the calendar's event
/// columns), price and promo, and the seasonal index (with its availability flag). Category and region embeddings
/// are in no group. Every feature the schema writes belongs to exactly one group.
/// </summary>
public static class FeatureGroups
{
    public const string OwnHistory = "own-history";
    public const string Weather = "weather";
    public const string Calendar = "calendar-holidays";
    public const string PricePromo = "price-promo";
    public const string SeasonalIndex = "seasonal-index";

    /// <summary>The groups in the order they are reported.</summary>
    public static IReadOnlyList<string> All { get; } = [OwnHistory, Weather, Calendar, PricePromo, SeasonalIndex];

    /// <summary>The group of feature <paramref name="name"/> (a name of <see cref="FeatureSchema.PastOnlyFeatures"/> or <see cref="FeatureSchema.KnownFeatures"/>).</summary>
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "observed" or "units" or "trend_7_28" or FeatureSchema.LevelRatioFeature => OwnHistory,
            "temp_z" or "humidity_z" or "precip_z" => Weather,
            "dow_sin" or "dow_cos" or "doy_sin" or "doy_cos" => Calendar,
            _ when name.StartsWith("holiday:", StringComparison.Ordinal)
                || name.StartsWith("days_to:", StringComparison.Ordinal)
                || name.StartsWith("days_since:", StringComparison.Ordinal)
                || name.StartsWith("event:", StringComparison.Ordinal) => Calendar,
            "price_rel" or "promo" => PricePromo,
            "seasonal_index" or "seasonal_available" => SeasonalIndex,
            _ => throw new ArgumentException($"Feature '{name}' belongs to no feature group; add it to {nameof(FeatureGroups)}.", nameof(name)),
        };
    }

    /// <summary>
    /// The columns of <paramref name="group"/> in a past row (<see cref="FeatureSchema.PastFeatureCount"/> wide: past-only
    /// then known features) and in a horizon row (<see cref="FeatureSchema.KnownFeatureCount"/> wide).
    /// </summary>
    public static (int[] Past, int[] Future) Columns(FeatureSchema schema, string group)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!All.Contains(group))
        {
            throw new ArgumentException($"Unknown feature group '{group}'; the groups are {string.Join(", ", All)}.", nameof(group));
        }

        var pastOnly = schema.PastOnlyFeatures.Count;
        var future = schema.KnownFeatures.Select((name, i) => (name, i)).Where(f => Of(f.name) == group).Select(f => f.i).ToArray();
        var past = schema.PastOnlyFeatures.Select((name, i) => (name, i)).Where(f => Of(f.name) == group).Select(f => f.i)
            .Concat(future.Select(i => pastOnly + i))
            .ToArray();
        return (past, future);
    }
}
