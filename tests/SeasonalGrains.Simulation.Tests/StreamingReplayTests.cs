using SeasonalGrains.Abstractions;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Simulation.Replay;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>
/// The replay driver reads its SKUs batch by batch and delivers their results as batches finish, so the process
/// driving a run holds the days of a bounded number of SKUs whatever the run's size.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class StreamingReplayTests(SiloFixture silo)
{
    // 60 generated SKUs: their names cycle through the categories, so they do not sort in generation order
    private static readonly ReplayBenchOptions Bench = new() { Skus = 60, Days = 40, HistoryDays = 60, Policy = "sS" };

    [Fact]
    public async Task The_driver_holds_at_most_its_window_of_batches_and_delivers_every_sku_once_in_name_order()
    {
        var skus = new CountingSource(ReplayBenchmark.Generated(Bench));
        var sink = new ListSink(skus);
        var options = new ReplayDriverOptions { ChunkDays = 15, SkusPerBatch = 4, BatchesInFlight = 2 };

        var outcome = await new ReplayDriver(silo.Grains, options).RunAsync(NewRunId(), skus, null, null, CancellationToken.None, sink: sink);

        // read and not yet delivered: never more than BatchesHeld (4) batches of 4 SKUs, of the 60
        Assert.Equal(4, options.BatchesHeld);
        Assert.InRange(skus.MaxHeld, 4, 16);
        Assert.Equal(60, skus.SkusRead);

        // every SKU once, in ordinal name order; the whole input, sorted by name, has the same names
        var all = ReplayBenchmark.BuildInput(Bench);
        var names = all.Skus.Select(s => s.Sku).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names, sink.Results.Select(r => r.Sku));
        Assert.NotEqual(names, all.Skus.Select(s => s.Sku));

        // each result is the bare loop's over the whole input, and the total is their sum in name order
        var bare = BareReplay.Run(all, all.Policies[0]);
        var bareBySku = all.Skus.Select((s, i) => (s.Sku, bare[i])).ToDictionary(x => x.Sku, x => x.Item2, StringComparer.Ordinal);
        Assert.All(sink.Results, r => Assert.Equal(bareBySku[r.Sku], r.Metrics));
        Assert.Equal(InventoryMetrics.Sum(names.Select(n => bareBySku[n])), outcome.Policies[0].Result.Total);
        Assert.Empty(outcome.Policies[0].Result.Skus);
    }

    [Fact]
    public void Generated_batches_hold_the_skus_of_the_input_generated_whole()
    {
        var all = ReplayBenchmark.BuildInput(Bench);
        var byName = all.Skus.Select((s, i) => (s.Sku, i)).ToDictionary(x => x.Sku, x => x.i, StringComparer.Ordinal);
        var generated = ReplayBenchmark.Generated(Bench);
        Assert.Equal(all.DaysToNextHoliday, generated.DaysToNextHoliday);
        for (var first = 0; first < Bench.Skus; first += 7)
        {
            var batch = generated.Read(first, Math.Min(7, Bench.Skus - first));
            for (var k = 0; k < batch.Skus.Count; k++)
            {
                var i = byName[batch.Skus[k].Sku];
                Assert.Equal(all.Skus[i], batch.Skus[k]);
                Assert.Equal(all.Units[i], batch.Units[k]);
                Assert.Equal(all.Policies[0].Setups[i].Policy.HistoryMean, batch.Policies[0].Setups[k].Policy.HistoryMean);
                Assert.Equal(all.Policies[0].Setups[i].Terms, batch.Policies[0].Setups[k].Terms);
            }
        }
    }

    private static string NewRunId() => "stream-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Counts the SKUs read from the source and not yet delivered to the sink.</summary>
    private sealed class CountingSource(ReplaySkuSource inner) : ReplaySkuSource
    {
        private readonly Lock _gate = new();
        private int _held;

        public int MaxHeld { get; private set; }

        public int SkusRead { get; private set; }

        public override int Skus => inner.Skus;

        public override int Days => inner.Days;

        public override int[]? DaysToNextHoliday => inner.DaysToNextHoliday;

        public override IReadOnlyList<ReplayPolicy> Policies => inner.Policies;

        public override ReplayInput Read(int first, int count)
        {
            lock (_gate)
            {
                _held += count;
                SkusRead += count;
                MaxHeld = Math.Max(MaxHeld, _held);
            }

            return inner.Read(first, count);
        }

        public void Delivered()
        {
            lock (_gate)
            {
                _held--;
            }
        }
    }

    private sealed class ListSink(CountingSource source) : IReplayResultSink
    {
        public List<SkuResult> Results { get; } = [];

        public void Add(ReplayPolicy policy, SkuInfo sku, SkuResult result)
        {
            Assert.Equal(sku.Sku, result.Sku);
            Results.Add(result);
            source.Delivered();
        }
    }
}
