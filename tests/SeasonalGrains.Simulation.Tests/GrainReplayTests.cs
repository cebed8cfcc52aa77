using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;
using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Grains.State;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Scenarios;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Simulation.Tests;

[Collection(SiloCollection.Name)]
public sealed class GrainReplayTests(SiloFixture silo)
{
    private static readonly PolicyEntry[] AllPolicies =
    [
        TestData.Policy("sS", "sS-explicit", new() { ["s"] = 12, ["S"] = 40 }),
        TestData.Policy("sS", "sS-derived"),
        TestData.Policy("base-stock"),
        TestData.Policy("rQ"),
        TestData.Policy("RS", parameters: new() { ["R"] = 5 }),
        TestData.Policy("rule"),
    ];

    [Fact]
    public async Task Replay_through_the_grains_gives_the_metrics_of_the_domain_ledger_run_directly()
    {
        var dataset = TestData.Small(skus: 4, days: 120);
        var scenario = TestData.Scenario(60, AllPolicies);
        var input = TestData.Input(dataset, scenario);

        var outcome = await new ReplayDriver(silo.Grains, new ReplayDriverOptions { ChunkDays = 25 }).RunAsync(NewRunId(), input);

        Assert.Equal(AllPolicies.Select(p => p.Label), outcome.Policies.Select(p => p.Result.Policy));
        foreach (var (entry, result) in AllPolicies.Zip(outcome.Policies.Select(p => p.Result)))
        {
            var direct = dataset.Skus.Select((_, i) => RunDirectly(dataset, i, entry, historyDays: 60, windowDays: 60)).ToArray();
            var bySku = result.Skus.ToDictionary(s => s.Sku, s => s.Metrics);
            for (var i = 0; i < direct.Length; i++)
            {
                Assert.Equal(direct[i], bySku[dataset.Skus[i].Sku]);
            }

            // the SKU ids S01..S04 sort in dataset order, the order the replay grain sums them in
            Assert.Equal(InventoryMetrics.Sum(direct), result.Total);
            Assert.Equal(4 * 60, result.Total.SkuDays);
        }
    }

    [Fact]
    public async Task Chunk_size_does_not_change_the_results()
    {
        var dataset = TestData.Small(skus: 3, days: 100);
        var input = TestData.Input(dataset, TestData.Scenario(50, AllPolicies[0], AllPolicies[3], AllPolicies[4]));
        var results = new List<IReadOnlyList<PolicyReplayResult>>();
        foreach (var chunk in new[] { 1, 7, 50, 365 })
        {
            var options = new ReplayDriverOptions { ChunkDays = chunk, SkusPerBatch = 2, BatchesInFlight = 2 };
            var outcome = await new ReplayDriver(silo.Grains, options).RunAsync(NewRunId(), input);
            results.Add([.. outcome.Policies.Select(p => p.Result)]);
        }

        foreach (var other in results.Skip(1))
        {
            for (var p = 0; p < other.Count; p++)
            {
                Assert.Equal(results[0][p].Total, other[p].Total);
                Assert.Equal(results[0][p].Skus.Select(s => s.Metrics), other[p].Skus.Select(s => s.Metrics));
            }
        }
    }

    [Fact]
    public async Task A_base_stock_sku_with_no_lead_time_orders_back_what_was_sold_each_day()
    {
        // Lead time 0, 10 on hand, order up to 10 every day, demand 3 a day for 5 days:
        // day 0 needs no order; days 1-4 each order 3, which arrive at once; 7 left every evening.
        var grain = silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Replay(NewRunId(), "base-stock", "A"));
        await grain.Configure(new SkuSetup
        {
            Sku = "A",
            Terms = new SkuTermsSpec { LeadTimeDays = 0, InitialOnHand = 10, UnitCost = 4, UnitPrice = 9 },
            Costs = new CostRatesSpec { HoldingPerUnitDay = 0.1, ShortagePerUnit = 5, FixedPerOrder = 2 },
            Fulfilment = FulfilmentMode.LostSales,
            Policy = new PolicySpec { Name = "base-stock", Parameters = [new PolicyParameter("S", 10)] },
            WindowDays = 5,
            Trace = true,
        });

        var result = await grain.RunDays(new DemandChunk { Sku = "A", StartDay = 0, Units = [3, 3, 3, 3, 3] });

