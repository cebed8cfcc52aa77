using Npgsql;
using SeasonalGrains.TestSupport;
using static SeasonalGrains.Storage.Tests.ProviderParameters;

namespace SeasonalGrains.Storage.Tests;

/// <summary>The persistence queries, run as Orleans' ADO.NET grain storage runs them.</summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class PersistenceQueryTests(PostgresDatabaseFixture postgres) : IAsyncLifetime
{
    private NpgsqlConnection _connection = null!;

    public async Task InitializeAsync()
    {
        await new DatabaseMigrator().MigrateAsync(postgres.ConnectionString);
        _connection = new NpgsqlConnection(postgres.ConnectionString);
        await _connection.OpenAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Insert_with_null_version_returns_1_and_read_returns_the_payload()
    {
        var key = StateKey.NewStringKey("sku-1");

        var written = await WriteAsync(key, version: null, [1, 2, 3]);
        var read = await ReadAsync(key);

        Assert.Equal(1, written);
        var row = Assert.Single(read);
        Assert.Equal(new byte[] { 1, 2, 3 }, row["PayloadBinary"]);
        Assert.Equal(1, row["Version"]);
    }

    [Fact]
    public async Task Reading_a_key_never_written_returns_no_row()
    {
        Assert.Empty(await ReadAsync(StateKey.NewStringKey("never-written")));
    }

    [Fact]
    public async Task Insert_with_null_version_over_an_existing_row_is_a_conflict()
    {
        var key = StateKey.NewStringKey("sku-2");
        await WriteAsync(key, null, [1]);

        var second = await WriteAsync(key, null, [9]);

        Assert.Null(second);
        Assert.Equal(new byte[] { 1 }, Assert.Single(await ReadAsync(key))["PayloadBinary"]);
    }

    [Fact]
    public async Task Update_with_the_stored_version_bumps_it_and_replaces_the_payload()
    {
        var key = StateKey.NewStringKey("sku-3");
        await WriteAsync(key, null, [1]);

        var v2 = await WriteAsync(key, 1, [2]);
        var v3 = await WriteAsync(key, 2, [3]);

        Assert.Equal(2, v2);
        Assert.Equal(3, v3);
        var row = Assert.Single(await ReadAsync(key));
        Assert.Equal(new byte[] { 3 }, row["PayloadBinary"]);
        Assert.Equal(3, row["Version"]);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_rejected_and_changes_nothing()
    {
        var key = StateKey.NewStringKey("sku-4");
        await WriteAsync(key, null, [1]);
        await WriteAsync(key, 1, [2]);

        var stale = await WriteAsync(key, 1, [99]);

        Assert.Null(stale);
        var row = Assert.Single(await ReadAsync(key));
        Assert.Equal(new byte[] { 2 }, row["PayloadBinary"]);
        Assert.Equal(2, row["Version"]);
    }

    [Fact]
    public async Task Update_of_a_row_that_does_not_exist_is_a_conflict()
    {
        Assert.Null(await WriteAsync(StateKey.NewStringKey("ghost"), 5, [1]));
    }

    [Fact]
    public async Task Clear_with_the_stored_version_keeps_the_row_without_payload_and_bumps_the_version()
    {
        var key = StateKey.NewStringKey("sku-5");
        await WriteAsync(key, null, [1]);

        var cleared = await RunAsync(_connection, "ClearStorageKey", key.Parameters(1, payload: null, withPayload: false));

        Assert.Equal(2, Assert.Single(cleared).Values.First());
        var row = Assert.Single(await ReadAsync(key));
        Assert.Null(row["PayloadBinary"]);
        Assert.Equal(2, row["Version"]);
        Assert.Equal(3, await WriteAsync(key, 2, [7]));
    }

    [Fact]
    public async Task Clear_with_a_stale_version_returns_null_and_keeps_the_payload()
    {
        var key = StateKey.NewStringKey("sku-6");
        await WriteAsync(key, null, [1]);
        await WriteAsync(key, 1, [2]);

        var cleared = await RunAsync(_connection, "ClearStorageKey", key.Parameters(1, payload: null, withPayload: false));

        Assert.Null(Assert.Single(cleared).Values.First());
        Assert.Equal(new byte[] { 2 }, Assert.Single(await ReadAsync(key))["PayloadBinary"]);
    }

    [Fact]
    public async Task Delete_removes_the_row_only_on_the_stored_version()
    {
        var key = StateKey.NewStringKey("sku-7");
        await WriteAsync(key, null, [1]);
        await WriteAsync(key, 1, [2]);

        var stale = await RunAsync(_connection, "DeleteStorageKey", key.Parameters(1, null, withPayload: false));
        Assert.Null(Assert.Single(stale).Values.First());
        Assert.Single(await ReadAsync(key));

        var deleted = await RunAsync(_connection, "DeleteStorageKey", key.Parameters(2, null, withPayload: false));
        Assert.Equal(3, Assert.Single(deleted).Values.First());
        Assert.Empty(await ReadAsync(key));
    }

    [Fact]
    public async Task Null_and_empty_key_extensions_are_different_grains()
    {
        var serviceId = Guid.NewGuid().ToString("N");
        var integerKey = new StateKey(serviceId, "counter", 7, 0, null);
        var emptyExtension = integerKey with { Extension = string.Empty };

        Assert.Equal(1, await WriteAsync(integerKey, null, [1]));
        Assert.Equal(1, await WriteAsync(emptyExtension, null, [2]));

        Assert.Equal(new byte[] { 1 }, Assert.Single(await ReadAsync(integerKey))["PayloadBinary"]);
        Assert.Equal(new byte[] { 2 }, Assert.Single(await ReadAsync(emptyExtension))["PayloadBinary"]);
    }

    [Fact]
    public async Task Service_id_state_name_and_each_key_part_separate_rows()
    {
        var key = StateKey.NewStringKey("shared");
        var variants = new[]
        {
            key,
            key with { ServiceId = key.ServiceId + "-other" },
            key with { StateName = "other-state" },
            key with { N0 = 1 },
            key with { N1 = 1 },
            key with { Extension = "shared2" },
        };

        for (var i = 0; i < variants.Length; i++)
        {
            Assert.Equal(1, await WriteAsync(variants[i], null, [(byte)i]));
        }

        for (var i = 0; i < variants.Length; i++)
        {
            Assert.Equal(new[] { (byte)i }, Assert.Single(await ReadAsync(variants[i]))["PayloadBinary"]);
        }
    }

    [Fact]
    public async Task Rows_are_matched_by_natural_key_not_by_hash()
    {
        var key = StateKey.NewStringKey("rehash");
        await WriteAsync(key, null, [1]);
        var rehashed = key with { GrainIdHash = key.GrainIdHash + 1, GrainTypeHash = key.GrainTypeHash - 1 };

        Assert.Single(await ReadAsync(rehashed));
        Assert.Equal(2, await WriteAsync(rehashed, 1, [2]));
    }

    [Fact]
    public async Task The_version_after_int_max_wraps_to_1()
    {
        var key = StateKey.NewStringKey("wrap");
        await WriteAsync(key, null, [1]);
        await ExecuteAsync(_connection, $"UPDATE orleans_grain_state SET version = {int.MaxValue} WHERE service_id = '{key.ServiceId}'");

        Assert.Equal(1, await WriteAsync(key, int.MaxValue, [2]));
    }

    [Fact]
    public async Task Of_concurrent_first_writes_exactly_one_wins()
    {
        var key = StateKey.NewStringKey("race");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync();
            var rows = await RunAsync(connection, "WriteToStorageKey", key.Parameters(null, [(byte)i], withPayload: true));
            return Assert.Single(rows)["NewGrainStateVersion"];
        }));

        Assert.Equal(1, results.Count(r => Equals(r, 1)));
        Assert.Equal(7, results.Count(r => r is null));
    }

    [Fact]
    public async Task Of_concurrent_updates_from_the_same_version_exactly_one_wins()
    {
        var key = StateKey.NewStringKey("race-update");
        await WriteAsync(key, null, [0]);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync();
            var rows = await RunAsync(connection, "WriteToStorageKey", key.Parameters(1, [(byte)i], withPayload: true));
            return Assert.Single(rows)["NewGrainStateVersion"];
        }));

        Assert.Equal(1, results.Count(r => Equals(r, 2)));
        Assert.Equal(7, results.Count(r => r is null));
    }

    [Fact]
    public async Task Reads_and_writes_use_the_key_index()
    {
        var key = StateKey.NewStringKey("plan");
        await ExecuteAsync(_connection, "SET enable_seqscan = off");
        try
        {
            var text = await QueryTextAsync(_connection, "ReadFromStorageKey");
            await using var command = new NpgsqlCommand("EXPLAIN " + text, _connection);
            command.Parameters.AddRange(key.Parameters(null, null, withPayload: false));
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(0));
                }
            }

            Assert.Contains(plan, line => line.Contains("Index Scan using orleans_grain_state_key", StringComparison.Ordinal));
            Assert.Contains(plan, line => line.Contains("Index Cond:", StringComparison.Ordinal) && line.Contains("COALESCE", StringComparison.Ordinal));
        }
        finally
        {
            await ExecuteAsync(_connection, "RESET enable_seqscan");
        }
    }

    private async Task<int?> WriteAsync(StateKey key, int? version, byte[] payload)
    {
        var rows = await RunAsync(_connection, "WriteToStorageKey", key.Parameters(version, payload, withPayload: true));
        return (int?)Assert.Single(rows)["NewGrainStateVersion"];
    }

    private Task<List<Dictionary<string, object?>>> ReadAsync(StateKey key) =>
        RunAsync(_connection, "ReadFromStorageKey", key.Parameters(null, null, withPayload: false, withVersion: false));

    /// <summary>The natural key of one grain state plus the hashes the provider sends alongside.</summary>
    private sealed record StateKey(string ServiceId, string StateName, long N0, long N1, string? Extension)
    {
        public int GrainIdHash { get; init; } = 12345;

        public int GrainTypeHash { get; init; } = -678;

        /// <summary>A string-keyed grain: N0 = N1 = 0, the key in the extension; a fresh service id per test.</summary>
        public static StateKey NewStringKey(string key) => new(Guid.NewGuid().ToString("N"), "counter", 0, 0, key);

        public NpgsqlParameter[] Parameters(int? version, byte[]? payload, bool withPayload, bool withVersion = true)
        {
            var parameters = new List<NpgsqlParameter>
            {
                Int("GrainIdHash", GrainIdHash),
                Long("GrainIdN0", N0),
                Long("GrainIdN1", N1),
                Int("GrainTypeHash", GrainTypeHash),
                Text("GrainTypeString", StateName),
                Text("GrainIdExtensionString", Extension),
                Text("ServiceId", ServiceId),
            };
            if (withVersion)
            {
                parameters.Add(Int("GrainStateVersion", version));
            }

            if (withPayload)
            {
                parameters.Add(Bytes("PayloadBinary", payload));
            }

            return [.. parameters];
        }
    }
}
