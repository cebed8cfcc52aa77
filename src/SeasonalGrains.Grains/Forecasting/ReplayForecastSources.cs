using System.Collections.Concurrent;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Ensemble;
using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Forecasting.Outlook;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>What is needed to build the forecast sources of a replay run.</summary>
public sealed record ForecastSourceOptions
{
    /// <summary>Outlook settings shared by every source (seed, sample paths, horizon, review period).</summary>
    public OutlookOptions Outlook { get; init; } = new();

    /// <summary>The true distribution, for <c>oracle</c>; read only when that source is asked for.</summary>
    public Func<IDemandTruth?>? Truth { get; init; }

    /// <summary>An already loaded LSTM (the caller keeps it and disposes it); when null, <c>lstm</c> loads its model folder.</summary>
    public LstmModel? Model { get; init; }

    /// <summary>Model folders by forecaster name (<c>lstm</c>).</summary>
    public IReadOnlyDictionary<string, string> ModelFolders { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How the LSTM runs: re-reading windows, or carrying each SKU's state.</summary>
    public LstmSourceSettings Lstm { get; init; } = new();
}

/// <summary>How a replay runs the LSTM.</summary>
public enum LstmInference
{
    /// <summary>Each review re-reads the SKU's window (<see cref="ForecastOutlookProvider"/> over <see cref="LstmForecaster"/>).</summary>
    Window,

    /// <summary>Each SKU's encoder state is carried from day to day (<see cref="LstmTracker"/>), batched across SKUs.</summary>
    Stateful,
}

/// <summary>Settings of the <c>lstm</c> source of a replay.</summary>
public sealed record LstmSourceSettings
{
    public LstmInference Inference { get; init; } = LstmInference.Window;

    /// <summary>Days between encoder restarts of the stateful form (see <see cref="LstmTrackerOptions.RestartDays"/>).</summary>
    public int RestartDays { get; init; } = LstmTrackerOptions.DefaultRestartDays;

    public InferencePrecision Precision { get; init; } = InferencePrecision.Float32;

    /// <summary>Threads of the stateful form's batcher: two keep both cores of a small machine busy (one collects or computes while the other computes).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Forecast requests per tracker call of the stateful form.</summary>
    public int MaxBatch { get; init; } = LstmTracker.DefaultBatchSkus;

    /// <summary>
    /// How long the stateful form's batcher waits for more requests after the first. Grains ask for a chunk's
    /// forecasts at once, so a request is much work and waiting for company costs little.
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(10);
}

/// <summary>
/// The forecast sources of one replay run: one <see cref="ForecastOutlookProvider"/> per forecaster,
/// all over the run's dataset and with the same outlook options, so every source draws the same
/// sample-path random numbers for a SKU-day (common random numbers) and a policy replayed twice,
/// or through the grains and in a bare loop, sees identical outlooks.
/// </summary>
/// <remarks>
/// The first request at an origin forecasts every SKU of the run in one forecaster call (and the
/// earlier origins the error record reads); <see cref="OutlookAsync"/> does that work on the thread
/// pool, once per origin, so the many grains waiting for the same origin block no thread.
/// </remarks>
public sealed class ReplayForecastSources : IDisposable
{
    private readonly Dictionary<string, ForecastOutlookProvider> _providers;
    private readonly Dictionary<string, LstmTrackBatcher> _stateful;
    private readonly ConcurrentDictionary<(string Source, int Origin), Task> _prepared = new();
    private readonly IReadOnlyList<IDisposable> _owned;
    private int _disposed;
    private long _lastUsed = Environment.TickCount64;

    public ReplayForecastSources(
        Dataset dataset,
        IReadOnlyDictionary<string, ForecastOutlookProvider> providers,
        IEnumerable<IDisposable>? owned = null,
        IReadOnlyDictionary<string, LstmTrackBatcher>? stateful = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(providers);
        foreach (var (name, batcher) in stateful ?? new Dictionary<string, LstmTrackBatcher>())
        {
            if (!ReferenceEquals(batcher.Tracker.Dataset, dataset) || providers.ContainsKey(name))
            {
                throw new ArgumentException($"Stateful forecast source '{name}' forecasts another dataset than the run's, or is also a provider.", nameof(stateful));
            }
        }

        foreach (var (name, provider) in providers)
        {
            if (!ReferenceEquals(provider.Dataset, dataset))
            {
                throw new ArgumentException($"Forecast source '{name}' forecasts another dataset than the run's.", nameof(providers));
            }
        }

        Dataset = dataset;
        _providers = new Dictionary<string, ForecastOutlookProvider>(providers, StringComparer.Ordinal);
        _stateful = new Dictionary<string, LstmTrackBatcher>(stateful ?? new Dictionary<string, LstmTrackBatcher>(), StringComparer.Ordinal);
        _owned = owned?.ToList() ?? [];
    }

