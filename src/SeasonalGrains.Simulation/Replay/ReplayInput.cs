namespace SeasonalGrains.Simulation.Replay;

/// <summary>
/// Everything a replay feeds to the grains, arranged for fast slicing: the window's days of every SKU
/// (index-aligned with <see cref="Skus"/>) and, per policy, one setup per SKU.
/// </summary>
public sealed record ReplayInput
{
    public required IReadOnlyList<SkuInfo> Skus { get; init; }

    /// <summary>The first day of the window (day 0 of the replay).</summary>
    public required DateOnly Start { get; init; }

    public required int Days { get; init; }

    /// <summary>Demand per SKU per window day.</summary>
    public required double[][] Units { get; init; }

    /// <summary>Price per SKU per window day; null for a SKU without prices.</summary>
    public double[]?[]? Price { get; init; }

    /// <summary>Promo flags per SKU per window day; null for a SKU without promo flags.</summary>
    public bool[]?[]? Promo { get; init; }

    /// <summary>Days from each window day to the next holiday (0 = a holiday; int.MaxValue = none known).</summary>
    public int[]? DaysToNextHoliday { get; init; }

    public required IReadOnlyList<PolicyRunInput> Policies { get; init; }

    /// <summary>Out-of-stock SKU-days of the window and of the history before it; null when the dataset says nothing about stock.</summary>
    public StockCensoring? Censoring { get; init; }

    public long SkuDays => (long)Skus.Count * Days;
}

/// <summary>
/// SKU-days the dataset marks out of stock (demand.csv's <c>in_stock</c> or <c>on_hand</c>), whose sales understate
/// demand: <paramref name="Window"/> of the <paramref name="WindowSkuDays"/> replayed (replayed as the sales they are)
/// and <paramref name="History"/> of the <paramref name="HistorySkuDays"/> before the window (skipped where parameters
/// are derived from history).
/// </summary>
public sealed record StockCensoring(long Window, long WindowSkuDays, long History, long HistorySkuDays)
{
    public static StockCensoring? Of(Dataset dataset, ReplayWindow window)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(window);
        if (!dataset.HasStockInformation)
        {
            return null;
        }

        var skus = dataset.Series.Count;
        return new StockCensoring(
            dataset.CensoredSkuDays(window.StartIndex, window.StartIndex + window.Days),
            (long)skus * window.Days,
            dataset.CensoredSkuDays(window.HistoryStartIndex, window.StartIndex),
            (long)skus * window.HistoryDays);
    }
}

/// <summary>One policy of a run: its label (unique in the run), catalog name and one setup per SKU.</summary>
public sealed record PolicyRunInput(string Label, string Name, SkuSetup[] Setups);
