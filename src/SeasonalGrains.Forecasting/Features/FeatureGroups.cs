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
    /// <summary>
    /// Each group once, in the order they are reported: its name (as importance.csv writes it), the features it holds
    /// by name, and the name prefixes of the calendar's per-holiday and per-event features.
    /// </summary>
    private static readonly (string Name, string[] Features, string[] Prefixes)[] Groups =
    [
        ("own-history", ["observed", "units", "trend_7_28", FeatureSchema.LevelRatioFeature], []),
        ("weather", ["temp_z", "humidity_z", "precip_z"], []),
        ("calendar-holidays", ["dow_sin", "dow_cos", "doy_sin", "doy_cos"], ["holiday:", "days_to:", "days_since:", "event:"]),
        ("price-promo", ["price_rel", "promo"], []),
        ("seasonal-index", ["seasonal_index", "seasonal_available"], []),
    ];

    /// <summary>The group names in the order they are reported.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Groups.Select(g => g.Name)];

    /// <summary>The group of feature <paramref name="name"/> (a name of <see cref="FeatureSchema.PastOnlyFeatures"/> or <see cref="FeatureSchema.KnownFeatures"/>).</summary>
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (group, features, prefixes) in Groups)
        {
            if (features.Contains(name) || prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                return group;
            }
        }

        throw new ArgumentException($"Feature '{name}' belongs to no feature group; add it to {nameof(FeatureGroups)}.", nameof(name));
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