    public Dataset Dataset { get; }

    /// <summary>Time since a SKU last asked these sources for an outlook (or they were handed out).</summary>
    public TimeSpan IdleTime => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastUsed));

    /// <summary>Marks the sources used now (see <see cref="IdleTime"/>).</summary>
    public void Touch() => Interlocked.Exchange(ref _lastUsed, Environment.TickCount64);

    public IReadOnlyCollection<string> Names => [.. _providers.Keys, .. _stateful.Keys];

    /// <summary>The LSTM model this run loaded from its folder (for the lstm or the ensemble's lstm member), or null.</summary>
    public LstmModel? LstmModel => _owned.OfType<LoadedModel>().Select(m => m.Model).FirstOrDefault();

    /// <summary>Whether <paramref name="source"/> carries per-SKU state (<see cref="Stateful"/> gives its batcher).</summary>
    public bool IsStateful(string source) => _stateful.ContainsKey(source);

    /// <summary>The batcher (and through it the tracker) of a stateful source.</summary>
    public LstmTrackBatcher Stateful(string source) =>
        _stateful.TryGetValue(source, out var b)
            ? b
            : throw new ArgumentException($"The run has no stateful forecast source '{source}'.", nameof(source));

    /// <summary>Throws <see cref="ArgumentException"/> unless the run has <paramref name="source"/>.</summary>
    public void Check(string source)
    {
        if (!_providers.ContainsKey(source) && !_stateful.ContainsKey(source))
        {
            throw new ArgumentException($"The run has no forecast source '{source}' (it has: {string.Join(", ", Names)}).", nameof(source));
        }
    }

    /// <summary>
    /// Builds one provider per name in <paramref name="sources"/> (forecasters of <see cref="ForecasterRegistry"/>
    /// usable in a replay; an unknown one is refused with the known names): baselines with their registered
    /// settings, <c>oracle</c> through <see cref="ForecastOutlookProvider.ForTruth"/> (independent days, as the
    /// true daily draws are), <c>lstm</c> from its model folder, <c>ensemble</c> with the lstm's model as a member
    /// when the run has one (always in the window form; loaded once when both use it).
    /// </summary>
    public static ReplayForecastSources Create(Dataset dataset, IEnumerable<string> sources, ForecastSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        var providers = new Dictionary<string, ForecastOutlookProvider>(StringComparer.Ordinal);
        var stateful = new Dictionary<string, LstmTrackBatcher>(StringComparer.Ordinal);
        var owned = new List<IDisposable>();
        try
        {
            foreach (var entry in sources.Select(s => ForecasterRegistry.Default.Resolve(s, ForecasterUses.Replay)).Distinct())
            {
                var name = entry.Name;
                if (entry.Needs == ForecasterNeeds.Model && options.Lstm.Inference == LstmInference.Stateful)
                {
                    var model = LoadModel(name, options, owned);
                    var tracker = new LstmTracker(model, dataset, new LstmTrackerOptions
                    {
                        RestartDays = options.Lstm.RestartDays,
                        Precision = options.Lstm.Precision,
                        Days = OutlookDays(dataset, options.Outlook, model),
                        Outlook = options.Outlook,
                    });
                    var batcher = new LstmTrackBatcher(tracker, options.Lstm.MaxBatch, options.Lstm.MaxDelay, options.Lstm.Workers);
                    owned.Insert(0, batcher); // stopped before the model is disposed
                    stateful[name] = batcher;
                    continue;
                }

                providers[name] = entry.Needs switch
                {
                    ForecasterNeeds.Truth => ForecastOutlookProvider.ForTruth(
                        options.Truth?.Invoke() ?? throw new InvalidOperationException(
                            $"The '{name}' forecaster needs the true demand distribution: a generated dataset folder with truth.csv."),
                        dataset,
                        options.Outlook),
                    ForecasterNeeds.Model => ModelProvider(new LstmForecaster(LoadModel(name, options, owned)), dataset, options.Outlook),
                    ForecasterNeeds.ModelWhenGiven when HasModel(options) =>
                        ModelProvider(entry.Create(new ForecasterResources { Model = LoadModel(ForecasterRegistry.Lstm, options, owned) }), dataset, options.Outlook),
                    _ => new ForecastOutlookProvider(entry.Create(), dataset, options.Outlook),
                };
            }
        }
        catch
        {
            foreach (var o in owned)
            {
                o.Dispose();
            }

            throw;
        }

        return new ReplayForecastSources(dataset, providers, owned, stateful);
    }

    public ForecastOutlookProvider Provider(string source) =>
        _providers.TryGetValue(source, out var p)
            ? p
            : throw new ArgumentException($"The run has no forecast source '{source}' (it has: {string.Join(", ", _providers.Keys)}).", nameof(source));

    /// <summary>The outlook of a SKU at an origin, forecast on the calling thread where not yet done.</summary>
    public IForecastErrorOutlook Outlook(string source, int skuIndex, int origin) => Provider(source).GetOutlook(skuIndex, origin);

    /// <summary>
    /// The outlook of a SKU at an origin; the origin's forecasts are made once, on the thread pool, and the next
    /// review's origin (one review period later) is started too, so forecasting runs ahead of the reviews.
    /// </summary>
    public async ValueTask<IForecastErrorOutlook> OutlookAsync(string source, int skuIndex, int origin)
    {
        var provider = Provider(source);
        var ready = Prepare(provider, source, skuIndex, origin);
        var next = origin + provider.Options.ReviewPeriodDays;
        if (next < Dataset.Days)
        {
            _ = Prepare(provider, source, skuIndex, next);
        }

        if (!ready.IsCompletedSuccessfully)
        {
            await ready.ConfigureAwait(false);
        }

        return provider.GetOutlook(skuIndex, origin);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            foreach (var o in _owned)
            {
                o.Dispose();
            }
        }
    }

    private Task Prepare(ForecastOutlookProvider provider, string source, int skuIndex, int origin) =>
        _prepared.GetOrAdd((source, origin), key => Task.Run(() =>
        {
            provider.Forecasts(key.Origin);

            // the error record reads the forecasts of the earlier origins: make them here too
            provider.MeasuredErrorStandardDeviation(skuIndex, key.Origin);
        }));

    /// <summary>A provider over a forecaster that runs the LSTM (lstm itself, or the ensemble with it as a member): its horizon cut to the model's.</summary>
    private static ForecastOutlookProvider ModelProvider(IForecaster forecaster, Dataset dataset, OutlookOptions outlook) =>
        new(forecaster, dataset, outlook with { Horizon = OutlookDays(dataset, outlook, ModelOf(forecaster)) });

    private static LstmModel ModelOf(IForecaster forecaster) => forecaster switch
    {
        LstmForecaster lstm => lstm.Model,
        EnsembleForecaster ensemble => ensemble.Members.Select(m => m.Forecaster).OfType<LstmForecaster>().First().Model,
        _ => throw new ArgumentException($"The '{forecaster.Name}' forecaster runs no LSTM.", nameof(forecaster)),
    };

    /// <summary>Whether the run has an LSTM: a loaded model or the scenario's lstm model folder.</summary>
    private static bool HasModel(ForecastSourceOptions options) =>
        options.Model is not null || (options.ModelFolders.TryGetValue(ForecasterRegistry.Lstm, out var folder) && !string.IsNullOrWhiteSpace(folder));

    /// <summary>The model of <paramref name="name"/>'s folder, loaded once per run (owned by it) however many sources use it.</summary>
    private static LstmModel LoadModel(string name, ForecastSourceOptions options, List<IDisposable> owned)
    {
        if (options.Model is { } given)
        {
            return given;
        }

        if (!options.ModelFolders.TryGetValue(name, out var folder) || string.IsNullOrWhiteSpace(folder))
        {
            throw new InvalidOperationException($"The '{name}' forecaster needs a model folder: forecasters.{name}.model in the scenario.");
        }

        var path = Path.GetFullPath(folder);
        if (owned.OfType<LoadedModel>().FirstOrDefault(m => m.Folder == path) is { } loaded)
        {
            return loaded.Model;
        }

        var model = LstmModel.Load(folder);
        owned.Add(new LoadedModel(path, model));
        return model;
    }

    /// <summary>A model this run loaded from a folder, disposed with the run.</summary>
    private sealed record LoadedModel(string Folder, LstmModel Model) : IDisposable
    {
        public void Dispose() => Model.Dispose();
    }

    /// <summary>
    /// Days an LSTM forecast covers: the outlook's horizon (longest lead time + R by default), cut to the model's
    /// horizon where a policy asks for more than it needs (it extends its paths beyond); the protection interval
    /// itself must fit.
    /// </summary>
    private static int OutlookDays(Dataset dataset, OutlookOptions outlook, LstmModel model)
    {
        var protection = dataset.Skus.Select(s => s.LeadTimeDays).DefaultIfEmpty(0).Max() + outlook.ReviewPeriodDays;
        if (protection > model.Horizon)
        {
            throw new InvalidOperationException($"The outlooks need {protection} days (lead time + review period), but the LSTM forecasts {model.Horizon}.");
        }

        return Math.Min(outlook.Horizon ?? protection, model.Horizon);
    }
}
