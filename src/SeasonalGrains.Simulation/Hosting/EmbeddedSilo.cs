using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Simulation.Hosting;

/// <summary>
/// A silo inside the current process, configured by <see cref="SiloConfiguration.AddSeasonalGrains"/>
/// like every other silo. By default it listens on free localhost ports under a cluster id of its own,
/// so several can run at once (tests, a CLI run next to a host).
/// </summary>
public sealed class EmbeddedSilo : GrainHost
{
    private EmbeddedSilo(IHost host)
        : base(host)
    {
    }

    /// <summary>The service id of embedded silos: grain state they keep in PostgreSQL is keyed by it, so a later run finds it.</summary>
    public const string ServiceId = "seasonalgrains-embedded";

    /// <summary>
    /// Options for a private single-silo cluster on free ports; grain state in memory, or where <paramref name="storage"/>
    /// says (e.g. PostgreSQL, with the schema checked at start).
    /// </summary>
    public static SeasonalGrainsOptions PrivateOptions(StorageOptions? storage = null) => new()
    {
        Storage = storage ?? new StorageOptions(),
        Clustering = new ClusteringOptions
        {
            ClusterId = "embedded-" + Guid.NewGuid().ToString("N")[..12],
            ServiceId = ServiceId,
            SiloPort = FreePort(),
            GatewayPort = FreePort(),
        },
    };

    public static async Task<EmbeddedSilo> StartAsync(SeasonalGrainsOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= PrivateOptions();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.AddSeasonalGrains(options));
        return new EmbeddedSilo(await StartAsync(builder.Build(), cancellationToken));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
