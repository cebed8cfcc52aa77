using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SeasonalGrains.Cli;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Storage;
using SeasonalGrains.TestSupport;
using Xunit.Abstractions;
using static SeasonalGrains.Cluster.Tests.CliRuns;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// A replay on PostgreSQL killed with SIGKILL part-way and finished with <c>--resume</c> gives the results of an
/// uninterrupted run, number for number.
/// </summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed partial class CrashResumeTests(PostgresDatabaseFixture postgres, ITestOutputHelper log) : IDisposable
{
    /// <summary>
    /// 300 SKUs x 365 days under two policies: 219,000 SKU-days in 13 chunks of 30 days, about 8,000 checkpoints;
    /// a few seconds on PostgreSQL, so the kill lands mid-run.
    /// </summary>
    private const string Scenario = """
        {
          "name": "crash",
          "dataset": "data",
          "generate": { "preset": "down-jackets", "skus": 300, "years": 2, "seed": 5 },
          "window": { "lastDays": 365 },
          "costs": { "fixedPerOrder": 10 },
          "policies": [ { "name": "sS" }, { "name": "base-stock" } ]
        }
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-crash-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_replay_killed_mid_run_and_resumed_ends_with_the_metrics_of_an_uninterrupted_run()
    {
        var database = await postgres.CreateDatabaseAsync("crash");
        await new DatabaseMigrator().MigrateAsync(database);
        var scenario = Path.Combine(_root, "scenario.json");
        await File.WriteAllTextAsync(scenario, Scenario);

        // the reference: the same scenario uninterrupted, in memory (this also generates the dataset once); then on
        // PostgreSQL, killed once the first policy is done and the second under way, and resumed
        var run = await ReplayKilledAndResumed(scenario, database, killAtPercent: 60);

        Assert.Equal(2 * 2 * 13, run.Total); // 2 policies x 2 batches of 250 SKUs at most x 13 chunks
        Assert.InRange(run.Checkpointed, (run.Total / 2) + 1, run.Total - 1); // the first policy was done, the second was not
        await AssertSameResults(run, policies: 2);
    }

    /// <summary>
    /// A forecast policy on the stateful LSTM (an untrained model: the weights do not matter, only that both runs
    /// read the same ones) with daily reviews, 300 SKUs x 365 days: the resumed SKU grains restart their
    /// forecasters' tracks from checkpointed state, with other SKUs in each batch than the uninterrupted run had.
    /// </summary>
    [Fact]
    public async Task A_stateful_lstm_replay_killed_mid_run_and_resumed_ends_with_the_metrics_of_an_uninterrupted_run()
    {
        var database = await postgres.CreateDatabaseAsync("crashlstm");
        await new DatabaseMigrator().MigrateAsync(database);
        var data = Path.Combine(_root, "data");
        var (generated, generateOutput, generateError) = await RunInProcess("generate", "--preset", "down-jackets", "--skus", "300", "--years", "2", "--seed", "5", "--out", data);
        Assert.True(generated == 0, $"exit {generated}\n{generateOutput}\n{generateError}");
        var dataset = DatasetReader.Read(data);
        using (var model = ReplayBenchmark.UntrainedModel(dataset, dataset.Days - 365))
        {
            model.Save(Path.Combine(_root, "model"));
        }

        var scenario = Path.Combine(_root, "scenario.json");
        await File.WriteAllTextAsync(scenario, """
            {
              "name": "crash-lstm",
              "dataset": "data",
              "window": { "lastDays": 365 },
              "costs": { "fixedPerOrder": 10 },
              "forecasters": { "lstm": { "model": "model", "inference": "stateful" } },
              "policies": [ { "name": "forecast-order-up-to:lstm" } ]
            }
            """);

        var run = await ReplayKilledAndResumed(scenario, database, killAtPercent: 30);

        Assert.InRange(run.Checkpointed, 1, run.Total - 1); // killed part-way: some chunks done, some not
        await AssertSameResults(run, policies: 1);
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> uninterrupted in memory (the reference), then on PostgreSQL killed with
    /// SIGKILL once its progress reaches <paramref name="killAtPercent"/>, then resumed to the end.
    /// </summary>
    private async Task<KilledRun> ReplayKilledAndResumed(string scenario, string database, int killAtPercent)
    {
        var reference = Path.Combine(_root, "reference");
        var (code, output, error) = await RunInProcess("replay", "--scenario", scenario, "--out", reference);
        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");

        string runId;
        await using (var victim = SeasonalProcess.Start("replay", "--scenario", scenario, "--out", Path.Combine(_root, "never"), "--storage", "postgres", "--connection", database))
        {
            var started = await victim.WaitForLineAsync(l => l.StartsWith("Run id: ", StringComparison.Ordinal), Patience);
            runId = started.Split(' ')[2];
            await victim.WaitForLineAsync(l => Percent(l) >= killAtPercent, Patience);
            victim.Kill();
            log.WriteLine(victim.Output);
        }

        Assert.False(Directory.Exists(Path.Combine(_root, "never")), "the killed run wrote no results");
        var resumedOut = Path.Combine(_root, "resumed");
        await using var resumed = SeasonalProcess.Start("replay", "--resume", runId, "--out", resumedOut, "--storage", "postgres", "--connection", database);
        var exit = await resumed.WaitForExitAsync(Patience);
        log.WriteLine(resumed.Output);
        Assert.True(exit == 0, $"exit {exit}\n{resumed.Output}");

        var resumedLine = ResumedLine().Match(resumed.Output);
        Assert.True(resumedLine.Success, resumed.Output);
        return new KilledRun(
            runId,
            reference,
            resumedOut,
            long.Parse(resumedLine.Groups["done"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
            long.Parse(resumedLine.Groups["total"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
    }

    /// <summary>The resumed run's summary.json (every metric but the timing) and per-sku.csv equal the reference's.</summary>
    private static async Task AssertSameResults(KilledRun run, int policies)
    {
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.Reference, "summary.json")));
        using var actual = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.Resumed, "summary.json")));
        Assert.Equal(run.RunId, actual.RootElement.GetProperty("runId").GetString());
        var expectedPolicies = expected.RootElement.GetProperty("policies").EnumerateArray().ToList();
        var actualPolicies = actual.RootElement.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(policies, actualPolicies.Count);
        for (var p = 0; p < expectedPolicies.Count; p++)
        {
            var metrics = expectedPolicies[p].EnumerateObject().Where(m => m.Name != "seconds").ToList();
            Assert.True(metrics.Count > 20, "every metric is compared");
            foreach (var metric in metrics)
            {
                Assert.Equal(metric.Value.ToString(), actualPolicies[p].GetProperty(metric.Name).ToString());
            }
        }

        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(run.Reference, "per-sku.csv")),
            await File.ReadAllTextAsync(Path.Combine(run.Resumed, "per-sku.csv")));
    }

    private sealed record KilledRun(string RunId, string Reference, string Resumed, long Checkpointed, long Total);

    [Fact]
    public async Task Resuming_needs_postgres_and_a_recorded_run()
    {
        var database = await postgres.CreateDatabaseAsync("noresume");
        await new DatabaseMigrator().MigrateAsync(database);

        var (memoryCode, _, memoryError) = await RunInProcess("replay", "--resume", "crash-1");
        var (unknownCode, _, unknownError) = await RunInProcess("replay", "--resume", "crash-1", "--storage", "postgres", "--connection", database);

        Assert.Equal(SeasonalCli.BadInput, memoryCode);
        Assert.Contains("--resume needs --storage postgres", memoryError, StringComparison.Ordinal);
        Assert.Equal(SeasonalCli.BadInput, unknownCode);
        Assert.Contains("no run 'crash-1' is recorded", unknownError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replay_on_an_unmigrated_database_stops_and_asks_for_db_migrate()
    {
        var database = await postgres.CreateDatabaseAsync("unmigrated");
        var scenario = Path.Combine(_root, "scenario.json");
        await File.WriteAllTextAsync(scenario, Scenario.Replace("\"skus\": 300", "\"skus\": 3", StringComparison.Ordinal));

        var (code, _, error) = await RunInProcess("replay", "--scenario", scenario, "--out", Path.Combine(_root, "out"), "--storage", "postgres", "--connection", database);

        Assert.Equal(SeasonalCli.BadInput, code);
        Assert.Contains("has schema version 0, but this build needs version", error, StringComparison.Ordinal);
        Assert.Contains("run `seasonal db migrate`", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "out")));
    }
}
