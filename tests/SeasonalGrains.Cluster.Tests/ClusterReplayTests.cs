using SeasonalGrains.Cli;
using SeasonalGrains.TestSupport;
using Xunit.Abstractions;
using static SeasonalGrains.Cluster.Tests.CliRuns;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// <c>seasonal replay --clustering postgres</c> joins two running silos as an Orleans client: the SKU grains run on
/// both, and the per-SKU results are byte for byte those of the same replay in an embedded silo.
/// </summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class ClusterReplayTests(PostgresDatabaseFixture postgres, ITestOutputHelper log) : IDisposable
{
    /// <summary>120 SKUs x 365 days under two classical policies, a fixed order cost and lost sales.</summary>
    private const string Scenario = """
        {
          "name": "cluster-replay",
          "dataset": "data",
          "generate": { "preset": "down-jackets", "skus": 120, "years": 2, "seed": 11 },
          "window": { "lastDays": 365 },
          "fulfilment": "lostSales",
          "costs": { "fixedPerOrder": 25 },
          "policies": [ { "name": "sS" }, { "name": "base-stock" } ]
        }
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-cluster-replay-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_replay_on_two_silos_as_a_cluster_client_writes_the_per_sku_results_of_the_embedded_replay()
    {
        var scenario = Path.Combine(_root, "scenario.json");
        await File.WriteAllTextAsync(scenario, Scenario);
        var embedded = Path.Combine(_root, "embedded");
        var (code, output, error) = await RunInProcess("replay", "--scenario", scenario, "--out", embedded);
        Assert.True(code == 0, output + error);

        await using var cluster = await TwoSilos.StartAsync(postgres, "replay", Patience);
        var onCluster = Path.Combine(_root, "cluster");
        (code, output, error) = await RunInProcess(
            "replay", "--scenario", scenario, "--out", onCluster, "--clustering", "postgres", "--connection", cluster.Database, "--cluster-id", cluster.ClusterId);
        Assert.True(code == 0, output + error);
        Assert.Contains($"on cluster {cluster.ClusterId}", output, StringComparison.Ordinal);

        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(embedded, "per-sku.csv")),
            await File.ReadAllTextAsync(Path.Combine(onCluster, "per-sku.csv")));

        // the run's 240 SKU grains (120 SKUs x 2 policies) were activated on both silos
        var perSilo = (await cluster.SkuGrainsPerSiloAsync()).ToDictionary(kv => kv.Key, kv => kv.Value.Values.Sum());
        log.WriteLine("SKU grains per silo port: " + string.Join(", ", perSilo.Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.Equal(cluster.Ports.Select(s => s.Silo).Order(), perSilo.Keys.Order());
        Assert.Equal(240, perSilo.Values.Sum());
    }

    [Fact]
    public async Task A_cluster_without_silos_is_named_and_a_cluster_id_alone_is_refused()
    {
        var scenario = Path.Combine(_root, "scenario.json");
        await File.WriteAllTextAsync(scenario, Scenario);
        var (database, clusterId) = await SiloCluster.CreateAsync(postgres, "noreplay");

        // no silo runs in this cluster: the client cannot connect, and says which cluster it looked for
        var (code, _, error) = await RunInProcess(
            "replay", "--scenario", scenario, "--out", Path.Combine(_root, "none"), "--clustering", "postgres", "--connection", database, "--cluster-id", clusterId);
        Assert.Equal(SeasonalCli.BadInput, code);
        Assert.Contains($"no silo of cluster '{clusterId}' answered", error, StringComparison.Ordinal);

        (code, _, error) = await RunInProcess("replay", "--scenario", scenario, "--cluster-id", clusterId);
        Assert.Equal(SeasonalCli.BadInput, code);
        Assert.Contains("--cluster-id needs --clustering postgres", error, StringComparison.Ordinal);
    }
}
