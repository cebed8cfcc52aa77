using Orleans.Serialization.Cloning;
using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Abstractions;

/// <summary>
/// The wire form of the domain's <see cref="InventoryMetrics"/>: its totals by name (<see cref="InventoryMetrics.Totals"/>),
/// so a total added to the domain record travels without an edit here. Ratios are not carried: they are derived from
/// the totals. A receiver skips names it does not know and leaves totals not sent at 0.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.InventoryMetricsTotals")]
public readonly record struct InventoryMetricsSurrogate
{
    [Id(0)] public string[] Names { get; init; }

    [Id(1)] public double[] Values { get; init; }
}

[RegisterConverter]
public sealed class InventoryMetricsConverter : IConverter<InventoryMetrics, InventoryMetricsSurrogate>
{
    private static readonly string[] Names = [.. InventoryMetrics.Totals.Select(t => t.Name)];

    public InventoryMetrics ConvertFromSurrogate(in InventoryMetricsSurrogate surrogate) =>
        InventoryMetrics.FromTotals(surrogate.Names ?? [], surrogate.Values ?? []);

    public InventoryMetricsSurrogate ConvertToSurrogate(in InventoryMetrics value) => new() { Names = Names, Values = value.TotalValues() };
}

/// <summary>Copies <see cref="InventoryMetrics"/> within a silo: the record is immutable, so the copy is the record.</summary>
[RegisterCopier]
public sealed class InventoryMetricsCopier : IDeepCopier<InventoryMetrics>
{
    public InventoryMetrics? DeepCopy(InventoryMetrics? input, CopyContext context) => input;
}
