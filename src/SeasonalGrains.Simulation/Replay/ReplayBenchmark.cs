using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using SeasonalGrains.Data.Generation;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;

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

    /// <summary>
    /// A forecast policy's model (<c>lstm</c>): null = an untrained model over a feature schema fitted on the bench's
    /// history, of the default shape; its cost per forecast is a trained model's. The caller disposes it.
    /// </summary>
    public LstmModel? Model { get; init; }

    /// <summary>How the LSTM runs for a forecast policy (the bench's default: stateful).</summary>
    public LstmSourceSettings Lstm { get; init; } = new() { Inference = LstmInference.Stateful };
}

/// <summary>What the forecast sources did during the timed runs of a bench with a forecast policy.</summary>
/// <param name="Forecasts">Forecasts made (both runs' own sources).</param>
/// <param name="EncoderSteps">Encoder days run by the stateful LSTM.</param>
/// <param name="GrainBatches">Tracker calls the grains' batcher made.</param>
/// <param name="GrainRequests">Requests the grains sent the batcher (one per SKU and chunk: a chunk's reviews are asked for together).</param>
public sealed record ReplayBenchForecasting(long Forecasts, long EncoderSteps, long GrainBatches, long GrainRequests)
{
    public double MeanGrainBatch => GrainBatches > 0 ? GrainRequests / (double)GrainBatches : 0;
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

    /// <summary>With a forecast policy: what its forecast sources did.</summary>
    public ReplayBenchForecasting? Forecasting { get; init; }

    /// <summary>Wall time the grain run's source spent generating its batches (on the driving process, while the grains ran).</summary>
    public TimeSpan GrainsGenerating { get; init; }

    /// <summary>This process's managed heap after a full collection, before and after the timed grain run (its SKU grains still active when the silo is in this process).</summary>
    public long HeapBeforeGrains { get; init; }

    public long HeapAfterGrains { get; init; }

    /// <summary>Managed bytes this process allocated during the timed grain run (all threads, the batch generation included).</summary>
    public long GrainsAllocated { get; init; }

    /// <summary>Garbage collections of generations 0, 1 and 2 during the timed grain run (a generation's count includes the collections of the older ones).</summary>
    public (int Gen0, int Gen1, int Gen2) GrainsCollections { get; init; }

    /// <summary>This process's peak resident set (VmHWM) at the end of the bench.</summary>
    public long PeakWorkingSet { get; init; }
}

/// <summary>
/// The replay bench: generates a dataset in memory, then times the bare domain loop and the replay
/// through the grains over the same SKU-days, after a warm-up of both. Each SKU's metrics from the
/// grains are compared with the bare loop's.
/// </summary>
public static class ReplayBenchmark
{
    /// <summary>The days the bench's policy reads its outlooks ahead (null: the protection interval).</summary>
    private static int? BenchOutlookDays(ReplayInput input, Dataset? dataset)
    {
        if (dataset is null || input.Policies.Count == 0 || input.Policies[0].Setups.Length == 0)
        {
            return null;
        }

        var lead = dataset.Skus.Select(s => s.LeadTimeDays).DefaultIfEmpty(0).Max();
        var review = input.Policies[0].Setups[0].ReviewPeriodDays;
        var days = ForecastPolicyCatalog.OutlookDays([input.Policies[0].Setups[0].Policy.Name], lead, review);
        return days > lead + review ? days : null;
    }

    /// <summary>The bench's input: a generated dataset with <see cref="ReplayBenchOptions.HistoryDays"/> of history and the window after it.</summary>
    public static ReplayInput BuildInput(ReplayBenchOptions options, IProgress<double>? progress = null) => BuildInputAndDataset(options, progress).Input;

    /// <summary>As <see cref="BuildInput"/>, with the generated dataset (a forecast policy's forecasters read it).</summary>
    public static (ReplayInput Input, Dataset Dataset) BuildInputAndDataset(ReplayBenchOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var season = SeasonGenerator.Generate(Generator(options), progress);
        return (Build(options, season.Dataset), season.Dataset);
    }

