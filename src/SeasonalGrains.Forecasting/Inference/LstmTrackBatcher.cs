using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Forecasting.Inference;

/// <summary>
/// Collects stateful forecast requests (a SKU's <see cref="LstmTrack"/> and an origin) from many callers, such as
/// the SKU grains of a replay, into one <see cref="LstmTracker.Forecast"/> call; each completes with the track's
/// outlook at that origin. One caller per track at a time. Results are set with continuations allowed inline: a
/// grain resumes on its own scheduler anyway; other callers should not do long work right after the await.
/// </summary>
public sealed class LstmTrackBatcher : IDisposable, IAsyncDisposable
{
    private readonly RequestBatcher<(LstmTrack Track, IReadOnlyList<int> Origins), IReadOnlyList<IForecastErrorOutlook>> _batcher;

    public LstmTrackBatcher(LstmTracker tracker, int maxBatch = LstmTracker.DefaultBatchSkus, TimeSpan? maxDelay = null, int workers = 1)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        Tracker = tracker;
        _batcher = new RequestBatcher<(LstmTrack Track, IReadOnlyList<int> Origins), IReadOnlyList<IForecastErrorOutlook>>(
            Run, maxBatch, maxDelay ?? TimeSpan.FromMilliseconds(1), workers, "lstm-track-batcher", inlineContinuations: true);
    }

    public LstmTracker Tracker { get; }

    /// <summary>Tracker calls made so far.</summary>
    public long Batches => _batcher.Batches;

    /// <summary>Requests answered so far (one per track and call, however many origins it asked for).</summary>
    public long Requests => _batcher.Completed;

    public async Task<IForecastErrorOutlook> ForecastAsync(LstmTrack track, int origin, CancellationToken cancellationToken = default) =>
        (await ForecastAsync(track, [origin], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The track's outlooks at each of <paramref name="origins"/> (ascending), in one request.</summary>
    public Task<IReadOnlyList<IForecastErrorOutlook>> ForecastAsync(LstmTrack track, IReadOnlyList<int> origins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(origins);
        return _batcher.SubmitAsync((track, origins), cancellationToken);
    }

    public void Dispose() => _batcher.Dispose();

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    private IReadOnlyList<IReadOnlyList<IForecastErrorOutlook>> Run(IReadOnlyList<(LstmTrack Track, IReadOnlyList<int> Origins)> requests)
    {
        var tracks = new LstmTrack[requests.Count];
        var origins = new IReadOnlyList<int>[requests.Count];
        for (var i = 0; i < tracks.Length; i++)
        {
            (tracks[i], origins[i]) = requests[i];
        }

        Tracker.Forecast(tracks, origins);
        return [.. tracks.Select(t => (IReadOnlyList<IForecastErrorOutlook>)[.. t.Outlooks])];
    }
}
