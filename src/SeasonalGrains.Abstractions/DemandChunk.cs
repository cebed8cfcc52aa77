namespace SeasonalGrains.Abstractions;

/// <summary>
/// Consecutive days of one SKU, starting at <see cref="StartDay"/> (day 0 = the first day of the
/// season). <see cref="Units"/> is the demand per day; the optional arrays, when given, have the same length.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.DemandChunk")]
public sealed record DemandChunk
{
    [Id(0)] public required string Sku { get; init; }

    [Id(1)] public int StartDay { get; init; }

    [Id(2)] public required double[] Units { get; init; }

    /// <summary>Days from each day to the next holiday (0 = a holiday); null when no calendar is known.</summary>
    [Id(3)] public int[]? DaysToNextHoliday { get; init; }

    [Id(4)] public double[]? Price { get; init; }

    [Id(5)] public bool[]? Promo { get; init; }
}
