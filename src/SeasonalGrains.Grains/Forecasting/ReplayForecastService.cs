using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SeasonalGrains.Grains.Hosting;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>
/// The silo's forecast service for replays (one per silo, a DI singleton): holds the forecast sources of each running
/// replay, keyed by run id, and hands the SKU grains of that run their outlooks. A client in the silo's own process (the
/// embedded silo of the command line and the tests) registers the sources it built over the dataset it has loaded; on
/// any other silo the first SKU grain of a run that asks builds them from the run's <see cref="ReplayForecasters"/>
/// (from its replay grain), once per silo, so the run's stateful LSTM batches the forecasts of the SKU grains of this
/// silo. Sources built here are released when the run's replay grain says it has ended, or after they were not used
/// for <see cref="SeasonalGrainsOptions.ReplaySourcesIdleTimeout"/> (a run whose client died).
/// </summary>
public sealed partial class ReplayForecastService(IGrainFactory grains, SeasonalGrainsOptions options, ILogger<ReplayForecastService> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, ReplayForecastSources> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<ReplayForecastSources>>> _built = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _sweeper;
    private int _disposed;

    /// <summary>Registers the run's sources; disposing the result unregisters them (the sources stay the caller's to dispose).</summary>
    public IDisposable Register(string runId, ReplayForecastSources sources)
    {
        SkuKeys.CheckRunId(runId);
        ArgumentNullException.ThrowIfNull(sources);
        if (!_runs.TryAdd(runId, sources))
        {
            throw new InvalidOperationException($"Replay run '{runId}' already has forecast sources registered.");
        }

        return new Registration(this, runId, sources);
    }

    public bool IsRegistered(string runId) => _runs.ContainsKey(runId);

    /// <summary>Run ids whose sources this silo built from their plans and holds now.</summary>
    public IReadOnlyCollection<string> BuiltRuns => [.. _built.Keys];

    /// <summary>
    /// The sources of a run: registered in this process, or built here from the run's forecasters (the first caller
    /// builds, on the thread pool; the others wait for it). Fails with the reason when the run has no forecasters or
    /// its dataset or model differ here from the client's.
    /// </summary>
    public async ValueTask<ReplayForecastSources> GetAsync(string runId)
    {
        if (_runs.TryGetValue(runId, out var registered))
        {
            return registered;
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        SkuKeys.CheckRunId(runId);
        var building = _built.GetOrAdd(runId, id => new Lazy<Task<ReplayForecastSources>>(() => BuildAsync(id)));
        try
        {
            var sources = await building.Value.ConfigureAwait(false);
            sources.Touch();
            return sources;
        }
        catch (Exception) when (!building.Value.IsCompletedSuccessfully)
        {
            // a failed build is not kept: a later call (after the folder is fixed, or the run resumed) tries again
            _built.TryRemove(new KeyValuePair<string, Lazy<Task<ReplayForecastSources>>>(runId, building));
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        foreach (var runId in _built.Keys)
        {
            Release(runId);
        }

        _stopping.Dispose();
    }

    private async Task<ReplayForecastSources> BuildAsync(string runId)
    {
        var spec = await grains.GetGrain<IReplayGrain>(runId).GetForecasters().ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"Replay run '{runId}' has no forecast sources on this silo, and its replay grain knows no forecasters for it: " +
                "a run with forecast policies carries its forecasters in its plan (ReplayPlan.Forecasters) or registers them with the silo of its own process.");
        var sources = await Task.Run(() => ReplayForecastPlan.Load(spec)).ConfigureAwait(false);
        ReplayForecastLog.Built(logger, runId, string.Join(", ", spec.Names));
        StartSweeper();
        return sources;
    }

    private void StartSweeper()
    {
        lock (_built)
        {
            _sweeper ??= Task.Run(() => SweepAsync(_stopping.Token));
        }
    }

    /// <summary>Releases the sources of runs that ended or were left idle, every <see cref="SeasonalGrainsOptions.ReplaySourcesCheckInterval"/>.</summary>
    private async Task SweepAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(options.ReplaySourcesCheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                foreach (var (runId, building) in _built)
                {
                    if (!building.IsValueCreated || !building.Value.IsCompletedSuccessfully)
                    {
                        continue;
                    }

                    var idle = building.Value.Result.IdleTime;
                    bool ended;
                    try
                    {
                        ended = await grains.GetGrain<IReplayGrain>(runId).HasEnded().ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        ended = false; // the replay grain is moving (its silo died): ask again next time
                    }

                    if (ended || idle >= options.ReplaySourcesIdleTimeout)
                    {
                        ReplayForecastLog.Released(logger, runId, ended ? "the run ended" : "they were not used for " + idle.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
                        Release(runId);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // the silo stops
        }
    }

    private void Release(string runId)
    {
        if (_built.TryRemove(runId, out var building) && building.IsValueCreated && building.Value.IsCompletedSuccessfully)
        {
            building.Value.Result.Dispose();
        }
    }

    private sealed class Registration(ReplayForecastService service, string runId, ReplayForecastSources sources) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                service._runs.TryRemove(new KeyValuePair<string, ReplayForecastSources>(runId, sources));
            }
        }
    }
}

internal static partial class ReplayForecastLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Built the forecast sources of replay run {RunId} from its plan: {Names}")]
    public static partial void Built(ILogger logger, string runId, string names);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released the forecast sources of replay run {RunId}: {Reason}")]
    public static partial void Released(ILogger logger, string runId, string reason);
}

/// <summary>Registration of the replay forecast service, called by the one silo-configuration extension.</summary>
public static class ReplayForecastServiceCollectionExtensions
{
    public static IServiceCollection AddReplayForecasts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<ReplayForecastService>();
        return services;
    }
}
