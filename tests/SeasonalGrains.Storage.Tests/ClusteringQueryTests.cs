using Npgsql;
using SeasonalGrains.TestSupport;
using static SeasonalGrains.Storage.Tests.ProviderParameters;

namespace SeasonalGrains.Storage.Tests;

/// <summary>The membership queries, run as Orleans' ADO.NET clustering provider runs them.</summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class ClusteringQueryTests(PostgresDatabaseFixture postgres) : IAsyncLifetime
{
    private const int Active = 3;
    private const int Dead = 6;
    private static readonly DateTime Start = new(2024, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    private NpgsqlConnection _connection = null!;
    private string _deployment = null!;

    public async Task InitializeAsync()
    {
        await new DatabaseMigrator().MigrateAsync(postgres.ConnectionString);
        _connection = new NpgsqlConnection(postgres.ConnectionString);
        await _connection.OpenAsync();
        _deployment = "cluster-" + Guid.NewGuid().ToString("N");
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task The_version_row_is_created_once()
    {
        Assert.True(await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment)));
        Assert.False(await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment)));
    }

    [Fact]
    public async Task Reading_an_empty_cluster_returns_the_version_row_alone()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));

        var row = Assert.Single(await ReadAllAsync());

        Assert.Equal(0, row["Version"]);
        Assert.Null(row["StartTime"]);
    }

    [Fact]
    public async Task Insert_at_the_current_version_adds_the_silo_and_bumps_the_version()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));

        Assert.True(await InsertAsync("10.0.0.1", 11111, 1, version: 0));

        var row = Assert.Single(await ReadAllAsync());
        Assert.Equal(1, row["Version"]);
        Assert.Equal("10.0.0.1", row["Address"]);
        Assert.Equal(11111, row["Port"]);
        Assert.Equal(1, row["Generation"]);
        Assert.Equal(Active, row["Status"]);
        Assert.Equal(30000, row["ProxyPort"]);
        Assert.Equal(Start, row["StartTime"]);
    }

    [Fact]
    public async Task Insert_at_a_stale_version_or_of_an_existing_silo_changes_nothing()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));
        await InsertAsync("10.0.0.1", 11111, 1, version: 0);

        Assert.False(await InsertAsync("10.0.0.2", 11111, 1, version: 0));
        Assert.False(await InsertAsync("10.0.0.1", 11111, 1, version: 1));

        var rows = await ReadAllAsync();
        Assert.Equal("10.0.0.1", Assert.Single(rows)["Address"]);
        Assert.Equal(1, rows[0]["Version"]);
    }

    [Fact]
    public async Task Update_at_the_read_version_changes_status_and_suspicions_and_bumps_the_version()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));
        await InsertAsync("10.0.0.1", 11111, 1, version: 0);

        Assert.True(await UpdateAsync("10.0.0.1", Dead, "10.0.0.2:11111@2, 2024-03-01 08:05:00", version: 1));
        Assert.False(await UpdateAsync("10.0.0.1", Active, null, version: 1));

        var row = Assert.Single(await ReadRowAsync("10.0.0.1", 11111, 1));
        Assert.Equal(2, row["Version"]);
        Assert.Equal(Dead, row["Status"]);
        Assert.Equal("10.0.0.2:11111@2, 2024-03-01 08:05:00", row["SuspectTimes"]);
    }

    [Fact]
    public async Task Update_of_a_silo_without_a_row_fails_and_keeps_the_version()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));

        Assert.False(await UpdateAsync("10.9.9.9", Dead, null, version: 0));

        Assert.Equal(0, Assert.Single(await ReadAllAsync())["Version"]);
    }

    [Fact]
    public async Task Reading_one_silo_returns_the_version_row_even_when_the_silo_is_unknown()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));
        await InsertAsync("10.0.0.1", 11111, 1, version: 0);

        var row = Assert.Single(await ReadRowAsync("10.0.0.1", 11111, 2));

        Assert.Equal(1, row["Version"]);
        Assert.Null(row["StartTime"]);
    }

    [Fact]
    public async Task Heartbeat_updates_the_alive_time_but_not_the_version()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));
        await InsertAsync("10.0.0.1", 11111, 1, version: 0);
        var later = Start.AddMinutes(5);

        await RunAsync(_connection, "UpdateIAmAlivetimeKey",
            Text("DeploymentId", _deployment), Text("Address", "10.0.0.1"), Int("Port", 11111), Int("Generation", 1), Time("IAmAliveTime", later));

        var row = Assert.Single(await ReadAllAsync());
        Assert.Equal(later, row["IAmAliveTime"]);
        Assert.Equal(1, row["Version"]);
    }

    [Fact]
    public async Task Gateways_are_active_silos_with_a_proxy_port()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));
        await InsertAsync("10.0.0.1", 11111, 1, version: 0);
        await InsertAsync("10.0.0.2", 11111, 1, version: 1, proxyPort: 0);
        await InsertAsync("10.0.0.3", 11111, 1, version: 2, status: Dead);

        var gateways = await RunAsync(_connection, "GatewaysQueryKey", Text("DeploymentId", _deployment), Int("Status", Active));

        var gateway = Assert.Single(gateways);
        Assert.Equal("10.0.0.1", gateway["Address"]);
        Assert.Equal(30000, gateway["ProxyPort"]);
        Assert.Equal(1, gateway["Generation"]);
    }

    [Fact]
    public async Task Cleanup_removes_old_rows_of_silos_that_are_not_active()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));
        await InsertAsync("10.0.0.1", 11111, 1, version: 0);
        await InsertAsync("10.0.0.2", 11111, 1, version: 1, status: Dead);
        await InsertAsync("10.0.0.3", 11111, 1, version: 2, status: Dead, aliveAt: Start.AddDays(2));

        await RunAsync(_connection, "CleanupDefunctSiloEntriesKey", Text("DeploymentId", _deployment), Time("IAmAliveTime", Start.AddDays(1)));

        var remaining = (await ReadAllAsync()).Select(r => (string)r["Address"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["10.0.0.1", "10.0.0.3"], remaining);
    }

    [Fact]
    public async Task Single_dead_silo_cleanup_needs_the_values_that_were_read()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));
        await InsertAsync("10.0.0.2", 11111, 1, version: 0, status: Dead);

        await CleanupOneAsync(aliveAt: Start.AddSeconds(1));
        Assert.Single(await ReadRowAsync("10.0.0.2", 11111, 1), r => r["StartTime"] is not null);

        await CleanupOneAsync(aliveAt: Start);
        Assert.Null(Assert.Single(await ReadRowAsync("10.0.0.2", 11111, 1))["StartTime"]);
    }

    [Fact]
    public async Task Deleting_the_cluster_removes_silos_and_version()
    {
        await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment));
        await InsertAsync("10.0.0.1", 11111, 1, version: 0);

        await RunAsync(_connection, "DeleteMembershipTableEntriesKey", Text("DeploymentId", _deployment));

        Assert.Empty(await ReadAllAsync());
        Assert.True(await BooleanAsync("InsertMembershipVersionKey", Text("DeploymentId", _deployment)));
    }

    private async Task<bool> BooleanAsync(string key, params NpgsqlParameter[] parameters)
    {
        var row = Assert.Single(await RunAsync(_connection, key, parameters));
        return Convert.ToBoolean(Assert.Single(row.Values), System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<bool> InsertAsync(string address, int port, int generation, int version, int status = Active, int proxyPort = 30000, DateTime? aliveAt = null) =>
        BooleanAsync(
            "InsertMembershipKey",
            Text("DeploymentId", _deployment),
            Time("IAmAliveTime", aliveAt ?? Start),
            Text("SiloName", "silo-" + address),
            Text("HostName", "host-" + address),
            Text("Address", address),
            Int("Port", port),
            Int("Generation", generation),
            Time("StartTime", Start),
            Int("Status", status),
            Int("ProxyPort", proxyPort),
            Int("Version", version));

    private Task<bool> UpdateAsync(string address, int status, string? suspectTimes, int version) =>
        BooleanAsync(
            "UpdateMembershipKey",
            Text("DeploymentId", _deployment),
            Text("Address", address),
            Int("Port", 11111),
            Int("Generation", 1),
            Time("IAmAliveTime", Start.AddMinutes(1)),
            Int("Status", status),
            Text("SuspectTimes", suspectTimes),
            Int("Version", version));

    private Task CleanupOneAsync(DateTime aliveAt) =>
        RunAsync(
            _connection,
            "CleanupDefunctSiloEntryKey",
            Text("DeploymentId", _deployment),
            Text("Address", "10.0.0.2"),
            Int("Port", 11111),
            Int("Generation", 1),
            Time("StartTime", Start),
            Time("IAmAliveTime", aliveAt),
            Text("SuspectTimes", null));

    private Task<List<Dictionary<string, object?>>> ReadAllAsync() =>
        RunAsync(_connection, "MembershipReadAllKey", Text("DeploymentId", _deployment));

    private Task<List<Dictionary<string, object?>>> ReadRowAsync(string address, int port, int generation) =>
        RunAsync(_connection, "MembershipReadRowKey",
            Text("DeploymentId", _deployment), Text("Address", address), Int("Port", port), Int("Generation", generation));
}
