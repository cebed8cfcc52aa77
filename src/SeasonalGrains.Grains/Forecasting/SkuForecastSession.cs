using SeasonalGrains.Forecasting.Inference;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>
/// The forecasts of one SKU's season under a forecast policy: fetches the outlook of each review
/// from the run's sources (origin = the window day's dataset index) and records it with
/// <see cref="ReviewForecastRecorder"/>. Used alike by the SKU grain and the bare replay loop, so
/// both give a policy the same outlooks and record the same log; the outlook source of the SKU's <see cref="SeasonStep"/>.
/// </summary>
public sealed class SkuForecastSession : IOutlookSource
{
    private readonly ReplayForecastSources _sources;
    private readonly LstmTrackBatcher? _batcher;
    private Dictionary<int, IForecastErrorOutlook>? _prefetched;

    public SkuForecastSession(ReplayForecastSources sources, SkuSetup setup)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(setup);
        Spec = setup.Forecast ?? throw new ArgumentException($"The setup of SKU '{setup.Sku}' names no forecast source.", nameof(setup));
        if (setup.WindowDays < 1)
        {
            throw new ArgumentException($"SKU '{setup.Sku}': a forecast policy needs a season of known length (WindowDays > 0).", nameof(setup));
        }

        sources.Check(Spec.Source); // fails early on a source the run does not have
        var dataset = sources.Dataset;
        if (Spec.SkuIndex < 0 || Spec.SkuIndex >= dataset.Skus.Count || dataset.Skus[Spec.SkuIndex].Sku != setup.Sku)
        {
            throw new ArgumentException($"SKU '{setup.Sku}': forecast SKU index {Spec.SkuIndex} does not point at it in the run's dataset.", nameof(setup));
        }

        if (Spec.OriginOffset < 1 || Spec.OriginOffset + setup.WindowDays > dataset.Days)
        {
            throw new ArgumentException(
                $"SKU '{setup.Sku}': the window (dataset days {Spec.OriginOffset}..{Spec.OriginOffset + setup.WindowDays - 1}) must have history before it and lie inside the dataset's {dataset.Days} days.",
                nameof(setup));
        }

        _sources = sources;
        if (sources.IsStateful(Spec.Source))
        {
            _batcher = sources.Stateful(Spec.Source);
            Track = _batcher.Tracker.Open(Spec.SkuIndex);
        }

        Recorder = new ReviewForecastRecorder(setup.WindowDays, setup.ReviewPeriodDays, setup.Terms.LeadTimeDays, Spec.RecordLower, Spec.RecordUpper);
    }

    public ForecastSpec Spec { get; }

    public ReviewForecastRecorder Recorder { get; }

    /// <summary>The SKU's encoder states when the source is stateful, else null.</summary>
    public LstmTrack? Track { get; }

    /// <summary>The dataset day a review on window day <paramref name="day"/> forecasts from.</summary>
    public int OriginOf(int day) => Spec.OriginOffset + day;

    /// <summary>The run id of a replay grain key <c>{runId}/{policy}/{sku}</c>.</summary>
    public static string RunIdOf(string grainKey)
    {
        ArgumentNullException.ThrowIfNull(grainKey);
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? grainKey[..slash] : grainKey;
    }

    /// <summary>
    /// Marks the run's sources used (they are released after an idle timeout of minutes): once per chunk, so the reviews
    /// of every SKU grain do not all write one shared counter.
    /// </summary>
    public void ChunkStarts() => _sources.Touch();

    /// <summary>The outlook of the review on window day <paramref name="day"/> (recorded).</summary>
    public async ValueTask<IDemandOutlook> ReviewAsync(int day)
    {
        var origin = OriginOf(day);
        IDemandOutlook outlook;
        if (Track is { } track)
        {
            if (_prefetched is not null && _prefetched.Remove(day, out var early))
            {
                outlook = early;
            }
            else
            {
                outlook = track.Origin == origin && track.Outlook is { } ready ? ready : await _batcher!.ForecastAsync(track, origin);
            }
        }
        else
        {
            outlook = await _sources.OutlookAsync(Spec.Source, Spec.SkuIndex, origin);
        }

        Recorder.Review(day, outlook);
        return outlook;
    }

    /// <summary>
    /// With a stateful source, forecasts the reviews of <paramref name="days"/> (window days, ascending) in one request
    /// to the batcher, so the reviews of a chunk wait once instead of once a day. A forecast reads demand before its
    /// origin only, never the ledger, so forecasting early gives the same outlooks. Other sources: nothing to do.
    /// </summary>
    public async ValueTask PrefetchAsync(IReadOnlyList<int> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        if (Track is not { } track || days.Count == 0)
        {
            return;
        }

        var outlooks = await _batcher!.ForecastAsync(track, [.. days.Select(OriginOf)]);
        _prefetched ??= [];
        _prefetched.Clear();
        for (var i = 0; i < days.Count; i++)
        {
            _prefetched[days[i]] = outlooks[i];
        }
    }

    /// <summary>
    /// As <see cref="ReviewAsync"/>, forecasting on the calling thread (a stateful source's track may have been
    /// forecast at this origin already, in a batch of many SKUs: see <see cref="ForecastAll"/>).
    /// </summary>
    public IDemandOutlook Review(int day)
    {
        var origin = OriginOf(day);
        IDemandOutlook outlook;
        if (Track is { } track)
        {
            if (track.Origin != origin || track.Outlook is null)
            {
                _batcher!.Tracker.Forecast([track], [origin]);
            }

            outlook = track.Outlook!;
        }
        else
        {
            outlook = _sources.Outlook(Spec.Source, Spec.SkuIndex, origin);
        }

        Recorder.Review(day, outlook);
        return outlook;
    }

    /// <summary>
    /// Forecasts the tracks of the stateful sessions among <paramref name="sessions"/> at their review on window day
    /// <paramref name="day"/> in shared tracker calls (one per source), so their <see cref="Review"/> finds the outlook ready.
    /// </summary>
    public static void ForecastAll(IReadOnlyList<SkuForecastSession> sessions, int day)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        foreach (var group in sessions.Where(s => s.Track is not null).GroupBy(s => s._batcher!.Tracker))
        {
            var list = group.ToList();
            group.Key.Forecast([.. list.Select(s => s.Track!)], [.. list.Select(s => s.OriginOf(day))]);
        }
    }

    public void Observe(int day, double demand) => Recorder.Observe(day, demand);
}
