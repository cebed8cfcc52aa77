using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Abstractions;
using SeasonalGrains.TestSupport;
using Xunit.Abstractions;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// Two silos in two processes (<c>seasonal serve</c>) in one cluster whose membership and grain state are in
/// PostgreSQL; one is killed with SIGKILL and its grains come back on the other with every acknowledged write.
/// </summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class TwoSiloTests(PostgresDatabaseFixture postgres, ITestOutputHelper log)
{
    private const int Grains = 40;
    private const int ChunkDays = 10;
    private const int ChunksBeforeKill = 3;
    private const int ChunksAfterKill = 3;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Grains_of_a_killed_silo_reactivate_on_the_survivor_with_every_acknowledged_write()
    {
        var (database, clusterId) = await SiloCluster.CreateAsync(postgres, "twosilos");
        var silos = new[] { new SiloPorts(), new SiloPorts() };
        var processes = silos.Select(s => SiloCluster.StartSilo(
            database, clusterId, s, new Dictionary<string, string>(),
            // a dead silo is declared after 3 probes of 1 s missed (Orleans' defaults, 5 s probes, take ~15 s)
            "Clustering:Membership:ProbeTimeout=00:00:01", "Clustering:Membership:NumMissedProbesLimit=3",
            "Clustering:Membership:TableRefreshTimeout=00:00:02")).ToArray();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var (silo, process) in silos.Zip(processes))
            {
                await SiloCluster.WaitReadyAsync(http, silo, process, Patience);
            }

            using var client = await SiloCluster.StartClientAsync(database, clusterId);
            var factory = client.Services.GetRequiredService<IClusterClient>();
            var management = factory.GetGrain<IManagementGrain>(0);
            var skus = Enumerable.Range(0, Grains).Select(i => $"sku-{i:00}").ToArray();
            var grains = skus.Select(s => factory.GetGrain<ISkuGrain>(SkuKeys.Replay(clusterId, "sS", s))).ToArray();
            var acked = new int[Grains];

            await Task.WhenAll(grains.Select((g, i) => g.Configure(Setup(skus[i]))));
            for (var c = 0; c < ChunksBeforeKill; c++)
            {
                await Task.WhenAll(grains.Select(async (g, i) =>
                {
                    await g.RunDays(Chunk(skus[i], c));
                    acked[i]++;
                }));
            }

            var placement = await Task.WhenAll(grains.Select(async g => (await management.GetActivationAddress(g))!));
            var bySilo = placement.GroupBy(a => a.Endpoint.Port).ToDictionary(g => g.Key, g => g.Count());
            log.WriteLine("grains per silo port: " + string.Join(", ", bySilo.Select(kv => $"{kv.Key}: {kv.Value}")));
            Assert.Equal(silos.Select(s => s.Silo).Order(), bySilo.Keys.Order()); // the calls spread over both silos

            var victim = silos[0].Silo;
            var moved = Enumerable.Range(0, Grains).Where(i => placement[i].Endpoint.Port == victim).ToArray();
            var clock = Stopwatch.StartNew();
            processes[0].Kill();

            // every grain carries on; a call that fails (the silo is gone, not yet declared dead) is sent again, and a
            // chunk whose first attempt was applied is not applied twice
            var firstCallBack = new double[Grains];
            await Task.WhenAll(grains.Select(async (g, i) =>
            {
                for (var c = ChunksBeforeKill; c < ChunksBeforeKill + ChunksAfterKill; c++)
                {
                    await RetryAsync(() => g.RunDays(Chunk(skus[i], c)), clock);
                    acked[i]++;
                    if (firstCallBack[i] == 0)
                    {
                        firstCallBack[i] = clock.Elapsed.TotalSeconds;
                    }
                }
            }));
            log.WriteLine($"grains of the killed silo answered again after {moved.Max(i => firstCallBack[i]):0.0} s");

            var statuses = await Task.WhenAll(grains.Select(g => g.GetStatus()));
            for (var i = 0; i < Grains; i++)
            {
                Assert.Equal(ChunksBeforeKill + ChunksAfterKill, acked[i]);
                Assert.Equal(acked[i] * ChunkDays, statuses[i].Day);
                Assert.Equal(Enumerable.Range(0, acked[i] * ChunkDays).Sum(d => Demand(i, d)), statuses[i].Metrics!.UnitsDemanded);
            }

            var after = await Task.WhenAll(grains.Select(async g => (await management.GetActivationAddress(g))!));
            Assert.All(after, a => Assert.Equal(silos[1].Silo, a.Endpoint.Port));
            Assert.NotEmpty(moved);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"recovery took {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            foreach (var process in processes)
            {
                log.WriteLine($"--- silo process {process.Id}\n{process.Output}");
                await process.DisposeAsync();
            }
        }
    }

    private static SkuSetup Setup(string sku) => new()
    {
        Sku = sku,
        Terms = new SkuTermsSpec { LeadTimeDays = 2, InitialOnHand = 20, UnitCost = 3, UnitPrice = 7 },
        Costs = new CostRatesSpec { HoldingPerUnitDay = 0.01, ShortagePerUnit = 4, FixedPerOrder = 1 },
        Policy = new PolicySpec { Name = "sS", Parameters = [new PolicyParameter("s", 10), new PolicyParameter("S", 30)] },
        StateWrites = StateWrites.EveryChunk,
    };

    /// <summary>Demand of SKU i on day d: a small pattern that differs between SKUs.</summary>
    private static double Demand(int i, int d) => ((d * 7) + i) % 9;

    private static DemandChunk Chunk(string sku, int c)
    {
        var i = int.Parse(sku[4..], CultureInfo.InvariantCulture);
        return new DemandChunk { Sku = sku, StartDay = c * ChunkDays, Units = [.. Enumerable.Range(c * ChunkDays, ChunkDays).Select(d => Demand(i, d))] };
    }

    private static async Task RetryAsync(Func<Task> call, Stopwatch clock)
    {
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception e) when (clock.Elapsed < Patience && e is not InvalidOperationException and not ArgumentException)
            {
                await Task.Delay(200);
            }
        }
    }
}
