using Npgsql;
using SeasonalGrains.TestSupport;
using static SeasonalGrains.Storage.Tests.ProviderParameters;

namespace SeasonalGrains.Storage.Tests;

/// <summary>The reminder queries, run as Orleans' ADO.NET reminder service runs them.</summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class ReminderQueryTests(PostgresDatabaseFixture postgres) : IAsyncLifetime
{
    private static readonly DateTime Start = new(2024, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    private NpgsqlConnection _connection = null!;
    private string _service = null!;

    public async Task InitializeAsync()
    {
        await new DatabaseMigrator().MigrateAsync(postgres.ConnectionString);
        _connection = new NpgsqlConnection(postgres.ConnectionString);
        await _connection.OpenAsync();
        _service = "service-" + Guid.NewGuid().ToString("N");
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Upsert_inserts_then_replaces_and_returns_a_new_version_each_time()
    {
        var first = await UpsertAsync("counter/a", "daily", 100, TimeSpan.FromDays(1));
        var second = await UpsertAsync("counter/a", "daily", 100, TimeSpan.FromHours(1));

        Assert.NotEqual(first, second);
        var row = Assert.Single(await ReadRowAsync("counter/a", "daily"));
        Assert.Equal(3_600_000L, row["Period"]);
        Assert.Equal(second, row["Version"]);
        Assert.Equal(Start, row["StartTime"]);
    }

    [Fact]
    public async Task Periods_longer_than_int32_milliseconds_are_kept()
    {
        var ninetyDays = TimeSpan.FromDays(90);

        await UpsertAsync("counter/b", "quarterly", 5, ninetyDays);

        Assert.Equal(7_776_000_000L, Assert.Single(await ReadRowAsync("counter/b", "quarterly"))["Period"]);
    }

    [Fact]
    public async Task Reading_a_grain_returns_all_its_reminders_and_no_others()
    {
        await UpsertAsync("counter/c", "one", 1, TimeSpan.FromMinutes(1));
        await UpsertAsync("counter/c", "two", 1, TimeSpan.FromMinutes(2));
        await UpsertAsync("counter/d", "one", 2, TimeSpan.FromMinutes(1));

        var rows = await RunAsync(_connection, "ReadReminderRowsKey", Text("ServiceId", _service), Text("GrainId", "counter/c"));

        Assert.Equal(["one", "two"], rows.Select(r => (string)r["ReminderName"]!).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("counter/c", r["GrainId"]));
    }

    [Fact]
    public async Task Range_1_is_begin_exclusive_end_inclusive()
    {
        await UpsertAsync("g/10", "r", 10, TimeSpan.FromMinutes(1));
        await UpsertAsync("g/20", "r", 20, TimeSpan.FromMinutes(1));
        await UpsertAsync("g/30", "r", 30, TimeSpan.FromMinutes(1));

        var rows = await RunAsync(_connection, "ReadRangeRows1Key", Text("ServiceId", _service), Int("BeginHash", 10), Int("EndHash", 30));

        Assert.Equal(["g/20", "g/30"], rows.Select(r => (string)r["GrainId"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Range_2_wraps_around_the_ring()
    {
        await UpsertAsync("g/min", "r", int.MinValue, TimeSpan.FromMinutes(1));
        await UpsertAsync("g/0", "r", 0, TimeSpan.FromMinutes(1));
        await UpsertAsync("g/max", "r", int.MaxValue, TimeSpan.FromMinutes(1));

        var rows = await RunAsync(_connection, "ReadRangeRows2Key", Text("ServiceId", _service), Int("BeginHash", 100), Int("EndHash", -100));

        Assert.Equal(["g/max", "g/min"], rows.Select(r => (string)r["GrainId"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Delete_needs_the_current_version()
    {
        var first = await UpsertAsync("counter/e", "r", 1, TimeSpan.FromMinutes(1));
        var second = await UpsertAsync("counter/e", "r", 1, TimeSpan.FromMinutes(1));

        Assert.False(await DeleteAsync("counter/e", "r", first));
        Assert.Single(await ReadRowAsync("counter/e", "r"));
        Assert.True(await DeleteAsync("counter/e", "r", second));
        Assert.Empty(await ReadRowAsync("counter/e", "r"));
    }

    [Fact]
    public async Task Deleting_all_rows_of_a_service_leaves_other_services()
    {
        await UpsertAsync("counter/f", "r", 1, TimeSpan.FromMinutes(1));
        var other = _service;
        _service = "service-" + Guid.NewGuid().ToString("N");
        await UpsertAsync("counter/f", "r", 1, TimeSpan.FromMinutes(1));

        await RunAsync(_connection, "DeleteReminderRowsKey", Text("ServiceId", _service));

        Assert.Empty(await ReadRowAsync("counter/f", "r"));
        _service = other;
        Assert.Single(await ReadRowAsync("counter/f", "r"));
    }

    private async Task<int> UpsertAsync(string grainId, string name, int grainHash, TimeSpan period)
    {
        var periodParameter = period.TotalMilliseconds > int.MaxValue
            ? Long("Period", (long)period.TotalMilliseconds)
            : Int("Period", (int)period.TotalMilliseconds);
        var rows = await RunAsync(_connection, "UpsertReminderRowKey",
            Text("ServiceId", _service), Int("GrainHash", grainHash), Text("GrainId", grainId), Text("ReminderName", name),
            Time("StartTime", Start), periodParameter);
        return (int)Assert.Single(rows)["Version"]!;
    }

    private async Task<bool> DeleteAsync(string grainId, string name, int version)
    {
        var rows = await RunAsync(_connection, "DeleteReminderRowKey",
            Text("ServiceId", _service), Text("GrainId", grainId), Text("ReminderName", name), Int("Version", version));
        return Convert.ToBoolean(Assert.Single(Assert.Single(rows).Values), System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<List<Dictionary<string, object?>>> ReadRowAsync(string grainId, string name) =>
        RunAsync(_connection, "ReadReminderRowKey", Text("ServiceId", _service), Text("GrainId", grainId), Text("ReminderName", name));
}
