using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SeasonalGrains.Simulation.Hosting;

/// <summary>
/// Where a run's grains are reached from, owning the host that reaches them: an <see cref="EmbeddedSilo"/> in this
/// process or a <see cref="ClusterClient"/> of running silos. Disposing stops the host.
/// </summary>
public abstract class GrainHost : IAsyncDisposable
{
    private readonly IHost _host;

    private protected GrainHost(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The silo's replay forecast service; null for a cluster client, whose process hosts no silo.</summary>
    public ReplayForecastService? Forecasts => _host.Services.GetService<ReplayForecastService>();

    /// <summary>Starts <paramref name="host"/>; one that fails to start is disposed before the error goes on.</summary>
    private protected static async Task<IHost> StartAsync(IHost host, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