    /// <summary>
    /// The bench's SKUs generated batch by batch as the replay reads them (each SKU as <see cref="BuildInput"/> makes it),
    /// so the driving process never holds more than the batches in flight; for policies without a forecast (whose
    /// sources read the whole dataset).
    /// </summary>
    public static GeneratedReplaySkus Generated(ReplayBenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new GeneratedReplaySkus(options);
    }

    private static GeneratorOptions Generator(ReplayBenchOptions options) =>
        new() { Preset = options.Preset, Skus = options.Skus, Days = options.HistoryDays + options.Days, Seed = options.Seed };

    private static ReplayInput Build(ReplayBenchOptions options, Dataset dataset)
    {
        var name = PolicyName.Parse(options.Policy, ForecastPolicyCatalog.All);
        var scenario = new Scenario
        {
            Name = "bench",
            DatasetFolder = "",
            Window = new WindowSpec(null, null, options.Days),
            Policies = [new PolicyEntry { Name = name.Policy, Label = options.Policy, Forecaster = name.Forecaster }],
        };
        var window = ReplayWindow.Resolve(scenario.Window, null, dataset, "bench");
        return ReplayInputBuilder.Build(scenario, dataset, window, stateWrites: options.StateWrites);
    }

    /// <summary>The bench's SKUs, generated when read (see <see cref="Generated"/>); counts the time spent generating.</summary>
    public sealed class GeneratedReplaySkus : ReplaySkuSource
    {
        private readonly ReplayBenchOptions _options;
        private readonly GeneratorOptions _generator;
        private readonly int[] _order;
        private long _generatingTicks;

        internal GeneratedReplaySkus(ReplayBenchOptions options)
        {
            _options = options;
            _generator = Generator(options);
            _order = NameOrder(options.Skus, i => SeasonGenerator.SkuName(_generator, i));
            var one = Build(options, SeasonGenerator.GenerateSkus(_generator, [0]));
            DaysToNextHoliday = one.DaysToNextHoliday;
            Policies = [.. one.Policies.Select(p => new ReplayPolicy(p.Label, p.Name))];
            if (one.Policies.Any(p => p.Setups.Any(s => s.Forecast is not null)))
            {
                throw new ArgumentException("A forecast policy's sources read the whole dataset; build the input with BuildInputAndDataset.", nameof(options));
            }
        }

        public override int Skus => _options.Skus;

        public override int Days => _options.Days;

        public override int[]? DaysToNextHoliday { get; }

        public override IReadOnlyList<ReplayPolicy> Policies { get; }

        /// <summary>Wall time spent in <see cref="Read"/> so far (summed over concurrent reads).</summary>
        public TimeSpan Generating => TimeSpan.FromTicks(Interlocked.Read(ref _generatingTicks));

        public override ReplayInput Read(int first, int count)
        {
            var watch = Stopwatch.StartNew();
            var input = Build(_options, SeasonGenerator.GenerateSkus(_generator, new ArraySegment<int>(_order, first, count)));
            Interlocked.Add(ref _generatingTicks, watch.Elapsed.Ticks);
            return input;
        }
    }

