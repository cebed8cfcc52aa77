namespace SeasonalGrains.Simulation.Reports;

/// <summary>
/// What a replay run produced: run information, one aggregate per policy and the traced SKUs' days. The rows of
/// per-sku.csv (one per SKU and policy) are not kept: they went to the run's <see cref="ReplayOutput"/> as SKUs finished.
/// </summary>
public sealed record ReplayReport
{
    public required Scenario Scenario { get; init; }

    public required string RunId { get; init; }

    public required ReplayWindow Window { get; init; }

    public required int Skus { get; init; }

    public required int ChunkDays { get; init; }

    /// <summary>Wall-clock seconds of the replay through the grains (all policies).</summary>
    public required double Seconds { get; init; }

    public required IReadOnlyList<PolicySummary> Policies { get; init; }

    public required IReadOnlyList<SkuTrace> Traces { get; init; }

    /// <summary>Out-of-stock SKU-days of the dataset's window and history; null when it says nothing about stock.</summary>
    public StockCensoring? Censoring { get; init; }

    public static ReplayReport Build(Scenario scenario, ReplayWindow window, ReplayInput input, ReplayOutcome outcome, int chunkDays, IReadOnlyList<SkuTrace> traces)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outcome);
        return new ReplayReport
        {
            Scenario = scenario,
            RunId = outcome.RunId,
            Window = window,
            Skus = input.Skus.Count,
            ChunkDays = chunkDays,
            Seconds = outcome.Elapsed.TotalSeconds,
            Policies = [.. outcome.Policies.Select(p => new PolicySummary(p.Policy.Label, p.Policy.Name, p.Result.Total, p.Elapsed.TotalSeconds))],
            Traces = traces,
            Censoring = input.Censoring,
        };
    }
}

/// <summary>A policy's totals over all SKUs (ratios derived from the summed totals).</summary>
public sealed record PolicySummary(string Label, string Name, InventoryMetrics Metrics, double Seconds);

public sealed record SkuTrace(string Policy, string Sku, DailyTrace Trace);
