using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SeasonalGrains.Storage;
using SeasonalGrains.TestSupport;

namespace StorageBench;

/// <summary>
/// Grain state writes per second against PostgreSQL through the ADO.NET grain storage.
/// Usage: StorageBench [--connection CS] [--grains N] [--writes K] [--floats F] [--fast]
/// Without --connection (or SEASONALGRAINS_TEST_PG) a throwaway local server is started: durable settings by
/// default, or fsync/synchronous_commit off with --fast.
/// </summary>
public static class Program
{
    public const string StorageName = "bench";

    public static async Task<int> Main(string[] args)
    {
        var grains = IntArg(args, "--grains", 1000);
        var writes = IntArg(args, "--writes", 20);
        var floats = IntArg(args, "--floats", 224);
        var fast = args.Contains("--fast");
        var connectionArg = StringArg(args, "--connection");

        await using var server = connectionArg is null ? await PostgresServer.StartAsync(durable: !fast) : null;
        var connectionString = connectionArg ?? await server!.CreateDatabaseAsync("bench");
        var migration = await new DatabaseMigrator().MigrateAsync(connectionString);
        Console.WriteLine($"database: {(connectionArg is null ? (server!.IsExternal ? "SEASONALGRAINS_TEST_PG" : fast ? "local, fsync off" : "local, durable defaults") : "--connection")}, schema v{migration.CurrentVersion}");
        Console.WriteLine($"grains {grains}, writes per grain {writes}, state {floats} floats, pool {PostgresConnectionStrings.DefaultMaxPoolSize}, cores {Environment.ProcessorCount}");

        var storage = new StorageOptions { Provider = StorageOptions.PostgresProvider, ConnectionString = connectionString };
        using var host = new HostBuilder()
            .UseOrleans(silo => silo.UseSeasonalClustering(new ClusteringOptions()).AddSeasonalGrainStorage(StorageName, storage))
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        var factory = host.Services.GetRequiredService<IGrainFactory>();
        var refs = Enumerable.Range(0, grains).Select(i => factory.GetGrain<IBenchGrain>($"bench-{i}")).ToArray();

        // first write of every grain: activation, empty read, insert
        var first = Stopwatch.StartNew();
        await Task.WhenAll(refs.Select(g => g.Write(floats)));
        first.Stop();
        Report("first writes (insert)", grains, first.Elapsed, null);

        // timed: every grain writes K times in sequence, all grains at once (updates with ETag check)
        var latencies = new double[grains * writes];
        var timed = Stopwatch.StartNew();
        await Task.WhenAll(refs.Select((g, index) => WriteManyAsync(g, writes, floats, latencies.AsMemory(index * writes, writes))));
        timed.Stop();
        Report("updates", grains * writes, timed.Elapsed, latencies);

        await host.StopAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var check = new NpgsqlCommand("SELECT count(*), sum(version), avg(octet_length(payload)) FROM orleans_grain_state", connection);
            await using var reader = await check.ExecuteReaderAsync();
            await reader.ReadAsync();
            Console.WriteLine($"rows {reader.GetInt64(0)}, sum of versions {reader.GetValue(1)} (expected {grains * (writes + 1L)}), mean payload {reader.GetDecimal(2):F0} bytes");
        }

        if (connectionArg is not null)
        {
            Console.WriteLine("note: rows were left in the given database");
        }

        return 0;
    }

    private static async Task WriteManyAsync(IBenchGrain grain, int writes, int floats, Memory<double> latencies)
    {
        for (var i = 0; i < writes; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await grain.Write(floats);
            latencies.Span[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }

    private static void Report(string label, int count, TimeSpan elapsed, double[]? latencies)
    {
        var line = $"{label}: {count} in {elapsed.TotalSeconds:F2} s = {count / elapsed.TotalSeconds:F0} writes/s";
        if (latencies is not null)
        {
            Array.Sort(latencies);
            line += $"; latency p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms";
        }

        Console.WriteLine(line);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static int IntArg(string[] args, string name, int fallback)
    {
        var value = StringArg(args, name);
        return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
    }

    private static string? StringArg(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
