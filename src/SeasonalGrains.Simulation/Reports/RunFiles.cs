namespace SeasonalGrains.Simulation.Reports;

/// <summary>The file names a replay and a comparison both write.</summary>
public static class RunFiles
{
    /// <summary>The run facts and one entry per policy (replays and comparisons).</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>One row per SKU and policy (replays and comparisons).</summary>
    public const string PerSkuFile = "per-sku.csv";
}
