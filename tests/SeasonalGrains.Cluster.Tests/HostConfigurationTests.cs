using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using SeasonalGrains.Cli;
using SeasonalGrains.Storage;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Cluster.Tests;

/// <summary><c>seasonal serve</c> (the host in the CLI's process): settings checked at start, the schema check, the health endpoints.</summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class HostConfigurationTests(PostgresDatabaseFixture postgres)
{
    [Theory]
    [InlineData("Storage:Provider=postgres", "Storage:ConnectionString is required when Storage:Provider is 'postgres'")]
    [InlineData("Storage:Provider=mysql", "Storage:Provider 'mysql' is not supported")]
    [InlineData("Clustering:SiloPort=eleven", "'eleven' at 'Clustering:SiloPort'")]
    [InlineData("Clustering:Membership:ProbeTimeout=soon", "'soon' at 'Clustering:Membership:ProbeTimeout'")]
    [InlineData("Api:Keys:0:Key=short", "invalid settings: Api:Keys:0:Key must have at least 16 characters.")]
    [InlineData("Live:Forecaster=prophet", "invalid settings: Live:Forecaster: unknown forecaster 'prophet' (known: naive, seasonal-naive, seasonal-naive-yearly, moving-average, ets, croston, tsb, lstm).")]
    public async Task A_bad_setting_stops_the_host_at_start_naming_its_key(string setting, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a host that wrongly starts is stopped (exit 0, failing the test)
        var (code, _, error) = await Serve(timeout.Token, setting);

        Assert.Equal(SeasonalCli.BadInput, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_on_an_unmigrated_database_stops_and_asks_for_db_migrate()
    {
        var database = await postgres.CreateDatabaseAsync("hostschema");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (code, _, error) = await Serve(timeout.Token, "--storage", "postgres", "--connection", database);

        Assert.Equal(SeasonalCli.BadInput, code);
        Assert.Contains("has schema version 0, but this build needs version 5: run `seasonal db migrate`", error, StringComparison.Ordinal);
        Assert.Empty(await new DatabaseMigrator().GetAppliedAsync(database)); // nothing was created behind the user's back
    }

    [Fact]
    public async Task With_migrate_on_start_the_host_migrates_and_reports_ready_with_its_database()
    {
        var database = await postgres.CreateDatabaseAsync("hostmigrate");
        var http = SeasonalProcess.FreePort();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var serving = Serve(stop.Token, "--storage", "postgres", "--connection", database, "--urls", $"http://127.0.0.1:{http}", "Storage:MigrateOnStart=true");
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(5) };
            var ready = await PollAsync(client, "/health/ready", serving);
            using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.Equal("Healthy", ready.Body.RootElement.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());
            var check = ready.Body.RootElement.GetProperty("checks").GetProperty("database");
            Assert.Equal("Healthy", check.GetProperty("status").GetString());
            var latest = new DatabaseMigrator().LatestVersion;
            Assert.Equal($"Schema version {latest.ToString(CultureInfo.InvariantCulture)}.", check.GetProperty("description").GetString());
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(latest, (await new DatabaseMigrator().GetAppliedAsync(database)).Max(a => a.Version));

            // the database going away turns readiness off, not liveness
            NpgsqlConnection.ClearAllPools();
            await postgres.Server.ExecuteAdminAsync($"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(database).Database}\" WITH ALLOW_CONNECTIONS false");
            await postgres.Server.ExecuteAdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{new NpgsqlConnectionStringBuilder(database).Database}'");
            using var notReady = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            using var stillLive = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Equal(HttpStatusCode.OK, stillLive.StatusCode);
            await postgres.Server.ExecuteAdminAsync($"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(database).Database}\" WITH ALLOW_CONNECTIONS true");
        }
        finally
        {
            await stop.CancelAsync();
            var (code, output, error) = await serving;
            Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        }
    }

    private static async Task<(HttpStatusCode Status, JsonDocument Body)> PollAsync(HttpClient client, string path, Task serving)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (true)
        {
            if (serving.IsCompleted)
            {
                await serving; // surfaces a start failure
                throw new InvalidOperationException("The host stopped before it was ready.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
                {
                    return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }
    }

    private static async Task<(int Code, string Output, string Error)> Serve(CancellationToken cancellationToken, params string[] settings)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // free ports first, as settings that the test's own settings may override
        string[] args = ["serve", "Clustering:SiloPort=" + Port(), "Clustering:GatewayPort=" + Port(), .. settings];
        var code = await SeasonalCli.RunAsync(args, output, error, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static string Port() => SeasonalProcess.FreePort().ToString(CultureInfo.InvariantCulture);
}
