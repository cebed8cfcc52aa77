namespace SeasonalGrains.Simulation.Compare;

/// <summary>The per-SKU results of one policy over a run's SKUs (the same SKUs, in the same order, for every policy).</summary>
public sealed record PolicyResults(string Policy, IReadOnlyList<InventoryMetrics> Skus);

/// <summary>One policy against the baseline: its totals and the bootstrap differences of the compared metrics.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Total">Its metrics summed over the SKUs.</param>
/// <param name="Differences">Per metric name: policy - baseline with its interval (all zero for the baseline itself).</param>
public sealed record PolicyComparisonRow(string Policy, InventoryMetrics Total, IReadOnlyDictionary<string, BootstrapInterval> Differences)
{
    public BootstrapInterval? CostDifference => Differences.GetValueOrDefault(CompareMetric.TotalCost.Name);

    public BootstrapInterval? FillRateDifference => Differences.GetValueOrDefault(CompareMetric.FillRate.Name);
}

/// <summary>Compares a set of policies run on the same SKUs with one of them as baseline.</summary>
public static class PolicyComparison
{
    /// <summary>The metrics compared by default: total cost, fill rate, cycle service level, lost units, average inventory value, leftover value.</summary>
    public static IReadOnlyList<CompareMetric> DefaultMetrics { get; } =
    [
        CompareMetric.TotalCost,
        CompareMetric.FillRate,
        CompareMetric.CycleServiceLevel,
        CompareMetric.LostUnits,
        CompareMetric.AverageInventoryValue,
        CompareMetric.LeftoverValue,
    ];

    /// <summary>
    /// One row per policy in the given order, each with the paired bootstrap difference to
    /// <paramref name="baseline"/> for every metric (same resampled SKUs throughout). Policy names
    /// must be unique and every policy must have the same number of SKUs.
    /// </summary>
    public static IReadOnlyList<PolicyComparisonRow> Compare(
        IReadOnlyList<PolicyResults> policies, string baseline, IReadOnlyList<CompareMetric>? metrics = null, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(baseline);
        var duplicate = policies.GroupBy(p => p.Policy, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Policy '{duplicate.Key}' appears twice; policy names must be unique.", nameof(policies));
        }

        var reference = policies.FirstOrDefault(p => p.Policy == baseline)
            ?? throw new ArgumentException($"The baseline '{baseline}' is not among the policies ({string.Join(", ", policies.Select(p => p.Policy))}).", nameof(baseline));
        var compared = metrics ?? DefaultMetrics;
        return policies
            .Select(p => new PolicyComparisonRow(
                p.Policy,
                InventoryMetrics.Sum(p.Skus),
                compared.ToDictionary(m => m.Name, m => PairedBootstrap.Difference(p.Skus, reference.Skus, m, options), StringComparer.Ordinal)))
            .ToList();
    }

    /// <summary>The frontier of the policies' totals: fill rate (or cycle service level) against average inventory value.</summary>
    public static IReadOnlyList<FrontierPoint> FrontierOf(IEnumerable<PolicyComparisonRow> rows, bool cycleService = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return SeasonalGrains.Simulation.Compare.Frontier.Build(rows.Select(r => new FrontierPoint(
            r.Policy, r.Policy, cycleService ? r.Total.CycleServiceLevel : r.Total.FillRate, r.Total.AverageOnHandValue)));
    }
}
