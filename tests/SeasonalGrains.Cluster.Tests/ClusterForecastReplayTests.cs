using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Cli;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.TestSupport;
using Xunit.Abstractions;
using static SeasonalGrains.Cluster.Tests.CliRuns;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// Forecast policies on a cluster reached as a client: each silo builds the run's forecasters from the run's plan where
/// its SKU grains activate (the stateful LSTM batching per silo), and the per-SKU results are byte for byte those of the
/// embedded replay; a silo killed mid-run leaves a run that <c>--resume</c> finishes with the uninterrupted results.
/// </summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed partial class ClusterForecastReplayTests(PostgresDatabaseFixture postgres, ITestOutputHelper log) : IDisposable
{
    /// <summary>
    /// 60 generated SKUs, the last 140 days replayed with weekly reviews under an order-up-to policy on the stateful LSTM
    /// (an untrained model: the weights do not matter, only that every process reads the same ones) and on ETS.
    /// </summary>
    private const string ForecastScenario = """
        {
          "name": "cluster-forecast",
          "dataset": "data",
          "window": { "lastDays": 140 },
          "reviewPeriodDays": 7,
          "costs": { "fixedPerOrder": 10 },
          "forecasters": { "lstm": { "model": "model", "inference": "stateful" } },
          "policies": [ { "name": "forecast-order-up-to:lstm" }, { "name": "forecast-order-up-to:ets" } ]
        }
        """;

    /// <summary>300 SKUs x 196 days under a classical and a forecast policy with weekly reviews, checkpointed every 28 days (four reviews).</summary>
    private const string KillScenario = """
        {
          "name": "cluster-kill",
          "dataset": "data",
          "generate": { "preset": "down-jackets", "skus": 300, "years": 2, "seed": 5 },
          "window": { "lastDays": 196 },
          "reviewPeriodDays": 7,
          "costs": { "fixedPerOrder": 10 },
          "policies": [ { "name": "sS" }, { "name": "forecast-order-up-to:seasonal-naive" } ]
        }
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-cluster-forecast-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_stateful_lstm_and_an_ets_policy_on_two_silos_write_the_per_sku_results_of_the_embedded_replay()
    {
        var data = Path.Combine(_root, "data");
        var (code, output, error) = await RunInProcess("generate", "--preset", "down-jackets", "--skus", "60", "--years", "2", "--seed", "7", "--out", data);
        Assert.True(code == 0, output + error);
        var dataset = DatasetReader.Read(data);
        using (var model = ReplayBenchmark.UntrainedModel(dataset, dataset.Days - 140))
        {
            model.Save(Path.Combine(_root, "model"));
        }

        var scenario = Path.Combine(_root, "scenario.json");
        await File.WriteAllTextAsync(scenario, ForecastScenario);
        var embedded = Path.Combine(_root, "embedded");
        (code, output, error) = await RunInProcess("replay", "--scenario", scenario, "--out", embedded);
        Assert.True(code == 0, output + error);

        await using var cluster = await TwoSilos.StartAsync(postgres, "forecast", Patience);
        var onCluster = Path.Combine(_root, "cluster");
        (code, output, error) = await RunInProcess(
            "replay", "--scenario", scenario, "--out", onCluster, "--clustering", "postgres", "--connection", cluster.Database, "--cluster-id", cluster.ClusterId);
        Assert.True(code == 0, output + error + cluster.Output);

        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(embedded, "per-sku.csv")),
            await File.ReadAllTextAsync(Path.Combine(onCluster, "per-sku.csv")));

        // the SKU grains of both forecast policies ran on both silos, so each silo built the run's forecasters
        var perSilo = await cluster.SkuGrainsPerSiloAsync();
        log.WriteLine(string.Join("; ", perSilo.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value.Select(p => $"{p.Key} {p.Value}"))}")));
        Assert.Equal(2, perSilo.Count);
        foreach (var policies in perSilo.Values)
        {
            Assert.True(policies.GetValueOrDefault("forecast-order-up-to:lstm") > 0, "LSTM SKU grains on every silo");
            Assert.True(policies.GetValueOrDefault("forecast-order-up-to:ets") > 0, "ETS SKU grains on every silo");
        }

        Assert.Equal(120, perSilo.Values.Sum(p => p.Values.Sum()));
    }

    [Fact]
    public async Task A_cluster_replay_whose_silo_is_killed_mid_run_resumes_to_the_results_of_an_uninterrupted_run()
    {
        var scenario = Path.Combine(_root, "scenario.json");
        await File.WriteAllTextAsync(scenario, KillScenario);
        var reference = Path.Combine(_root, "reference");
        var (code, output, error) = await RunInProcess("replay", "--scenario", scenario, "--out", reference);
        Assert.True(code == 0, output + error);

        await using var cluster = await TwoSilos.StartAsync(postgres, "kill", Patience);
        string runId;
        await using (var client = SeasonalProcess.Start(
            "replay", "--scenario", scenario, "--out", Path.Combine(_root, "interrupted"), "--state-writes", "every-chunk",
            "--clustering", "postgres", "--connection", cluster.Database, "--cluster-id", cluster.ClusterId))
        {
            var started = await client.WaitForLineAsync(l => l.StartsWith("Run id: ", StringComparison.Ordinal), Patience);
            runId = started.Split(' ')[2];
            await client.WaitForLineAsync(l => Percent(l) >= 30, Patience);
            cluster.KillOne();

            // the client may wait minutes for calls the dead silo will never answer: it goes too, the run's checkpoints stay
            client.Kill();
            log.WriteLine(client.Output);
        }

        // the survivor takes over the dead silo's grains once it is declared dead
        await cluster.WaitForOneActiveSiloAsync(Patience);
        var resumed = Path.Combine(_root, "resumed");
        (code, output, error) = await RunInProcess(
            "replay", "--resume", runId, "--out", resumed, "--clustering", "postgres", "--connection", cluster.Database, "--cluster-id", cluster.ClusterId);
        log.WriteLine(output + error);
        Assert.True(code == 0, output + error + cluster.Output);

        var line = ResumedLine().Match(output);
        Assert.True(line.Success, output);
        var done = long.Parse(line.Groups["done"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var total = long.Parse(line.Groups["total"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.Equal(2 * 2 * 7, total); // 2 policies x 2 batches of 250 SKUs at most x 7 chunks of 28 days
        Assert.InRange(done, 1, total - 1); // killed part-way

        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reference, "summary.json")));
        using var actual = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(resumed, "summary.json")));
        var expectedPolicies = expected.RootElement.GetProperty("policies").EnumerateArray().ToList();
        var actualPolicies = actual.RootElement.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(2, actualPolicies.Count);
        for (var p = 0; p < expectedPolicies.Count; p++)
        {
            foreach (var metric in expectedPolicies[p].EnumerateObject().Where(m => m.Name != "seconds"))
            {
                Assert.Equal(metric.Value.ToString(), actualPolicies[p].GetProperty(metric.Name).ToString());
            }
        }

        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(reference, "per-sku.csv")),
            await File.ReadAllTextAsync(Path.Combine(resumed, "per-sku.csv")));
    }
}
