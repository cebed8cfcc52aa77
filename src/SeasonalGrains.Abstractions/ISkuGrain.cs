namespace SeasonalGrains.Abstractions;

/// <summary>
/// One SKU: its inventory ledger, reorder policy and recent feature window. Keyed by
/// <see cref="SkuKeys"/>. Days arrive in chunks, in order.
/// </summary>
[Alias("SeasonalGrains.ISkuGrain")]
public interface ISkuGrain : IGrainWithStringKey
{
    /// <summary>Starts a new season: an empty ledger at day 0 with the given terms, costs and policy.</summary>
    [Alias("Configure")]
    Task Configure(SkuSetup setup);

    /// <summary>
    /// Runs the chunk's days (its <see cref="DemandChunk.StartDay"/> must be the next day). Returns
    /// the result when the chunk completes the season's window, else null.
    /// </summary>
    [Alias("RunDays")]
    Task<SkuResult?> RunDays(DemandChunk chunk);

    /// <summary>Ends the season now (values leftovers) and returns the result.</summary>
    /// <summary><see cref="Configure"/> and then <see cref="RunDays"/> with the season's first chunk, in one call.</summary>
    [Alias("Start")]
    Task<SkuResult?> Start(SkuSetup setup, DemandChunk firstChunk);

    [Alias("Close")]
    Task<SkuResult> Close();

    [Alias("GetStatus")]
    Task<SkuStatus> GetStatus();

    [Alias("GetFeatureWindow")]
    Task<FeatureWindow> GetFeatureWindow();
}
