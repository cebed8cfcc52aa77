using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SeasonalGrains.Storage;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// Silos as <c>seasonal serve</c> processes clustered through one PostgreSQL database, an Orleans client of that
/// cluster, and waiting for a silo to report ready.
/// </summary>
internal static class SiloCluster
{
    /// <summary>A fresh migrated database and a cluster id of its own, both named after <paramref name="name"/>.</summary>
    public static async Task<(string Database, string ClusterId)> CreateAsync(PostgresDatabaseFixture postgres, string name)
    {
        var database = await postgres.CreateDatabaseAsync(name);
        await new DatabaseMigrator().MigrateAsync(database);
        return (database, name + "-" + Guid.NewGuid().ToString("N")[..8]);
    }

    /// <summary>Starts one silo of <paramref name="clusterId"/> on <paramref name="ports"/>, with more settings (<c>key=value</c>).</summary>
    public static SeasonalProcess StartSilo(string database, string clusterId, SiloPorts ports, IReadOnlyDictionary<string, string> environment, params string[] settings) =>
        SeasonalProcess.Start(
            environment,
            [
                "serve", "--storage", "postgres", "--clustering", "postgres", "--connection", database,
                "--silo-port", Text(ports.Silo), "--gateway-port", Text(ports.Gateway), "--urls", $"http://127.0.0.1:{ports.Http}",
                $"Clustering:ClusterId={clusterId}", "Clustering:AdvertisedAddress=127.0.0.1", "Storage:MaxPoolSize=10",
                .. settings,
            ]);

    /// <summary>An Orleans client of the cluster (for the management grain: where each grain lives).</summary>
    public static async Task<IHost> StartClientAsync(string database, string clusterId)
    {
        var clustering = new ClusteringOptions
        {
            Provider = ClusteringOptions.PostgresProvider,
            ConnectionString = database,
            MaxPoolSize = 5,
            ClusterId = clusterId,
        };
        var host = new HostBuilder()
            .UseOrleansClient(client => client
                .UseSeasonalClustering(clustering)
                .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5))
                .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1)))
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Waits until the silo's <c>/health/ready</c> answers 200 with a healthy database.</summary>
    public static async Task WaitReadyAsync(HttpClient http, SiloPorts silo, SeasonalProcess process, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{silo.Http}/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.Contains("\"database\":{\"status\":\"Healthy\"", body, StringComparison.Ordinal);
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (clock.Elapsed <= patience)
            {
                // listening but slower than the client's timeout (a starting silo on a loaded machine): ask again
            }

            if (clock.Elapsed > patience)
            {
                throw new TimeoutException($"silo on port {silo.Silo} not ready after {patience.TotalSeconds:0} s:\n{process.Output}");
            }

            await Task.Delay(250);
        }
    }

    public static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The three ports of one silo process: silo-to-silo, gateway and HTTP.</summary>
internal sealed record SiloPorts
{
    public int Silo { get; } = SeasonalProcess.FreePort();

    public int Gateway { get; } = SeasonalProcess.FreePort();

    public int Http { get; } = SeasonalProcess.FreePort();
}
