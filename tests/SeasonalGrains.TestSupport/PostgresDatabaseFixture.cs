using Xunit;

namespace SeasonalGrains.TestSupport;

/// <summary>
/// xunit fixture: a fresh, empty database on the shared test PostgreSQL server (see <see cref="PostgresServer"/>),
/// dropped on dispose; the server stops when its last fixture is disposed.
/// </summary>
/// <example>
/// In the test assembly: <c>[CollectionDefinition(PostgresDatabaseFixture.Collection)]
/// public sealed class PostgresCollection : ICollectionFixture&lt;PostgresDatabaseFixture&gt;;</c>
/// then <c>[Collection(PostgresDatabaseFixture.Collection)]</c> on test classes that take the fixture.
/// </example>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    /// <summary>Conventional collection name for test classes sharing this fixture.</summary>
    public const string Collection = "PostgreSQL";

    private readonly List<string> _extraDatabases = [];
    private string? _connectionString;
    private PostgresServer? _server;

    /// <summary>The server (shared by all fixtures of the test process).</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Connection string of this fixture's own database.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.AcquireSharedAsync().ConfigureAwait(false);
        _connectionString = await _server.CreateDatabaseAsync("fixture").ConfigureAwait(false);
    }

    /// <summary>Another fresh database on the same server (dropped with the fixture).</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var connectionString = await Server.CreateDatabaseAsync(prefix).ConfigureAwait(false);
        lock (_extraDatabases)
        {
            _extraDatabases.Add(connectionString);
        }

        return connectionString;
    }

    public async Task DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        foreach (var database in _extraDatabases.Append(_connectionString).OfType<string>())
        {
            await _server.DropDatabaseAsync(database).ConfigureAwait(false);
        }

        await PostgresServer.ReleaseSharedAsync().ConfigureAwait(false);
        _server = null;
    }
}
