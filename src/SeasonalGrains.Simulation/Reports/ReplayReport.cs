using SeasonalGrains.Abstractions;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Reports;

/// <summary>What a replay run produced: run information, one aggregate per policy, one row per SKU and policy.</summary>
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

    public required IReadOnlyList<SkuRow> Rows { get; init; }

    public required IReadOnlyList<SkuTrace> Traces { get; init; }

    /// <summary>Out-of-stock SKU-days of the dataset's window and history; null when it says nothing about stock.</summary>
    public StockCensoring? Censoring { get; init; }

    public static ReplayReport Build(Scenario scenario, ReplayWindow window, ReplayInput input, ReplayOutcome outcome, int chunkDays)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outcome);
        var bySku = input.Skus.ToDictionary(s => s.Sku, StringComparer.Ordinal);
        var rows = new List<SkuRow>();
        var traces = new List<SkuTrace>();
        var policies = new List<PolicySummary>();
        foreach (var p in outcome.Policies)
        {
            policies.Add(new PolicySummary(p.Policy.Label, p.Policy.Name, p.Result.Total, p.Elapsed.TotalSeconds));
            foreach (var sku in p.Result.Skus)
            {
                var info = bySku[sku.Sku];
                rows.Add(new SkuRow(p.Policy.Label, info, sku.Metrics));
                if (sku.Trace is { } trace)
                {
                    traces.Add(new SkuTrace(p.Policy.Label, sku.Sku, trace));
                }
            }
        }

        return new ReplayReport
        {
            Scenario = scenario,
            RunId = outcome.RunId,
            Window = window,
            Skus = input.Skus.Count,
            ChunkDays = chunkDays,
            Seconds = outcome.Elapsed.TotalSeconds,
            Policies = policies,
            Rows = rows,
            Traces = traces,
            Censoring = input.Censoring,
        };
    }
}

/// <summary>A policy's totals over all SKUs (ratios derived from the summed totals).</summary>
public sealed record PolicySummary(string Label, string Name, InventoryMetrics Metrics, double Seconds);

public sealed record SkuRow(string Policy, SkuInfo Sku, InventoryMetrics Metrics);

public sealed record SkuTrace(string Policy, string Sku, DailyTrace Trace);
