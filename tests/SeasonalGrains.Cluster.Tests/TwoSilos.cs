using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>Two <c>seasonal serve</c> silos with PostgreSQL storage and clustering on a fresh database.</summary>
internal sealed class TwoSilos : IAsyncDisposable
{
    private readonly SeasonalProcess[] _processes;

    private TwoSilos(string database, string clusterId, SiloPorts[] ports, SeasonalProcess[] processes)
    {
        Database = database;
        ClusterId = clusterId;
        Ports = ports;
        _processes = processes;
    }

    public string Database { get; }

    public string ClusterId { get; }

    public IReadOnlyList<SiloPorts> Ports { get; }

    public string Output => string.Join("\n", _processes.Select((p, i) => $"--- silo {i}:\n{p.Output}"));

    public static async Task<TwoSilos> StartAsync(PostgresDatabaseFixture postgres, string name, TimeSpan patience)
    {
        var (database, clusterId) = await SiloCluster.CreateAsync(postgres, name);
        var ports = new[] { new SiloPorts(), new SiloPorts() };
        var processes = ports.Select(s => SiloCluster.StartSilo(database, clusterId, s, new Dictionary<string, string>())).ToArray();
        var silos = new TwoSilos(database, clusterId, ports, processes);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var (silo, process) in ports.Zip(processes))
            {
                await SiloCluster.WaitReadyAsync(http, silo, process, patience);
            }

            return silos;
        }
        catch
        {
            await silos.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILLs the second silo.</summary>
    public void KillOne()
    {
        _processes[1].Kill();
    }

    public async Task WaitForOneActiveSiloAsync(TimeSpan patience)
    {
        using var client = await SiloCluster.StartClientAsync(Database, ClusterId);
        var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await management.GetHosts(onlyActive: true)).Count != 1)
        {
            Assert.True(clock.Elapsed < patience, $"the killed silo was not declared dead within {patience.TotalSeconds:0} s");
            await Task.Delay(500);
        }
    }

    /// <summary>Per silo port: SKU grains activated per policy (the middle part of a replay SKU grain's key).</summary>
    public async Task<Dictionary<int, Dictionary<string, int>>> SkuGrainsPerSiloAsync()
    {
        using var client = await SiloCluster.StartClientAsync(Database, ClusterId);
        var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var statistics = (await management.GetDetailedGrainStatistics())
            .Where(s => s.GrainType.StartsWith("SeasonalGrains.Grains.SkuGrain,", StringComparison.Ordinal)).ToList();
        return statistics
            .GroupBy(s => s.SiloAddress.Endpoint.Port)
            .ToDictionary(
                g => g.Key,
                g => g.GroupBy(s => s.GrainId.Key.ToString()!.Split('/')[1]).ToDictionary(p => p.Key, p => p.Count(), StringComparer.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }
}
