using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Host.Tests;

/// <summary>Where the repository's files are, for tests that read its scenarios.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SeasonalGrains.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SeasonalGrains.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>What the contract tests need of a host: the host itself, and whether it can be restarted on the same storage.</summary>
public interface IHostFixture
{
    LiveHost Host { get; }
}

/// <summary>One host with grain state in memory (and the in-memory reminder service), shared by a test collection.</summary>
public sealed class InMemoryHostFixture : IHostFixture, IAsyncLifetime
{
    public const string Collection = "Host on in-memory storage";

    private LiveHost? _host;

    public LiveHost Host => _host ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>Where replays started by the tests write their results.</summary>
    public string ReplayOutput { get; } = Directory.CreateTempSubdirectory("seasonalgrains-replays-").FullName;

    public async Task InitializeAsync() =>
        _host = await LiveHost.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "memory",
            ["Api:ScenarioRoot"] = Path.Combine(Repository.Root, "simulations"),
            ["Api:ReplayOutputRoot"] = ReplayOutput,
        });

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        try
        {
            Directory.Delete(ReplayOutput, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}

/// <summary>
/// One host with grain state and reminders in a fresh PostgreSQL database (a throwaway server from
/// <see cref="PostgresServer"/>), its schema migrated at start. <see cref="RestartAsync"/> starts a new host on the same database.
/// </summary>
public sealed class PostgresHostFixture : IHostFixture, IAsyncLifetime
{
    public const string Collection = "Host on PostgreSQL";

    private readonly PostgresDatabaseFixture _database = new();
    private LiveHost? _host;

    public LiveHost Host => _host ?? throw new InvalidOperationException("The host is not started.");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _host = await StartHostAsync();
    }

    /// <summary>Stops the host and starts a new one on the same database (state must come back from PostgreSQL).</summary>
    public async Task RestartAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }

        _host = await StartHostAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private Task<LiveHost> StartHostAsync() =>
        LiveHost.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = _database.ConnectionString,
            ["Storage:MigrateOnStart"] = "true",
        });
}

[CollectionDefinition(InMemoryHostFixture.Collection)]
public sealed class InMemoryHostCollection : ICollectionFixture<InMemoryHostFixture>;

[CollectionDefinition(PostgresHostFixture.Collection)]
public sealed class PostgresHostCollection : ICollectionFixture<PostgresHostFixture>;
