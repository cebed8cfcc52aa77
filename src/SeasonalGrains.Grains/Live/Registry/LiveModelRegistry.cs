using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SeasonalGrains.Grains.Hosting;

namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>
/// The silo's model registry (<c>Live:Registry</c>) and, when live SKUs forecast with the LSTM, the service that serves
/// its active version: at the silo's start it loads the active version (a registry that cannot be read, an active version
/// that does not load or forecasts fewer days than <c>Live:ForecastHorizonDays</c>, or no active version and no
/// <c>Live:Model</c>, stop the start with a <see cref="ModelRegistryException"/>), then reads the active version every
/// <see cref="ModelRegistryOptions.PollInterval"/> and switches <see cref="LiveModels"/> to it, named <c>NAME@VERSION</c>.
/// A version that fails to load later is logged and the silo keeps serving the one it has.
/// </summary>
public sealed partial class LiveModelRegistry : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly LiveSkuOptions _options;
    private readonly LiveSkuRuntime _runtime;
    private readonly ILogger<LiveModelRegistry> _logger;
    private readonly SemaphoreSlim _sync = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private ModelVersionId? _served;
    private ModelVersionId? _failed;
    private ModelVersionId? _challenger;
    private ModelVersionId? _challengerFailed;
    private Task? _polling;
    private int _disposed;

    private readonly IServiceProvider? _services;

    public LiveModelRegistry(
        IOptions<LiveSkuOptions> options, LiveSkuRuntime runtime, TimeProvider time, ILogger<LiveModelRegistry> logger, IEnumerable<SeasonalGrainsOptions> silo, IServiceProvider? services = null)
    {
        _services = services;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(silo);
        _options = options.Value;
        _runtime = runtime;
        _logger = logger;
        Registry = _options.Registry.Create(silo.FirstOrDefault()?.Storage, time);
    }

    /// <summary>The registry; null when <c>Live:Registry:Provider</c> is <c>none</c>.</summary>
    public ModelRegistry? Registry { get; }

    /// <summary>The version this silo's live SKUs forecast with (the registry's <c>NAME@VERSION</c>, or <c>Live:Model</c>'s name); null without the LSTM.</summary>
    public string? Serving => _runtime.Models?.Active?.Version;

    /// <summary>The challenger this silo's live SKUs shadow-forecast with (<c>NAME@VERSION</c>); null when there is none.</summary>
    public string? Shadowing => _runtime.Models?.Challenger?.Version;

    /// <summary>Why this silo could not serve <paramref name="version"/> (it forecasts fewer days than <c>Live:ForecastHorizonDays</c>); null when it could, or without the LSTM.</summary>
    public string? CannotServe(ModelVersionInfo version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return _runtime.Models is not null && version.HorizonDays is > 0 && TooShort(version.HorizonDays)
            ? $"{version.Id} forecasts {version.HorizonDays} days, but this host's {LiveSkuOptions.Section}:{nameof(LiveSkuOptions.ForecastHorizonDays)} is {_options.ForecastHorizonDays}: its live SKUs could not forecast with it."
            : null;
    }

    /// <summary>Whether a model of <paramref name="horizonDays"/> forecasts fewer days than this silo's live SKUs need (<c>Live:ForecastHorizonDays</c>).</summary>
    private bool TooShort(int horizonDays) => horizonDays < _options.ForecastHorizonDays;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        if (Registry is not null && _runtime.Models is not null)
        {
            lifecycle.Subscribe(nameof(LiveModelRegistry), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);
        }
    }

    /// <summary>
    /// Switches to the registry's active version now, if it changed (after a change through this silo); no-op without the
    /// LSTM. A failure is logged, not thrown: the silo keeps the version it serves.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        if (Registry is null || _runtime.Models is null)
        {
            return;
        }

        try
        {
            await SyncAsync(atStart: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the silo keeps serving the version it has; the next poll tries again
            Log.SyncFailed(_logger, Registry.Description, e.Message);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // registered as itself and as a lifecycle participant
        }

        _stopping.Cancel();
        _stopping.Dispose();
        _sync.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await SyncAsync(atStart: true, cancellationToken).ConfigureAwait(false);
        _polling = Task.Run(() => PollAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_polling is { } polling)
        {
            await polling.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Registry.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await SyncAsync(cancellationToken).ConfigureAwait(false);
                await RefreshShadowGaugesAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the silo stops
        }
    }

    /// <summary>Loads the active version when it is not the one served; at start every problem throws, later a version that fails is skipped until the active one changes.</summary>
    private async Task SyncAsync(bool atStart, CancellationToken cancellationToken)
    {
        var registry = Registry!;
        var models = _runtime.Models!;
        await _sync.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ModelVersionId? active;
            ModelRegistryBook book;
            try
            {
                book = await registry.ReadAsync(cancellationToken).ConfigureAwait(false);
                active = book.Active;
            }
            catch (ModelRegistryException e)
            {
                throw Refused(e.Message, e);
            }

            if (active is null)
            {
                if (models.Active is null)
                {
                    throw Refused(
                        $"the {registry.Description} has no active version and {LiveSkuOptions.Section}:{nameof(LiveSkuOptions.Model)} is not set: " +
                        "add a model with `seasonal models add --path DIR` (or set Live:Model).");
                }

                return;
            }

            if (active == _served || (!atStart && active == _failed))
            {
                await SyncChallengerAsync(registry, models, book, cancellationToken).ConfigureAwait(false);
                return;
            }

            var (loaded, problem) = await TryLoadVersionAsync(registry, active.Value, cancellationToken).ConfigureAwait(false);
            if (loaded is null)
            {
                _failed = active;
                throw Refused($"the active version {active} of the {registry.Description} cannot be served: {problem!.Message}", problem);
            }

            models.Activate(loaded);
            _served = active;
            _failed = null;
            Log.Serving(_logger, active.Value.ToString(), registry.Description);

            await SyncChallengerAsync(registry, models, book, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sync.Release();
        }
    }

    /// <summary>The shadow totals of the active version and the challenger for the /metrics gauges (<see cref="LiveMetrics.ShadowTotals"/>).</summary>
    private async Task RefreshShadowGaugesAsync()
    {
        if (_services?.GetService(typeof(IGrainFactory)) is not IGrainFactory grains || Serving is not { } active || Shadowing is not { } challenger)
        {
            LiveMetrics.ShadowTotals = null;
            return;
        }

        try
        {
            LiveMetrics.ShadowTotals = await ShadowScoreBoard.ReadAsync(grains, active, challenger).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ShadowScoresFailed(_logger, e.Message); // the gauges keep their last values
        }
    }

    /// <summary>
    /// Fetches a version's files and loads them, not yet served (the caller hands the model to <see cref="LiveModels"/>);
    /// a version that forecasts fewer days than <c>Live:ForecastHorizonDays</c> is refused like one that does not load.
    /// </summary>
    private async Task<LiveModel> LoadVersionAsync(ModelRegistry registry, ModelVersionId version, CancellationToken cancellationToken)
    {
        var folder = await registry.MaterializeAsync(version, cancellationToken).ConfigureAwait(false);
        var loaded = LiveModels.Load(folder, version.ToString());
        if (TooShort(loaded.Model.Horizon))
        {
            loaded.Dispose();
            throw new ModelRegistryException(
                ModelRegistryFailure.InvalidModel,
                $"it forecasts {loaded.Model.Horizon} days, but {LiveSkuOptions.Section}:{nameof(LiveSkuOptions.ForecastHorizonDays)} is {_options.ForecastHorizonDays}.");
        }

        return loaded;
    }

    /// <summary>
    /// Loads the registry's challenger (<see cref="ModelRegistryBook.Challenger"/>) when it changed, or clears it. A challenger
    /// that cannot be served (does not load, forecasts fewer days than <c>Live:ForecastHorizonDays</c>) is logged and skipped
    /// until the challenger changes: shadowing never stops the silo.
    /// </summary>
    private async Task SyncChallengerAsync(ModelRegistry registry, LiveModels models, ModelRegistryBook book, CancellationToken cancellationToken)
    {
        var challenger = book.Challenger?.Id;
        if (challenger == _challenger || (challenger is not null && challenger == _challengerFailed))
        {
            return;
        }

        if (challenger is null)
        {
            models.SetChallenger(null);
            _challenger = null;
            return;
        }

        var (loaded, problem) = await TryLoadVersionAsync(registry, challenger.Value, cancellationToken).ConfigureAwait(false);
        models.SetChallenger(loaded);
        if (loaded is null)
        {
            _challenger = null;
            _challengerFailed = challenger;
            Log.ChallengerFailed(_logger, challenger.Value.ToString(), registry.Description, problem!.Message);
            return;
        }

        _challenger = challenger;
        _challengerFailed = null;
        Log.Shadowing(_logger, challenger.Value.ToString(), registry.Description);
    }

    /// <summary>
    /// <see cref="LoadVersionAsync"/>, with the problem instead of the model when the version cannot be served: the registry
    /// refuses it, it does not load or forecasts too few days, or its files cannot be read.
    /// </summary>
    private async Task<(LiveModel? Model, Exception? Problem)> TryLoadVersionAsync(ModelRegistry registry, ModelVersionId version, CancellationToken cancellationToken)
    {
        try
        {
            return (await LoadVersionAsync(registry, version, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is ModelRegistryException or LiveModelException or IOException or UnauthorizedAccessException)
        {
            return (null, e);
        }
    }

    private static ModelRegistryException Refused(string message, Exception? inner = null) =>
        new(ModelRegistryFailure.Unavailable, $"{ModelRegistryOptions.Section}: {message}", inner);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Live SKUs forecast with {Version} of the {Registry}.")]
        public static partial void Serving(ILogger logger, string version, string registry);

        [LoggerMessage(Level = LogLevel.Information, Message = "Live SKUs shadow-forecast with the challenger {Version} of the {Registry}.")]
        public static partial void Shadowing(ILogger logger, string version, string registry);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The shadow scores could not be read for the /metrics gauges; they keep their last values: {Reason}")]
        public static partial void ShadowScoresFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The challenger {Version} of the {Registry} cannot be shadowed: {Reason}")]
        public static partial void ChallengerFailed(ILogger logger, string version, string registry, string reason);

        [LoggerMessage(Level = LogLevel.Error, Message = "The {Registry} could not be followed; the silo keeps its current model: {Reason}")]
        public static partial void SyncFailed(ILogger logger, string registry, string reason);
    }
}
