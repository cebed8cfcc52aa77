using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Abstractions;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>
/// The silo's forecast service for replays (one per silo, a DI singleton): holds the forecast
/// sources of each running replay, keyed by run id, and hands the SKU grains of that run their
/// outlooks. The sources hold the run's whole dataset, which the client registers before it starts
/// the replay; this works only where client and silo share a process, as with the embedded silo of
/// the command line and the tests. A grain of a run that was not registered here fails its first
/// review with an error saying so.
/// </summary>
public sealed class ReplayForecastService
{
    private readonly ConcurrentDictionary<string, ReplayForecastSources> _runs = new(StringComparer.Ordinal);

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

    /// <summary>The sources of a run, or an error naming the run and how sources get there.</summary>
    public ReplayForecastSources Get(string runId) =>
        _runs.TryGetValue(runId, out var sources)
            ? sources
            : throw new InvalidOperationException(
                $"Replay run '{runId}' has no forecast sources on this silo. Forecast policies replay on a silo in the client's own process " +
                "(the embedded silo), whose client registers the run's dataset and forecasters with ReplayForecastService before the replay.");

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
