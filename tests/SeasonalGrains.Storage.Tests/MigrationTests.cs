using Npgsql;
using SeasonalGrains.TestSupport;
using static SeasonalGrains.Storage.Tests.ProviderParameters;

namespace SeasonalGrains.Storage.Tests;

[Collection(PostgresDatabaseFixture.Collection)]
public sealed class MigrationTests(PostgresDatabaseFixture postgres)
{
    private static readonly string[] PersistenceKeys = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey"];

    private static readonly string[] ClusteringKeys =
    [
        "InsertMembershipVersionKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipKey", "UpdateMembershipKey",
        "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
    ];

    private static readonly string[] ReminderKeys =
    [
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public void Embedded_migrations_are_numbered_1_to_5_in_order()
    {
        var migrations = Migration.LoadEmbedded();

        Assert.Equal(
            ["0001_orleans_query_table", "0002_persistence", "0003_clustering", "0004_reminders", "0005_model_registry"],
            migrations.Select(m => m.Name));
        Assert.Equal([1, 2, 3, 4, 5], migrations.Select(m => m.Version));
        Assert.All(migrations, m => Assert.Matches("^[0-9a-f]{64}$", m.Checksum));
    }

    [Fact]
    public void Migration_file_names_must_carry_a_four_digit_version()
    {
        var error = Assert.Throws<ArgumentException>(() => Migration.FromFile("persistence.sql", "SELECT 1"));
        Assert.Contains("0001_some_name.sql", error.Message, StringComparison.Ordinal);
        Assert.Equal(12, Migration.FromFile("0012_more.sql", "SELECT 1").Version);
    }

    [Fact]
    public void Checksum_ignores_line_ending_style()
    {
        var unix = Migration.FromFile("0001_a.sql", "CREATE TABLE a (x int);\nSELECT 1;\n");
        var windows = Migration.FromFile("0001_a.sql", "CREATE TABLE a (x int);\r\nSELECT 1;\r\n");

        Assert.Equal(unix.Checksum, windows.Checksum);
    }

    [Fact]
    public async Task A_fresh_database_gets_all_migrations_and_every_provider_query()
    {
        var connectionString = await postgres.CreateDatabaseAsync("migrate");
        var migrator = new DatabaseMigrator();

        var result = await migrator.MigrateAsync(connectionString);

        Assert.Equal(0, result.PreviousVersion);
        Assert.Equal(5, result.CurrentVersion);
        Assert.Equal([1, 2, 3, 4, 5], result.Applied.Select(a => a.Version));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var keys = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Equal(PersistenceKeys.Concat(ClusteringKeys).Concat(ReminderKeys).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        var history = await migrator.GetAppliedAsync(connectionString);
        Assert.Equal(migrator.Migrations.Select(m => m.Checksum), history.Select(h => h.Checksum));
    }

    [Fact]
    public async Task Migrating_twice_applies_nothing_the_second_time()
    {
        var connectionString = await postgres.CreateDatabaseAsync("twice");
        var migrator = new DatabaseMigrator();
        await migrator.MigrateAsync(connectionString);

        var second = await migrator.MigrateAsync(connectionString);

        Assert.True(second.WasUpToDate);
        Assert.Equal(5, second.PreviousVersion);
        Assert.Equal(5, second.CurrentVersion);
        Assert.Equal(5, (await migrator.GetAppliedAsync(connectionString)).Count);
    }

    [Fact]
    public async Task A_database_newer_than_this_build_is_refused_untouched()
    {
        var connectionString = await postgres.CreateDatabaseAsync("newer");
        var migrator = new DatabaseMigrator();
        await migrator.MigrateAsync(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"INSERT INTO {DatabaseMigrator.HistoryTable} (version, name, checksum) VALUES (6, '0006_future', 'x')");
        }

        var error = await Assert.ThrowsAsync<DatabaseMigrationException>(() => migrator.MigrateAsync(connectionString));

        Assert.Contains("version 6 (0006_future)", error.Message, StringComparison.Ordinal);
        Assert.Contains("latest version this build knows (5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_applied_migration_is_refused()
    {
        var connectionString = await postgres.CreateDatabaseAsync("changed");
        await new DatabaseMigrator([Migration.FromFile("0001_t.sql", "CREATE TABLE t (x int);")]).MigrateAsync(connectionString);
        var edited = new DatabaseMigrator([Migration.FromFile("0001_t.sql", "CREATE TABLE t (x bigint);")]);

        var error = await Assert.ThrowsAsync<DatabaseMigrationException>(() => edited.MigrateAsync(connectionString));

        Assert.Contains("Migration 0001_t was applied with checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_and_named_while_earlier_ones_stay()
    {
        var connectionString = await postgres.CreateDatabaseAsync("failing");
        var migrator = new DatabaseMigrator(
        [
            Migration.FromFile("0001_good.sql", "CREATE TABLE good (x int);"),
            Migration.FromFile("0002_bad.sql", "CREATE TABLE half (x int); INSERT INTO missing_table VALUES (1);"),
        ]);

        var error = await Assert.ThrowsAsync<DatabaseMigrationException>(() => migrator.MigrateAsync(connectionString));

        Assert.Contains("Migration 0002_bad failed and was rolled back: 42P01", error.Message, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(true, await ScalarAsync(connection, "SELECT to_regclass('good') IS NOT NULL"));
        Assert.Equal(false, await ScalarAsync(connection, "SELECT to_regclass('half') IS NOT NULL"));
        Assert.Equal([1], (await migrator.GetAppliedAsync(connectionString)).Select(a => a.Version));
    }

    [Fact]
    public async Task Concurrent_migrations_apply_each_migration_exactly_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync("concurrent");
        var slow = new DatabaseMigrator(
        [
            Migration.FromFile("0001_slow.sql", "SELECT pg_sleep(0.3); CREATE TABLE slow (x int);"),
            Migration.FromFile("0002_next.sql", "CREATE TABLE next_one (x int);"),
        ]);

        var results = await Task.WhenAll(slow.MigrateAsync(connectionString), slow.MigrateAsync(connectionString));

        Assert.Equal([0, 2], results.Select(r => r.Applied.Count).Order());
        Assert.All(results, r => Assert.Equal(2, r.CurrentVersion));
        Assert.Equal([1, 2], (await slow.GetAppliedAsync(connectionString)).Select(a => a.Version));
    }

    [Fact]
    public async Task An_unreachable_server_gives_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<DatabaseMigrationException>(() =>
            new DatabaseMigrator().MigrateAsync("Host=127.0.0.1;Port=1;Username=postgres;Timeout=2"));

        Assert.StartsWith("Could not connect to PostgreSQL (host '127.0.0.1', port 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_connection_string_gives_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<DatabaseMigrationException>(() =>
            new DatabaseMigrator().MigrateAsync("Host=127.0.0.1;Colour=blue"));

        Assert.StartsWith("The connection string is not a valid PostgreSQL connection string", error.Message, StringComparison.Ordinal);
    }
}
