using Npgsql;
using SeasonalGrains.Cli;
using SeasonalGrains.TestSupport;
using static SeasonalGrains.Storage.Tests.ProviderParameters;

namespace SeasonalGrains.Storage.Tests;

/// <summary>
/// The compose file's <c>migrate</c> job, run in this process: its command line (read from docker-compose.yml) through
/// the <c>seasonal</c> CLI, with the connection string in <c>Storage__ConnectionString</c> as the job gets it, against
/// fresh databases on the test server. The tests of this class share the process environment, so they never run in
/// parallel with each other (one class, one xunit collection).
/// </summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class ComposeMigrateJobTests(PostgresDatabaseFixture postgres)
{
    private const string ConnectionVariable = "Storage__ConnectionString";

    private static readonly string[] MigrateJob = [.. ComposeFile.Load().Service("migrate").Sequence("command")];

    private static readonly string[] Migrations = ["0001_orleans_query_table", "0002_persistence", "0003_clustering", "0004_reminders", "0005_model_registry"];

    [Fact]
    public async Task The_migrate_job_brings_a_fresh_database_to_version_5_and_lists_each_migration()
    {
        var connectionString = await postgres.CreateDatabaseAsync("job");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;

        var run = await RunAsync(MigrateJob, environmentConnection: connectionString);

        Assert.Equal((0, ""), (run.ExitCode, run.Error));
        var lines = run.OutputLines;
        Assert.StartsWith($"Applied 5 migration(s) to the database '{database}' on 127.0.0.1:", lines[0], StringComparison.Ordinal);
        Assert.Equal(Migrations.Select(m => "  " + m), lines[1..6]);
        Assert.Equal("Schema version 0 -> 5.", lines[6]);
        Assert.Equal([1, 2, 3, 4, 5], (await new DatabaseMigrator().GetAppliedAsync(connectionString)).Select(a => a.Version));
    }

    [Fact]
    public async Task Running_the_job_again_reports_up_to_date_at_version_5_and_applies_nothing()
    {
        var connectionString = await postgres.CreateDatabaseAsync("again");
        Assert.Equal(0, (await RunAsync(MigrateJob, environmentConnection: connectionString)).ExitCode);
        var firstAppliedAt = (await new DatabaseMigrator().GetAppliedAsync(connectionString)).Select(a => a.AppliedAt).ToList();

        var run = await RunAsync(MigrateJob, environmentConnection: connectionString);

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.OutputLines);
        Assert.EndsWith(" is up to date at version 5.", line, StringComparison.Ordinal);
        Assert.Equal(firstAppliedAt, (await new DatabaseMigrator().GetAppliedAsync(connectionString)).Select(a => a.AppliedAt));
    }

    [Fact]
    public async Task The_connection_option_wins_over_the_environment()
    {
        var connectionString = await postgres.CreateDatabaseAsync("option");

        var run = await RunAsync([.. MigrateJob, "--connection", connectionString], environmentConnection: Unreachable);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(5, (await new DatabaseMigrator().GetAppliedAsync(connectionString)).Count);
    }

    [Fact]
    public async Task Without_a_connection_string_the_job_exits_2_naming_the_key_and_the_variable()
    {
        var run = await RunAsync(MigrateJob, environmentConnection: null);

        Assert.Equal(SeasonalCli.BadInput, run.ExitCode);
        Assert.Contains("error: no connection string: pass --connection", run.Error, StringComparison.Ordinal);
        Assert.Contains("set Storage:ConnectionString (environment variable Storage__ConnectionString)", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task A_malformed_connection_string_exits_2()
    {
        var run = await RunAsync([.. MigrateJob, "--connection", "Host=db;Colour=blue"], environmentConnection: null);

        Assert.Equal(SeasonalCli.BadInput, run.ExitCode);
        Assert.StartsWith("error: the connection string is not a valid PostgreSQL connection string", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_2_naming_host_and_port()
    {
        var run = await RunAsync(MigrateJob, environmentConnection: Unreachable);

        Assert.Equal(SeasonalCli.BadInput, run.ExitCode);
        Assert.StartsWith("error: Could not connect to PostgreSQL (host '127.0.0.1', port 1", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_newer_than_this_build_exits_2_and_is_left_untouched()
    {
        var connectionString = await postgres.CreateDatabaseAsync("newer");
        await new DatabaseMigrator().MigrateAsync(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"INSERT INTO {DatabaseMigrator.HistoryTable} (version, name, checksum) VALUES (6, '0006_future', 'x')");
        }

        var run = await RunAsync(MigrateJob, environmentConnection: connectionString);

        Assert.Equal(SeasonalCli.BadInput, run.ExitCode);
        Assert.Contains("The database schema is at version 6 (0006_future), newer than the latest version this build knows (5)", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
        Assert.Equal([1, 2, 3, 4, 5, 6], (await new DatabaseMigrator().GetAppliedAsync(connectionString)).Select(a => a.Version));
    }

    [Fact]
    public async Task A_database_whose_recorded_migration_differs_from_this_build_exits_2()
    {
        var connectionString = await postgres.CreateDatabaseAsync("edited");
        await new DatabaseMigrator().MigrateAsync(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"UPDATE {DatabaseMigrator.HistoryTable} SET checksum = 'edited' WHERE version = 2");
        }

        var run = await RunAsync(MigrateJob, environmentConnection: connectionString);

        Assert.Equal(SeasonalCli.BadInput, run.ExitCode);
        Assert.StartsWith("error: Migration 0002_persistence was applied with checksum edited, but this build's copy has checksum", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_that_may_not_create_tables_exits_2_with_permission_denied()
    {
        // Since PostgreSQL 15 only the database owner may create tables in schema public.
        var connectionString = await postgres.CreateDatabaseAsync("readonly");
        var role = $"reader_{Guid.NewGuid():N}";
        await postgres.Server.ExecuteAdminAsync($"CREATE ROLE {role} LOGIN PASSWORD 'reader'");
        try
        {
            var asReader = new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = "reader", Pooling = false }.ConnectionString;

            var run = await RunAsync(MigrateJob, environmentConnection: asReader);

            Assert.Equal(SeasonalCli.BadInput, run.ExitCode);
            Assert.Contains($"Could not create or read the migration history table {DatabaseMigrator.HistoryTable}: 42501", run.Error, StringComparison.Ordinal);
            Assert.Empty(await new DatabaseMigrator().GetAppliedAsync(connectionString));
        }
        finally
        {
            await postgres.Server.DropDatabaseAsync(connectionString);
            await postgres.Server.ExecuteAdminAsync($"DROP ROLE IF EXISTS {role}");
        }
    }

    [Fact]
    public async Task A_migration_that_fails_on_the_database_exits_1_naming_the_migration_and_sqlstate()
    {
        var connectionString = await postgres.CreateDatabaseAsync("conflict");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "CREATE TABLE orleansquery (something_else int)");
        }

        var run = await RunAsync(MigrateJob, environmentConnection: connectionString);

        Assert.Equal(SeasonalCli.Unexpected, run.ExitCode);
        Assert.StartsWith("error: Migration 0001_orleans_query_table failed and was rolled back: 42P07", run.Error, StringComparison.Ordinal);
        Assert.Contains("stays at the last migration that succeeded", run.Error, StringComparison.Ordinal);
        Assert.Empty(await new DatabaseMigrator().GetAppliedAsync(connectionString));
    }

    private static string Unreachable => "Host=127.0.0.1;Port=1;Username=postgres;Timeout=2";

    /// <summary>Runs the CLI in this process with <c>Storage__ConnectionString</c> set (or removed) for the duration.</summary>
    private static async Task<CliRun> RunAsync(string[] args, string? environmentConnection)
    {
        var saved = Environment.GetEnvironmentVariable(ConnectionVariable);
        Environment.SetEnvironmentVariable(ConnectionVariable, environmentConnection);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exitCode = await SeasonalCli.RunAsync(args, output, error);
            return new CliRun(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(ConnectionVariable, saved);
        }
    }

    private sealed record CliRun(int ExitCode, string Output, string Error)
    {
        public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }
}
