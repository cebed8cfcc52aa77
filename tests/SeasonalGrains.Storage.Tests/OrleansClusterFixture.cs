using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Storage.Tests;

/// <summary>
/// One silo with PostgreSQL grain storage, clustering and reminders on a fresh migrated database, and one
/// external client that finds the silo's gateway through the membership table.
/// </summary>
public sealed class OrleansClusterFixture : IAsyncLifetime
{
    public const string Collection = "Orleans on PostgreSQL";

    /// <summary>Grain keys whose state writes the database rejects (a trigger raises an error).</summary>
    public const string BrokenKeyPrefix = "broken-";

    /// <summary>The error text the trigger raises.</summary>
    public const string SimulatedFailure = "simulated storage outage";

    private PostgresServer? _server;

    public string ConnectionString { get; private set; } = null!;

    public IHost Silo { get; private set; } = null!;

    public IHost ClientHost { get; private set; } = null!;

    public IClusterClient Client => ClientHost.Services.GetRequiredService<IClusterClient>();

    public ClusteringOptions Clustering { get; private set; } = null!;

    public PostgresServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.AcquireSharedAsync();
        ConnectionString = await _server.CreateDatabaseAsync("cluster");
        await new DatabaseMigrator().MigrateAsync(ConnectionString);
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await ProviderParameters.ExecuteAsync(connection, $$"""
                CREATE FUNCTION reject_broken_grain() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    RAISE EXCEPTION '{{SimulatedFailure}}' USING ERRCODE = '58030';
                END
                $fn$;
                CREATE TRIGGER reject_broken_grain BEFORE INSERT OR UPDATE ON orleans_grain_state
                FOR EACH ROW WHEN (NEW.grain_id_extension LIKE '{{BrokenKeyPrefix}}%')
                EXECUTE FUNCTION reject_broken_grain();
                """);
        }

        Clustering = NewClustering(ConnectionString);
        Silo = await StartSiloAsync(ConnectionString, Clustering);
        ClientHost = await StartClientAsync(Clustering);
    }

    public async Task DisposeAsync()
    {
        if (ClientHost is not null)
        {
            await ClientHost.StopAsync();
            ClientHost.Dispose();
        }

        if (Silo is not null)
        {
            await Silo.StopAsync();
            Silo.Dispose();
        }

        if (_server is not null)
        {
            await _server.DropDatabaseAsync(ConnectionString);
            await PostgresServer.ReleaseSharedAsync();
        }
    }

    /// <summary>Postgres clustering on loopback with free ports and a cluster id of its own.</summary>
    public static ClusteringOptions NewClustering(string connectionString) => new()
    {
        Provider = ClusteringOptions.PostgresProvider,
        ConnectionString = connectionString,
        ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8],
        ServiceId = "storage-tests",
        SiloPort = FreePort(),
        GatewayPort = FreePort(),
        AdvertisedAddress = "127.0.0.1",
    };

    public static async Task<IHost> StartSiloAsync(string connectionString, ClusteringOptions clustering)
    {
        var storage = new StorageOptions { Provider = StorageOptions.PostgresProvider, ConnectionString = connectionString };
        var host = new HostBuilder()
            .UseOrleans(silo => silo.AddSeasonalGrains(SiloSettings.From(storage, clustering)))
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        return host;
    }

    public static async Task<IHost> StartClientAsync(ClusteringOptions clustering)
    {
        var host = new HostBuilder()
            .UseOrleansClient(client => client.UseSeasonalClustering(clustering))
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
