using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;
using static SeasonalGrains.Storage.Tests.ProviderParameters;

namespace SeasonalGrains.Storage.Tests;

/// <summary>Grain state, clustering and reminders through a real silo and an external client on PostgreSQL.</summary>
[Collection(OrleansClusterFixture.Collection)]
public sealed class OrleansStorageTests(OrleansClusterFixture cluster)
{
    [Fact]
    public async Task State_written_by_a_grain_is_a_row_with_the_grain_key_and_state_name()
    {
        var key = "row-" + Guid.NewGuid().ToString("N");

        await cluster.Client.GetGrain<ICounterGrain>(key).Add(5, "first");

        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT service_id, grain_type, grain_id_n0, grain_id_n1, version, octet_length(payload) FROM orleans_grain_state WHERE grain_id_extension = @key",
            connection);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("storage-tests", reader.GetString(0));
        Assert.Equal(TestStorage.StateName, reader.GetString(1));
        Assert.Equal(0L, reader.GetInt64(2));
        Assert.Equal(0L, reader.GetInt64(3));
        Assert.Equal(1, reader.GetInt32(4));
        Assert.True(reader.GetInt32(5) > 0);
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task Stored_payload_is_the_Orleans_binary_form_of_the_state()
    {
        var key = "binary-" + Guid.NewGuid().ToString("N");
        await cluster.Client.GetGrain<ICounterGrain>(key).Add(12, "binary");

        await using var connection = await OpenAsync();
        var payload = (byte[])(await ScalarAsync(connection, $"SELECT payload FROM orleans_grain_state WHERE grain_id_extension = '{key}'"))!;
        var serializer = cluster.Silo.Services.GetRequiredService<Orleans.Serialization.Serializer>();

        Assert.Equal(new CounterState { Value = 12, Note = "binary" }, serializer.Deserialize<CounterState>(payload));
    }

    [Fact]
    public async Task State_survives_deactivation()
    {
        var grain = cluster.Client.GetGrain<ICounterGrain>("deactivate-" + Guid.NewGuid().ToString("N"));
        await grain.Add(3, "a");
        await grain.Add(4, "b");
        var etagBefore = await grain.GetETag();
        var activationBefore = await grain.GetActivationId();

        await grain.Deactivate();
        await WaitForNewActivationAsync(grain, activationBefore);

        Assert.Equal(new CounterState { Value = 7, Note = "b" }, await grain.Get());
        Assert.Equal("2", etagBefore);
        Assert.Equal("2", await grain.GetETag());
    }

    [Fact]
    public async Task A_write_from_a_stale_etag_is_rejected_with_InconsistentStateException()
    {
        var key = "stale-" + Guid.NewGuid().ToString("N");
        var grain = cluster.Client.GetGrain<ICounterGrain>(key);
        await grain.Add(1, "mine");
        await using (var connection = await OpenAsync())
        {
            // another writer moved the row on since this activation read it
            await ExecuteAsync(connection, $"UPDATE orleans_grain_state SET version = version + 1 WHERE grain_id_extension = '{key}'");
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Add(1, "lost update"));
    }

    [Fact]
    public async Task Storage_passes_InconsistentStateException_through_unchanged()
    {
        var storage = cluster.Silo.Services.GetRequiredKeyedService<IGrainStorage>(TestStorage.Name);
        var grainId = GrainId.Create("counter", "direct-" + Guid.NewGuid().ToString("N"));
        var first = new GrainState<CounterState>(new CounterState());
        var second = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync(TestStorage.StateName, grainId, first);
        await storage.ReadStateAsync(TestStorage.StateName, grainId, second);

        first.State = new CounterState { Value = 1 };
        await storage.WriteStateAsync(TestStorage.StateName, grainId, first);
        second.State = new CounterState { Value = 2 };

        Assert.IsType<ErrorTranslatingGrainStorage>(storage);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(TestStorage.StateName, grainId, second));
        Assert.Equal("1", first.ETag);
        var reread = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync(TestStorage.StateName, grainId, reread);
        Assert.Equal(1, reread.State?.Value);
    }

    [Fact]
    public async Task A_database_error_reaches_the_external_client_as_GrainStorageException()
    {
        var grain = cluster.Client.GetGrain<ICounterGrain>(OrleansClusterFixture.BrokenKeyPrefix + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<GrainStorageException>(() => grain.Add(1, "doomed"));

        Assert.Contains("could not write state 'counter'", error.Message, StringComparison.Ordinal);
        Assert.Contains(OrleansClusterFixture.SimulatedFailure, error.Message, StringComparison.Ordinal);
        Assert.Equal("58030", error.SqlState);
        Assert.Equal("write", error.Operation);
        Assert.Equal(TestStorage.Name, error.ProviderName);
    }

    [Fact]
    public async Task Clearing_state_keeps_a_row_without_payload()
    {
        var key = "clear-" + Guid.NewGuid().ToString("N");
        var grain = cluster.Client.GetGrain<ICounterGrain>(key);
        await grain.Add(9, "x");

        await grain.Clear();

        Assert.Equal(new CounterState(), await grain.Get());
        await using var connection = await OpenAsync();
        Assert.Equal(true, await ScalarAsync(connection, $"SELECT payload IS NULL AND version = 2 FROM orleans_grain_state WHERE grain_id_extension = '{key}'"));
    }

    [Fact]
    public async Task The_silo_is_an_active_member_and_the_client_reached_it_through_its_gateway()
    {
        await using var connection = await OpenAsync();
        var active = await ScalarAsync(connection,
            $"SELECT count(*) FROM orleans_membership WHERE deployment_id = '{cluster.Clustering.ClusterId}' AND status = 3 " +
            $"AND address = '127.0.0.1' AND port = {cluster.Clustering.SiloPort} AND proxy_port = {cluster.Clustering.GatewayPort}");
        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(1L, active);
        var host = Assert.Single(hosts);
        Assert.Equal(cluster.Clustering.SiloPort, host.Key.Endpoint.Port);
    }

    [Fact]
    public async Task A_reminder_is_stored_read_back_and_removed()
    {
        var key = "reminder-" + Guid.NewGuid().ToString("N");
        var grain = cluster.Client.GetGrain<ICounterGrain>(key);

        await grain.RegisterReminder("restock", TimeSpan.FromHours(1), TimeSpan.FromMinutes(30));

        Assert.True(await grain.HasReminder("restock"));
        await using var connection = await OpenAsync();
        Assert.Equal(1_800_000L, await ScalarAsync(connection,
            $"SELECT period FROM orleans_reminder WHERE reminder_name = 'restock' AND grain_id LIKE '%{key}'"));

        await grain.RemoveReminder("restock");

        Assert.False(await grain.HasReminder("restock"));
        Assert.Equal(0L, await ScalarAsync(connection, $"SELECT count(*) FROM orleans_reminder WHERE grain_id LIKE '%{key}'"));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task WaitForNewActivationAsync(ICounterGrain grain, Guid previous)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (await grain.GetActivationId() != previous)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The grain was not deactivated within 5 s.");
    }
}
