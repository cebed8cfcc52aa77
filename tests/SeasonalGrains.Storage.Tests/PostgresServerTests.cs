using Npgsql;
using SeasonalGrains.TestSupport;
using static SeasonalGrains.Storage.Tests.ProviderParameters;

namespace SeasonalGrains.Storage.Tests;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task A_started_server_listens_on_loopback_only_and_leaves_nothing_behind()
    {
        var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("probe");
        var dataDirectory = server.DataDirectory;
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            Assert.Equal(1, await ScalarAsync(connection, "SELECT 1"));
            if (!server.IsExternal)
            {
                Assert.Equal("127.0.0.1", await ScalarAsync(connection, "SHOW listen_addresses"));
                Assert.Equal("off", await ScalarAsync(connection, "SHOW fsync"));
                Assert.True(Directory.Exists(dataDirectory));
            }
        }

        await server.DropDatabaseAsync(database);
        await server.DisposeAsync();

        if (server.IsExternal)
        {
            await using var admin = new NpgsqlConnection(server.AdminConnectionString);
            await admin.OpenAsync();
            var name = new NpgsqlConnectionStringBuilder(database).Database;
            Assert.Equal(0L, await ScalarAsync(admin, $"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));
        }
        else
        {
            Assert.False(Directory.Exists(Path.GetDirectoryName(dataDirectory)));
            await using var gone = new NpgsqlConnection(database + ";Timeout=2;Pooling=false");
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => gone.OpenAsync());
        }
    }
}
