using System.Diagnostics;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Data.Generation;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Forecasting.Outlook;
using SeasonalGrains.Grains.Forecasting;
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
        var season = SeasonGenerator.Generate(
            new GeneratorOptions { Preset = options.Preset, Skus = options.Skus, Days = options.HistoryDays + options.Days, Seed = options.Seed },
            progress);
        var name = PolicyName.Parse(options.Policy, ForecastPolicyCatalog.All);
        var scenario = new Scenario
        {
            Name = "bench",
            DatasetFolder = "",
            Window = new WindowSpec(null, null, options.Days),
            Policies = [new PolicyEntry { Name = name.Policy, Label = options.Policy, Forecaster = name.Forecaster }],
        };
        var window = ReplayWindow.Resolve(scenario.Window, null, season.Dataset, "bench");
        return (ReplayInputBuilder.Build(scenario, season.Dataset, window, stateWrites: options.StateWrites), season.Dataset);
    }

    /// <summary>
    /// Runs the bench. A forecast policy needs the dataset the input was built from and the silo's
    /// <paramref name="forecastService"/>: each run (warm-up and timed, bare and grains) gets its own forecast
    /// sources, so no run reuses another's forecasts.
    /// </summary>
    public static async Task<ReplayBenchResult> RunAsync(
        ReplayBenchOptions options,
        ReplayInput input,
        IGrainFactory grains,
        IProgress<string>? log = null,
        CancellationToken cancellationToken = default,
        Dataset? dataset = null,
        ReplayForecastService? forecastService = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(input);
        var forecaster = input.Policies[0].Setups.Select(s => s.Forecast?.Source).FirstOrDefault(f => f is not null);
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
                Outlook = new OutlookOptions { RetainOrigins = options.Days + 64, Horizon = BenchOutlookDays(input, dataset) },
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

            async Task<ReplayOutcome> ThroughGrains(ReplayInput run, ReplayForecastSources? sources, string label)
            {
                var runId = ReplayRunner.NewRunId(label);
                using var registration = sources is null ? null : forecastService!.Register(runId, sources);
                return await driver.RunAsync(runId, run, cancellationToken: cancellationToken);
            }

            log?.Report($"warm-up on {Math.Min(options.WarmUpSkus, input.Skus.Count):N0} SKUs");
            var warm = Subset(input, Math.Min(options.WarmUpSkus, input.Skus.Count));
            using (var sources = Sources())
            {
                BareReplay.Run(warm, warm.Policies[0], catalog, sources, cancellationToken: cancellationToken);
            }

            using (var sources = Sources())
            {
                await ThroughGrains(warm, sources, "bench-warmup");
            }

            log?.Report(forecaster is null ? "bare domain loop" : "bare loop (one thread; each day's reviews of 1,024 SKUs in one model call)");
            using var bareSources = Sources();
            var (bare, bareTime, bareCpu) = await Timed(() => Task.FromResult(BareReplay.Run(input, input.Policies[0], catalog, bareSources, cancellationToken: cancellationToken)));

            log?.Report(forecaster is null ? "replay through the grains" : "replay through the grains (the silo's batcher collects the grains' forecast requests)");
            using var grainSources = Sources();
            var (outcome, grainTime, grainCpu) = await Timed(() => ThroughGrains(input, grainSources, "bench"));

            return new ReplayBenchResult(input.SkuDays, bareTime, grainTime, bareCpu, grainCpu, Mismatches(input, bare, outcome))
            {
                StateWrites = CountStateWrites(options, input.Skus.Count, input.Days),
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

    private static int Mismatches(ReplayInput input, InventoryMetrics[] bare, ReplayOutcome outcome)
    {
        var bySku = outcome.Policies[0].Result.Skus.ToDictionary(s => s.Sku, s => s.Metrics, StringComparer.Ordinal);
        var mismatched = 0;
        for (var i = 0; i < input.Skus.Count; i++)
        {
            if (!bySku.TryGetValue(input.Skus[i].Sku, out var m) || m != bare[i])
            {
                mismatched++;
            }
        }

        return mismatched;
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
