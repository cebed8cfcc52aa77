using System.Diagnostics;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Data;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Grains;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>Settings of the replay throughput bench.</summary>
public sealed record ReplayBenchOptions
{
    public int Skus { get; init; } = 10_000;

    /// <summary>Days replayed per SKU.</summary>
    public int Days { get; init; } = 365;

    /// <summary>Days of history before the window (for the policy parameters).</summary>
    public int HistoryDays { get; init; } = 365;

    public string Policy { get; init; } = "sS";

    public string Preset { get; init; } = SeasonPresets.DownJackets;

    public int Seed { get; init; } = 1;

    public int ChunkDays { get; init; } = ReplayDriverOptions.DefaultChunkDays;

    public int SkusPerBatch { get; init; } = ReplayDriverOptions.DefaultSkusPerBatch;

    public int BatchesInFlight { get; init; } = ReplayDriverOptions.DefaultBatchesInFlight;

    public StateWrites StateWrites { get; init; } = StateWrites.Never;

    /// <summary>SKUs of the warm-up run (both loops) before the timed runs.</summary>
    public int WarmUpSkus { get; init; } = 1_000;
}

/// <summary>Throughput of one replay: the bare domain loop (one thread) and the same replay through the grains.</summary>
/// <remarks>CPU times are the whole process's processor time during each run (all threads).</remarks>
public sealed record ReplayBenchResult(long SkuDays, TimeSpan Bare, TimeSpan Grains, TimeSpan BareCpu, TimeSpan GrainsCpu, int MismatchedSkus)
{
    /// <summary>Grain state writes of the timed grain run: SKU grain checkpoints and, with checkpoints, the replay grain's progress records.</summary>
    public long StateWrites { get; init; }

    public double StateWritesPerSecond => StateWrites / Grains.TotalSeconds;

    public double BareSkuDaysPerSecond => SkuDays / Bare.TotalSeconds;

    public double GrainSkuDaysPerSecond => SkuDays / Grains.TotalSeconds;

    /// <summary>Grain throughput as a fraction of the bare loop's.</summary>
    public double Ratio => GrainSkuDaysPerSecond / BareSkuDaysPerSecond;
}

/// <summary>
/// The replay bench: generates a dataset in memory, then times the bare domain loop and the replay
/// through the grains over the same SKU-days, after a warm-up of both. Each SKU's metrics from the
/// grains are compared with the bare loop's.
/// </summary>
public static class ReplayBenchmark
{
    /// <summary>The bench's input: a generated dataset with <see cref="ReplayBenchOptions.HistoryDays"/> of history and the window after it.</summary>
    public static ReplayInput BuildInput(ReplayBenchOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var season = SeasonGenerator.Generate(
            new GeneratorOptions { Preset = options.Preset, Skus = options.Skus, Days = options.HistoryDays + options.Days, Seed = options.Seed },
            progress);
        var scenario = new Scenario
        {
            Name = "bench",
            DatasetFolder = "",
            Window = new WindowSpec(null, null, options.Days),
            Policies = [new PolicyEntry { Name = options.Policy, Label = options.Policy }],
        };
        var window = ReplayWindow.Resolve(scenario.Window, null, season.Dataset, "bench");
        return ReplayInputBuilder.Build(scenario, season.Dataset, window, stateWrites: options.StateWrites);
    }

    public static async Task<ReplayBenchResult> RunAsync(
        ReplayBenchOptions options, ReplayInput input, IGrainFactory grains, IProgress<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(input);
        var driverOptions = new ReplayDriverOptions
        {
            ChunkDays = options.ChunkDays,
            SkusPerBatch = options.SkusPerBatch,
            BatchesInFlight = options.BatchesInFlight,
            Checkpoints = options.StateWrites == StateWrites.EveryChunk,
        };
        var driver = new ReplayDriver(grains, driverOptions);
        var policy = input.Policies[0];

        log?.Report($"warm-up on {Math.Min(options.WarmUpSkus, input.Skus.Count):N0} SKUs");
        var warm = Subset(input, Math.Min(options.WarmUpSkus, input.Skus.Count));
        BareReplay.Run(warm, warm.Policies[0], cancellationToken: cancellationToken);
        await driver.RunAsync(ReplayRunner.NewRunId("bench-warmup"), warm, cancellationToken: cancellationToken);

        log?.Report("bare domain loop");
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var bare = BareReplay.Run(input, policy, cancellationToken: cancellationToken);
        var bareTime = watch.Elapsed;
        process.Refresh();
        var bareCpu = process.TotalProcessorTime - cpu;

        log?.Report("replay through the grains");
        GC.Collect();
        process.Refresh();
        cpu = process.TotalProcessorTime;
        watch.Restart();
        var outcome = await driver.RunAsync(ReplayRunner.NewRunId("bench"), input, cancellationToken: cancellationToken);
        var grainTime = watch.Elapsed;
        process.Refresh();
        var grainCpu = process.TotalProcessorTime - cpu;

        var bySku = outcome.Policies[0].Result.Skus.ToDictionary(s => s.Sku, s => s.Metrics.ToDomain(), StringComparer.Ordinal);
        var mismatched = 0;
        for (var i = 0; i < input.Skus.Count; i++)
        {
            if (!bySku.TryGetValue(input.Skus[i].Sku, out var m) || m != bare[i])
            {
                mismatched++;
            }
        }

        return new ReplayBenchResult(input.SkuDays, bareTime, grainTime, bareCpu, grainCpu, mismatched)
        {
            StateWrites = CountStateWrites(options, input.Skus.Count, input.Days),
        };
    }

    /// <summary>
    /// The state writes one run makes: with every-chunk writes each SKU writes once per chunk (the last one at its
    /// close) and the replay grain once at the start and once per batch and chunk; with on-close writes, one per SKU.
    /// </summary>
    public static long CountStateWrites(ReplayBenchOptions options, int skus, int days)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chunks = (days + options.ChunkDays - 1) / options.ChunkDays;
        var batches = (skus + options.SkusPerBatch - 1) / options.SkusPerBatch;
        return options.StateWrites switch
        {
            StateWrites.EveryChunk => ((long)skus * chunks) + 1 + ((long)batches * chunks),
            StateWrites.OnClose => skus,
            _ => 0,
        };
    }

    private static ReplayInput Subset(ReplayInput input, int skus) => input with
    {
        Skus = input.Skus.Take(skus).ToArray(),
        Units = input.Units[..skus],
        Price = input.Price?[..skus],
        Promo = input.Promo?[..skus],
        Policies = [.. input.Policies.Select(p => p with { Setups = p.Setups[..skus] })],
    };
}