    /// <summary>
    /// Runs the bench over <paramref name="skus"/> (<see cref="Generated"/>, or an input in memory through
    /// <see cref="ReplaySkuSource.Of"/>). Both loops read the SKUs batch by batch in name order; each SKU's bare metrics are
    /// kept as a 64-bit fingerprint only, against which its result through the grains is checked as it arrives. A forecast
    /// policy needs the dataset the input was built from and the silo's <paramref name="forecastService"/>: each run
    /// (warm-up and timed, bare and grains) gets its own forecast sources, so no run reuses another's forecasts.
    /// </summary>
    public static async Task<ReplayBenchResult> RunAsync(
        ReplayBenchOptions options,
        ReplaySkuSource skus,
        IGrainFactory grains,
        IProgress<string>? log = null,
        CancellationToken cancellationToken = default,
        Dataset? dataset = null,
        ReplayForecastService? forecastService = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(skus);
        var warm = skus.Read(0, Math.Min(options.WarmUpSkus, skus.Skus));
        var forecaster = warm.Policies[0].Setups.Select(s => s.Forecast?.Source).FirstOrDefault(f => f is not null);
        if (forecaster is not null)
        {
            ArgumentNullException.ThrowIfNull(dataset);
            ArgumentNullException.ThrowIfNull(forecastService);
        }

        var owned = forecaster == ForecasterRegistry.Lstm && options.Model is null ? UntrainedModel(dataset!, options.HistoryDays) : null;
        try
        {
            var sourceOptions = new ForecastSourceOptions
            {
                Model = options.Model ?? owned,
                Lstm = options.Lstm,
                Outlook = new OutlookOptions { RetainOrigins = options.Days + 64, Horizon = BenchOutlookDays(warm, dataset) },
            };

            // every run (warm-up and timed, bare and grains) gets its own sources: none reuses another's forecasts
            ReplayForecastSources? Sources() => forecaster is null ? null : ReplayForecastSources.Create(dataset!, [forecaster], sourceOptions);
            var driver = new ReplayDriver(grains, new ReplayDriverOptions
            {
                ChunkDays = options.ChunkDays,
                SkusPerBatch = options.SkusPerBatch,
                BatchesInFlight = options.BatchesInFlight,
                Checkpoints = options.StateWrites == StateWrites.EveryChunk,
            });
            var catalog = ForecastPolicyCatalog.All;

            async Task<ReplayOutcome> ThroughGrains(ReplaySkuSource run, ReplayForecastSources? sources, string label, IReplayResultSink? sink)
            {
                var runId = ReplayRunner.NewRunId(label);
                using var registration = sources is null ? null : forecastService!.Register(runId, sources);
                return await driver.RunAsync(runId, run, null, null, cancellationToken, sink: sink);
            }

            log?.Report($"warm-up on {warm.Skus.Count:N0} SKUs");
            using (var sources = Sources())
            {
                BareReplay.Run(warm, warm.Policies[0], catalog, sources, cancellationToken: cancellationToken);
            }

            using (var sources = Sources())
            {
                await ThroughGrains(ReplaySkuSource.Of(warm), sources, "bench-warmup", null);
            }

            warm = null;
            log?.Report(forecaster is null ? "bare domain loop" : "bare loop (one thread; each day's reviews of 1,024 SKUs in one model call)");
            using var bareSources = Sources();
            var (fingerprints, bareTime, bareCpu) = Bare(skus, catalog, bareSources, cancellationToken);

            log?.Report(forecaster is null ? "replay through the grains" : "replay through the grains (the silo's batcher collects the grains' forecast requests)");
            using var grainSources = Sources();
            var check = new FingerprintCheck(fingerprints);
            var generating = (skus as GeneratedReplaySkus)?.Generating ?? TimeSpan.Zero;
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var (gen0, gen1, gen2) = Collections();
            var (_, grainTime, grainCpu) = await Timed(() => ThroughGrains(skus, grainSources, "bench", check));
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var after = Collections();
            var collections = (after.Gen0 - gen0, after.Gen1 - gen1, after.Gen2 - gen2);
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();

            return new ReplayBenchResult(skus.SkuDays, bareTime, grainTime, bareCpu, grainCpu, check.Mismatched)
            {
                StateWrites = CountStateWrites(options, skus.Skus, skus.Days),
                GrainsGenerating = ((skus as GeneratedReplaySkus)?.Generating ?? TimeSpan.Zero) - generating,
                HeapBeforeGrains = heapBefore,
                HeapAfterGrains = heapAfter,
                GrainsAllocated = allocated,
                GrainsCollections = collections,
                PeakWorkingSet = process.PeakWorkingSet64,
                Forecasting = forecaster is not null && grainSources!.IsStateful(forecaster)
                    ? new ReplayBenchForecasting(
                        bareSources!.Stateful(forecaster).Tracker.Forecasts + grainSources.Stateful(forecaster).Tracker.Forecasts,
                        bareSources.Stateful(forecaster).Tracker.Steps + grainSources.Stateful(forecaster).Tracker.Steps,
                        grainSources.Stateful(forecaster).Batches,
                        grainSources.Stateful(forecaster).Requests)
                    : null,
            };
        }
        finally
        {
            owned?.Dispose();
        }
    }

