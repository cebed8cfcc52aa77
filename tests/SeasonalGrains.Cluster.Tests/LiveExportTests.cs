using System.Text.Json.Nodes;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Storage;
using SeasonalGrains.TestSupport;
using static SeasonalGrains.Cluster.Tests.CliRuns;
using static SeasonalGrains.Cluster.Tests.LiveHostProcess;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// <c>seasonal export live</c> on a real PostgreSQL: live SKUs run on a real host, the host is stopped, and the export reads
/// their stored state into a dataset folder the dataset reader accepts, with the stockout days flagged.
/// </summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class LiveExportTests(PostgresDatabaseFixture postgres) : IDisposable
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-live-export-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_stopped_hosts_live_history_exports_as_a_dataset_with_stockout_days_flagged_and_reads_back()
    {
        var database = await postgres.CreateDatabaseAsync("export");
        await using (var host = await StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = database,
            ["Storage:MigrateOnStart"] = "true",
        }))
        {
            // A: 3 seed days, 5 on hand from T-5. T-5 sells 2 (3 left); T-4 sells 3 (0 left: out of stock); T-3 sells 1 (1
            // backordered, 0 left: out of stock); T-2 receives 4 (the backorder served first: 3), sells 1 (2 left), at 9.5 on
            // promotion; T-1 sells nothing (2 left).
            await host.DefineAsync("A", "jackets", "north", Today.AddDays(-5), [2, 3, 4], initialOnHand: 5, unitPrice: 8);
            await host.DefineAsync("B", "gloves", "south", Today.AddDays(-2), [], initialOnHand: 5, unitPrice: 6);
            double[] sales = [2, 3, 1, 1];
            for (var i = 0; i < sales.Length; i++)
            {
                await host.PostOkAsync("/api/v1/skus/A/sales", new { eventId = $"a{i}", units = sales[i], date = Day(Today.AddDays(i - 5)) });
            }

            await host.PostOkAsync("/api/v1/skus/A/receipts", new { eventId = "r1", units = 4, date = Day(Today.AddDays(-2)) });
            await host.PostOkAsync("/api/v1/skus/A/prices", new { eventId = "p1", date = Day(Today.AddDays(-2)), price = 9.5, promo = true });
            await host.PostOkAsync("/api/v1/skus/B/sales", new { eventId = "b1", units = 1, date = Day(Today.AddDays(-2)) });
            await host.PostOkAsync("/api/v1/skus/B/sales", new { eventId = "b2", units = 1, date = Day(Today.AddDays(-1)) });
            await host.PostOkAsync("/api/v1/calendar", new JsonObject
            {
                ["eventId"] = "c1",
                ["date"] = Day(Today.AddDays(-3)),
                ["holiday"] = "Test Day",
                ["events"] = new JsonObject { ["payday"] = 1 },
            });
            await host.PostOkAsync("/api/v1/weather/south", new { eventId = "w1", date = Day(Today.AddDays(-2)), tempC = 3.0, humidity = 80.0 });
            await host.CloseAsync("A", Today.AddDays(-1));
            await host.CloseAsync("B", Today.AddDays(-1));
            var a = await host.GetAsync("/api/v1/skus/A");
            Assert.Equal([3.0, 0, 0, 2, 2], a["days"]!.AsArray().Select(d => (double)d!["onHand"]!));
        }

        var folder = Path.Combine(_root, "live");
        var (code, output, error) = await RunInProcess("export", "live", "--connection", database, "--out", folder);

        Assert.True(code == 0, output + error);
        var lines = string.Join(' ', output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)); // the console wraps at 140 columns
        Assert.True(lines.Contains("Read 2 live SKU(s), the shop's calendar, weather of 1 region(s).", StringComparison.Ordinal), output);
        Assert.True(lines.Contains($"2 SKUs x 8 days ({Day(Today.AddDays(-8))}..{Day(Today.AddDays(-1))}), 7 SKU-days closed live, 2 out of stock (in_stock 0), calendar.csv, weather of 1 region(s).", StringComparison.Ordinal), output);
        var dataset = DatasetReader.Read(folder);
        Assert.Equal((Today.AddDays(-8), 8), (dataset.Start, dataset.Days));
        Assert.Equal(["A", "B"], dataset.Skus.Select(s => s.Sku));
        Assert.Equal(("jackets", "north", 4.0, 8.0, 1, 5.0), (dataset.Skus[0].Category, dataset.Skus[0].Region, dataset.Skus[0].UnitCost, dataset.Skus[0].UnitPrice, dataset.Skus[0].LeadTimeDays, dataset.Skus[0].InitialOnHand));
        var seriesA = dataset.Series[0];
        Assert.Equal([2.0, 3, 4, 2, 3, 1, 1, 0], seriesA.Units); // the seed days, then the closed days
        Assert.Equal([false, false, false, false, true, true, false, false], seriesA.Censored!); // T-4 and T-3 ended with nothing on hand
        Assert.Equal([8.0, 8, 8, 8, 8, 8, 9.5, 8], seriesA.Price!);
        Assert.Equal([false, false, false, false, false, false, true, false], seriesA.Promo!);
        var seriesB = dataset.Series[1];
        Assert.Equal([1.0, 1], seriesB.Units[6..]);
        Assert.All(seriesB.Units[..6], u => Assert.True(double.IsNaN(u))); // before B's first day: missing, not zero
        Assert.Equal(["", "", "", "", "", "Test Day", "", ""], dataset.Calendar!.Holiday.Select(h => h ?? ""));
        Assert.Equal([0.0, 0, 0, 0, 0, 1, 0, 0], dataset.Calendar.Events["payday"]);
        Assert.Equal(3.0, dataset.Weather!["south"].TempC[6]);
        Assert.Equal(80.0, dataset.Weather["south"].Humidity[6]);
        Assert.True(double.IsNaN(dataset.Weather["south"].TempC[5]));
        var demand = File.ReadAllLines(Path.Combine(folder, "demand.csv"));
        Assert.Equal("sku,date,units,price,promo,in_stock", demand[0]);
        Assert.Equal($"A,{Day(Today.AddDays(-4))},3,8,0,0", demand[5]);
    }

    [Fact]
    public async Task Nothing_to_export_is_refused_with_exit_code_2_and_nothing_written()
    {
        var database = await postgres.CreateDatabaseAsync("empty");
        await new DatabaseMigrator().MigrateAsync(database);
        var folder = Path.Combine(_root, "none");

        var (code, _, error) = await RunInProcess("export", "live", "--connection", database, "--out", folder);
        var (memoryCode, _, memoryError) = await RunInProcess("export", "live", "--storage", "memory", "--connection", database, "--out", folder);

        Assert.Equal(2, code);
        Assert.Contains("there is nothing to export: the database", error, StringComparison.Ordinal);
        Assert.Contains("holds no live SKU.", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(2, memoryCode);
        Assert.Contains("live SKUs kept in memory live only inside their host", memoryError, StringComparison.Ordinal);
    }
}