        Assert.NotNull(result);
        var m = result.Metrics;
        Assert.Equal(4, m.OrdersPlaced);
        Assert.Equal(12, m.UnitsOrdered);
        Assert.Equal(15, m.UnitsSold);
        Assert.Equal(0, m.UnitsLost);
        Assert.Equal(35, m.OnHandUnitDays);
        Assert.Equal(3.5, m.HoldingCost, 12);
        Assert.Equal(8, m.OrderingCost);
        Assert.Equal(7, m.LeftoverUnits);
        Assert.Equal(1.0, m.FillRate);
        Assert.Equal([7.0, 7, 7, 7, 7], result.Trace!.OnHand);
        Assert.Equal([0.0, 3, 3, 3, 3], result.Trace.Ordered);
    }

    [Fact]
    public async Task A_replay_never_touches_the_live_sku_of_the_same_id()
    {
        var live = silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Live("S01"));
        var dataset = TestData.Small(skus: 2, days: 80);
        var input = TestData.Input(dataset, TestData.Scenario(40, AllPolicies[0]));
        var liveSetup = input.Policies[0].Setups[0] with { WindowDays = 0, StateWrites = StateWrites.EveryChunk };
        await live.Configure(liveSetup);
        await live.RunDays(new DemandChunk { Sku = "S01", StartDay = 0, Units = [4, 5, 6] });
        var before = await live.GetStatus();

        var runId = NewRunId();
        await new ReplayDriver(silo.Grains).RunAsync(runId, input);

        var after = await live.GetStatus();
        Assert.Equal(before, after);
        Assert.Equal(3, after.Day);
        Assert.Equal(15, after.Metrics!.UnitsDemanded);
        var replayed = await silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Replay(runId, "sS-explicit", "S01")).GetStatus();
        Assert.True(replayed.Closed);
        Assert.Equal(40, replayed.Day);
        Assert.Throws<ArgumentException>(() => SkuKeys.CheckRunId(SkuKeys.LiveScope));
    }

    [Fact]
    public async Task A_chunk_that_does_not_start_at_the_next_day_is_refused()
    {
        var grain = silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Replay(NewRunId(), "sS", "B"));
        await grain.Configure(new SkuSetup
        {
            Sku = "B",
            Terms = new SkuTermsSpec { LeadTimeDays = 1, InitialOnHand = 5 },
            Costs = new CostRatesSpec(),
            Policy = new PolicySpec { Name = "sS", Parameters = [new PolicyParameter("s", 2), new PolicyParameter("S", 6)] },
            WindowDays = 10,
        });
        await grain.RunDays(new DemandChunk { Sku = "B", StartDay = 0, Units = [1, 1] });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.RunDays(new DemandChunk { Sku = "B", StartDay = 5, Units = [1] }));

        Assert.Contains("at day 2", e.Message);
    }

    [Fact]
    public async Task The_replay_grain_reports_progress_as_sku_days_done_of_the_total()
    {
        var dataset = TestData.Small(skus: 3, days: 60);
        var input = TestData.Input(dataset, TestData.Scenario(30, AllPolicies[0], AllPolicies[2]));
        var runId = NewRunId();

        await new ReplayDriver(silo.Grains, new ReplayDriverOptions { ChunkDays = 10 }).RunAsync(runId, input);

        var progress = await silo.Grains.GetGrain<IReplayGrain>(runId).GetProgress();
        Assert.Equal(2 * 3 * 30, progress.SkuDaysTotal);
        Assert.Equal(2 * 3 * 30, progress.SkuDaysDone);
        Assert.Equal(6, progress.SkusClosed);
        Assert.Equal(1.0, progress.Fraction);
    }

    [Fact]
    public async Task A_season_checkpointed_every_chunk_resumes_after_deactivation_with_the_same_results()
    {
        var units = Enumerable.Range(0, 30).Select(d => (double)((d * 7) % 9)).ToArray();
        var chunks = new[] { (0, 10), (10, 10), (20, 10) }
            .Select(c => new DemandChunk { Sku = "C", StartDay = c.Item1, Units = units[c.Item1..(c.Item1 + c.Item2)] })
            .ToArray();
        SkuSetup Setup(StateWrites writes) => new()
        {
            Sku = "C",
            Terms = new SkuTermsSpec { LeadTimeDays = 2, InitialOnHand = 12, UnitCost = 3, UnitPrice = 7 },
            Costs = new CostRatesSpec { HoldingPerUnitDay = 0.01, ShortagePerUnit = 4, FixedPerOrder = 1 },
            Policy = new PolicySpec { Name = "sS", Parameters = [new PolicyParameter("s", 10), new PolicyParameter("S", 25)] },
            WindowDays = 30,
            StateWrites = writes,
        };
        var run = NewRunId();
        var straight = silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Replay(run, "straight", "C"));
        var resumed = silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Replay(run, "resumed", "C"));
        var forgetful = silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Replay(run, "forgetful", "C"));
        await straight.Start(Setup(StateWrites.Never), chunks[0]);
        await straight.RunDays(chunks[1]);
        var expected = await straight.RunDays(chunks[2]);
        await resumed.Start(Setup(StateWrites.EveryChunk), chunks[0]);
        await resumed.RunDays(chunks[1]);
        await forgetful.Start(Setup(StateWrites.Never), chunks[0]);
        await forgetful.RunDays(chunks[1]);

        await silo.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var result = await resumed.RunDays(chunks[2]);
        Assert.Equal(expected!.Metrics, result!.Metrics);
        Assert.Equal(units[2..], (await resumed.GetFeatureWindow()).Units);
        await Assert.ThrowsAsync<InvalidOperationException>(() => forgetful.RunDays(chunks[2]));
    }

    [Fact]
    public async Task The_feature_window_holds_the_last_28_days_whatever_the_chunk_size()
    {
        // 40 days: the window must hold days 12..39, oldest first, with their prices and promos
        var units = Enumerable.Range(0, 40).Select(d => (double)d).ToArray();
        var price = Enumerable.Range(0, 40).Select(d => 100.0 + d).ToArray();
        var promo = Enumerable.Range(0, 40).Select(d => d % 5 == 0).ToArray();
        SkuSetup Setup() => new()
        {
            Sku = "W",
            Terms = new SkuTermsSpec { LeadTimeDays = 1, InitialOnHand = 50, UnitCost = 2, UnitPrice = 5 },
            Costs = new CostRatesSpec { HoldingPerUnitDay = 0.01, ShortagePerUnit = 1 },
            Policy = new PolicySpec { Name = "sS", Parameters = [new PolicyParameter("s", 20), new PolicyParameter("S", 60)] },
            WindowDays = 0,
        };
        DemandChunk Chunk(int start, int length) => new()
        {
            Sku = "W",
            StartDay = start,
            Units = units[start..(start + length)],
            Price = price[start..(start + length)],
            Promo = promo[start..(start + length)],
        };
        var run = NewRunId();
        var whole = silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Replay(run, "whole", "W"));
        var weekly = silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Replay(run, "weekly", "W"));
        await whole.Start(Setup(), Chunk(0, 40));
        await weekly.Start(Setup(), Chunk(0, 7));
        for (var start = 7; start < 40; start += 7)
        {
            await weekly.RunDays(Chunk(start, Math.Min(7, 40 - start)));
        }

        foreach (var grain in new[] { whole, weekly })
        {
            var window = await grain.GetFeatureWindow();
            Assert.Equal(units[12..], window.Units);
            Assert.Equal(price[12..], window.Price);
            Assert.Equal(promo[12..], window.Promo);
        }
    }

    [Fact]
    public async Task The_local_grain_storage_refuses_a_write_from_a_stale_etag()
    {
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Skus);
        var id = GrainId.Create("test", NewRunId());
        var first = new GrainState<SkuState>(new SkuState { Closed = true });
        var second = new GrainState<SkuState>(new SkuState());
        await storage.ReadStateAsync("sku", id, second);

        await storage.WriteStateAsync("sku", id, first);
        var stale = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("sku", id, second));
        var reread = new GrainState<SkuState>();
        await storage.ReadStateAsync("sku", id, reread);

        Assert.IsType<LocalGrainStorage>(storage);
        Assert.False(second.RecordExists);
        Assert.Contains("another activation", stale.Message);
        Assert.True(reread.RecordExists);
        Assert.True(reread.State!.Closed);
        Assert.Equal(first.ETag, reread.ETag);
    }

    /// <summary>The SKU's window run with the domain types built here from the dataset and the test scenario's costs.</summary>
    private static InventoryMetrics RunDirectly(Dataset dataset, int i, PolicyEntry entry, int historyDays, int windowDays)
    {
        var info = dataset.Skus[i];
        var units = dataset.Series[i].Units;
        var start = dataset.Days - windowDays;
        var terms = new SkuTerms
        {
            LeadTimeDays = info.LeadTimeDays,
            InitialOnHand = info.InitialOnHand,
            Moq = info.Moq,
            CasePack = info.CasePack,
            UnitCost = info.UnitCost,
            UnitPrice = info.UnitPrice,
            SalvageValue = 0, // purchase cost is not counted in the test scenario, so leftovers earn no credit
        };
        var costs = new CostRates(HoldingPerUnitDay: 0.05, ShortagePerUnit: 2, FixedPerOrder: 3);
        var policy = PolicyCatalog.Classical.Create(entry.Name, new PolicyInputs
        {
            Parameters = entry.Parameters,
            Terms = terms,
            Costs = costs,
            Fulfilment = Fulfilment.LostSales,
            ReviewPeriodDays = 1,
            History = DemandStatistics.FromHistory(units.AsSpan(start - historyDays, historyDays)),
            TargetServiceLevel = 0.95,
        });
        var ledger = new InventoryLedger(terms, costs, Fulfilment.LostSales);
        for (var d = start; d < dataset.Days; d++)
        {
            var day = new DayInput(units[d], ledger.IsReviewDay(d - start), DaysToNextHoliday(dataset, d)) { DaysToSeasonEnd = dataset.Days - 1 - d };
            ledger.Step(in day, policy);
        }

        return ledger.Close();
    }

    private static int DaysToNextHoliday(Dataset dataset, int day)
    {
        for (var d = day; d < dataset.Days; d++)
        {
            if (dataset.Calendar!.Holiday[d] is not null)
            {
                return d - day;
            }
        }

        return int.MaxValue;
    }

    private static string NewRunId() => "t-" + Guid.NewGuid().ToString("N")[..10];
}
