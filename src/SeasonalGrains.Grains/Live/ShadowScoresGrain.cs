using SeasonalGrains.Grains.Hosting;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// One shard of the shadow scores: the latest <see cref="ShadowSummary"/> of each of its SKUs (a summary replaces the SKU's
/// previous one unless that one has a higher sequence), written to grain storage on every change, like the order book.
/// </summary>
public sealed class ShadowScoresGrain(
    [PersistentState("live-scores", StorageNames.Skus)] IPersistentState<ShadowScoresState> state) : Grain, IShadowScoresGrain
{
    /// <summary>The grain storage state name (rows of <c>orleans_grain_state</c> with this grain type hold the shards).</summary>
    public const string StateName = "live-scores";

    private readonly Dictionary<string, ShadowSummary> _summaries = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var summary in state.State?.Summaries ?? [])
        {
            _summaries[summary.Sku] = summary;
        }

        return Task.CompletedTask;
    }

    public async Task Publish(ShadowSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (_summaries.TryGetValue(summary.Sku, out var known) && (known.Sequence > summary.Sequence || known == summary))
        {
            return;
        }

        var previous = known;
        _summaries[summary.Sku] = summary;
        state.State = new ShadowScoresState { Summaries = [.. _summaries.Values] };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            if (previous is null)
            {
                _summaries.Remove(summary.Sku);
            }
            else
            {
                _summaries[summary.Sku] = previous;
            }

            DeactivateOnIdle();
            throw;
        }
    }

    public Task<ShadowSummary[]> Summaries(string active, string challenger) =>
        Task.FromResult(_summaries.Values.Where(s => s.Active == active && s.Challenger == challenger).ToArray());
}

/// <summary>The persisted summaries of one shard of the shadow scores.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.ShadowScoresState.v1")]
public sealed record ShadowScoresState
{
    [Id(0)] public ShadowSummary[] Summaries { get; init; } = [];
}

/// <summary>Reads the shadow scores of every shard.</summary>
public static class ShadowScoreBoard
{
    /// <summary>The totals of <paramref name="active"/> against <paramref name="challenger"/> over the SKUs of every shard.</summary>
    public static async Task<ShadowTotals> ReadAsync(IGrainFactory grains, string active, string challenger)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var shards = await Task.WhenAll(Enumerable.Range(0, OrderBook.Shards).Select(i => grains.GetGrain<IShadowScoresGrain>(i).Summaries(active, challenger)));
        return ShadowScoring.Total(active, challenger, shards.SelectMany(s => s));
    }
}