    private static (int Gen0, int Gen1, int Gen2) Collections() => (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    /// <summary>SKUs the bare loop reads at a time: whole blocks of the stateful LSTM's batched forecasts.</summary>
    private const int BareBatchSkus = 4 * LstmTracker.DefaultBatchSkus;

    /// <summary>
    /// The bare loop over <paramref name="skus"/> batch by batch: each SKU's metrics fingerprint (name order), and the wall
    /// and process processor time of the loop itself (reading the batches not counted).
    /// </summary>
    private static (ulong[] Fingerprints, TimeSpan Wall, TimeSpan Cpu) Bare(
        ReplaySkuSource skus, PolicyCatalog catalog, ReplayForecastSources? sources, CancellationToken cancellationToken)
    {
        GC.Collect();
        var fingerprints = new ulong[skus.Skus];
        var wall = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        using var process = Process.GetCurrentProcess();
        for (var first = 0; first < skus.Skus; first += BareBatchSkus)
        {
            var batch = skus.Read(first, Math.Min(BareBatchSkus, skus.Skus - first));
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var metrics = BareReplay.Run(batch, batch.Policies[0], catalog, sources, cancellationToken: cancellationToken);
            wall += watch.Elapsed;
            process.Refresh();
            cpu += process.TotalProcessorTime - cpuBefore;
            for (var k = 0; k < metrics.Length; k++)
            {
                fingerprints[first + k] = Fingerprint(metrics[k]);
            }
        }

        return (fingerprints, wall, cpu);
    }

    /// <summary>64 bits of the SHA-256 of the metrics' text (every figure, round-trip formatted): equal metrics, equal fingerprints.</summary>
    public static ulong Fingerprint(InventoryMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(metrics.ToString()), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>Checks each SKU's result through the grains, as it arrives (name order), against the bare loop's fingerprint.</summary>
    private sealed class FingerprintCheck(ulong[] expected) : IReplayResultSink
    {
        private int _next;

        public int Mismatched { get; private set; }

        public void Add(ReplayPolicy policy, SkuInfo sku, SkuResult result)
        {
            if (Fingerprint(result.Metrics) != expected[_next++])
            {
                Mismatched++;
            }
        }
    }

    /// <summary>
    /// An untrained model of the shape `seasonal train` gives (default network and levels) over a
    /// feature schema fitted on <paramref name="dataset"/>'s first <paramref name="fitEndDay"/> days.
    /// </summary>
    public static LstmModel UntrainedModel(Dataset dataset, int fitEndDay)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var options = LstmOptions.TrainDefaults;
        var schema = FeatureSchema.Fit(dataset, options.Window, options.Horizon, fitEndDay);
        return LstmModel.Untrained(schema, options);
    }

    /// <summary>Runs <paramref name="work"/> after a collection; its wall time and the whole process's processor time during it.</summary>
    private static async Task<(T Result, TimeSpan Wall, TimeSpan Cpu)> Timed<T>(Func<Task<T>> work)
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = await work();
        var wall = watch.Elapsed;
        process.Refresh();
        return (result, wall, process.TotalProcessorTime - cpu);
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
}
