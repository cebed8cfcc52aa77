using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Cli;
using SeasonalGrains.TestSupport;
using Xunit.Abstractions;

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

        var (database, clusterId) = await SiloCluster.CreateAsync(postgres, "replay");
        var silos = new[] { new SiloPorts(), new SiloPorts() };
        var processes = silos.Select(s => SiloCluster.StartSilo(database, clusterId, s, new Dictionary<string, string>())).ToArray();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var (silo, process) in silos.Zip(processes))
            {
                await SiloCluster.WaitReadyAsync(http, silo, process, Patience);
            }

            var onCluster = Path.Combine(_root, "cluster");
            (code, output, error) = await RunInProcess(
                "replay", "--scenario", scenario, "--out", onCluster, "--clustering", "postgres", "--connection", database, "--cluster-id", clusterId);
            Assert.True(code == 0, output + error);
            Assert.Contains($"on cluster {clusterId}", output, StringComparison.Ordinal);

            Assert.Equal(
                await File.ReadAllTextAsync(Path.Combine(embedded, "per-sku.csv")),
                await File.ReadAllTextAsync(Path.Combine(onCluster, "per-sku.csv")));

            // the run's 240 SKU grains (120 SKUs x 2 policies) were activated on both silos
            using var client = await SiloCluster.StartClientAsync(database, clusterId);
            var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            var statistics = (await management.GetDetailedGrainStatistics())
                .Where(s => s.GrainType.StartsWith("SeasonalGrains.Grains.SkuGrain,", StringComparison.Ordinal)).ToList();
            var perSilo = statistics.GroupBy(s => s.SiloAddress.Endpoint.Port).ToDictionary(g => g.Key, g => g.Count());
            log.WriteLine("SKU grains per silo port: " + string.Join(", ", perSilo.Select(kv => $"{kv.Key}: {kv.Value}")));
            Assert.Equal(silos.Select(s => s.Silo).Order(), perSilo.Keys.Order());
            Assert.Equal(240, perSilo.Values.Sum());

        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
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

    private static async Task<(int Code, string Output, string Error)> RunInProcess(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SeasonalCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
