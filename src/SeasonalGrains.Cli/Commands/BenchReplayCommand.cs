using SeasonalGrains.Abstractions;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Grains.Forecasting;
using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Simulation.Hosting;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Storage;
using TorchSharp;

namespace SeasonalGrains.Cli.Commands;

/// <summary><c>seasonal bench replay</c>: SKU-days per second of the bare domain loop and of the replay through the grains.</summary>
public sealed class BenchReplayCommand : CliCommand
{
    private readonly Option<int> _skus = CliOptions.Defaulted("--skus", "SKUs.", 10_000);

    private readonly Option<int> _days = CliOptions.Defaulted("--days", "Days replayed per SKU.", 365);

    private readonly Option<string> _policy = CliOptions.Defaulted("--policy", "Policy name (catalog).", "sS");

    private readonly Option<int?> _chunkDays = new("--chunk-days")
    {
        Description = $"Days per SKU grain call (default {ReplayDriverOptions.DefaultChunkDays}; {ReplayDriverOptions.DefaultCheckpointChunkDays} with every-chunk state writes; {ForecastChunkDays} with a forecast policy).",
    };

    private const int ForecastBatchSkus = 1024;
    private const int ForecastBatchesInFlight = 3;

    // a grain call with a forecast review every day must end within the silo's response timeout, however many share the batcher
    private const int ForecastChunkDays = 28;

    private readonly Option<int?> _batchSkus = new("--batch-skus")
    {
        Description = $"SKUs per replay grain call (default {ReplayDriverOptions.DefaultSkusPerBatch}; {ForecastBatchSkus} with a forecast policy).",
    };

    private readonly Option<int?> _batches = new("--batches-in-flight")
    {
        Description = $"Batches of SKUs replayed at once (default {ReplayDriverOptions.DefaultBatchesInFlight}; {ForecastBatchesInFlight} with a forecast policy).",
    };

    private readonly Option<int?> _callsInFlight = new("--calls-in-flight")
    {
        Description = $"SKU grain calls the replay grain keeps in flight (default {SeasonalGrainsOptions.DefaultReplayCallsInFlight}; with a forecast policy, all SKUs of the batches in flight, so the forecast batcher sees them together).",
    };

    private readonly Option<int> _seed = CliOptions.Defaulted("--seed", "Generator seed.", 1);

    private readonly Option<string?> _stateWrites = CliOptions.Optional<string?>(
        "--state-writes", "When SKU grains write their state: never (default in memory), on-close or every-chunk (default with --storage postgres).");

    private readonly Option<DirectoryInfo?> _model = CliOptions.Optional<DirectoryInfo?>(
        "--model", "-m", "With an lstm forecast policy: a trained model folder (default: an untrained model of the usual shape; its cost per forecast is a trained one's).");

    private readonly Option<string> _inference = CliOptions.Defaulted(
        "--inference", "With an lstm forecast policy: stateful (each SKU's encoder state carried from day to day) or window (re-read every review).", "stateful");

    private readonly Option<string> _precision = CliOptions.Precision(
        "With an lstm forecast policy: network number format, float32 or bfloat16; auto: bfloat16 where the processor has native bfloat16 products, else float32.");

    private readonly Option<int> _workers = CliOptions.Defaulted("--forecast-workers", "With a stateful lstm: threads of the silo's forecast batcher.", 2);

    private readonly Option<int> _restart = CliOptions.Defaulted(
        "--restart-days", "With a stateful lstm: days between encoder restarts (0: never restart).", LstmTrackerOptions.DefaultRestartDays);

    private readonly Option<int> _threads = CliOptions.Defaulted("--threads", "With an lstm forecast policy: libtorch intra-op threads.", 1);

    private readonly StorageSelection _storage = new(withClustering: true);

    public BenchReplayCommand()
    {
        _stateWrites.AcceptOnlyFromAmong("on-close", "every-chunk", "never");
        _inference.AcceptOnlyFromAmong("stateful", "window");
    }

    public override IReadOnlyList<string> Path => ["bench", "replay"];

    public override string Description =>
        "Generate SKUs batch by batch and time the bare domain loop (one thread) and the replay through an embedded silo, or through a cluster's silos with --clustering.";

    public override IEnumerable<Symbol> Symbols =>
        [_skus, _days, _policy, _chunkDays, _batchSkus, _batches, _callsInFlight, _seed, _stateWrites, _model, _inference, _precision, _workers, _restart, _threads, .. _storage.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var storage = _storage.Resolve(parse);
        var clustering = _storage.ResolveClustering(parse);
        var stateWrites = ReplayCommand.ParseStateWrites(parse.GetValue(_stateWrites) ?? (storage is null ? "never" : "every-chunk"));
        var siloOptions = EmbeddedSilo.PrivateOptions(storage);
        var name = PolicyName.TryParse(parse.GetRequiredValue(_policy), siloOptions.Policies, out var nameError)
            ?? throw new UserInputException($"--policy: {nameError}.");
        if (name.Tuned)
        {
            throw new UserInputException("--policy: the bench replays one policy as given; tuned policies are for 'seasonal compare'.");
        }

        var forecastPolicy = name.Forecaster is not null;
        if (clustering is not null && forecastPolicy)
        {
            throw new UserInputException("--clustering: the bench's forecast sources read its dataset in this process, which a cluster's silos cannot; bench a forecast policy in the embedded silo.");
        }

        if (clustering is not null && parse.GetValue(_callsInFlight) is not null)
        {
            throw new UserInputException("--calls-in-flight is a silo setting; with --clustering the silos of `seasonal serve` use their own.");
        }
        var options = new ReplayBenchOptions
        {
            Skus = Positive(parse.GetValue(_skus), "--skus"),
            Days = Positive(parse.GetValue(_days), "--days"),
            Policy = parse.GetRequiredValue(_policy),
            ChunkDays = Positive(
                parse.GetValue(_chunkDays) ?? (stateWrites == StateWrites.EveryChunk ? ReplayDriverOptions.DefaultCheckpointChunkDays
                    : forecastPolicy ? ForecastChunkDays : ReplayDriverOptions.DefaultChunkDays),
                "--chunk-days"),
            SkusPerBatch = Positive(parse.GetValue(_batchSkus) ?? (forecastPolicy ? ForecastBatchSkus : ReplayDriverOptions.DefaultSkusPerBatch), "--batch-skus"),
            BatchesInFlight = Positive(parse.GetValue(_batches) ?? (forecastPolicy ? ForecastBatchesInFlight : ReplayDriverOptions.DefaultBatchesInFlight), "--batches-in-flight"),
            Seed = parse.GetValue(_seed),
            StateWrites = stateWrites,
        };
        siloOptions.ReplayCallsInFlight = Positive(
            parse.GetValue(_callsInFlight) ?? (forecastPolicy ? options.SkusPerBatch * options.BatchesInFlight : SeasonalGrainsOptions.DefaultReplayCallsInFlight), "--calls-in-flight");

        options = options with
        {
            Lstm = new LstmSourceSettings
            {
                Inference = parse.GetRequiredValue(_inference) == "window" ? LstmInference.Window : LstmInference.Stateful,
                Precision = InferencePrecisions.Parse(parse.GetRequiredValue(_precision)),
                Workers = Positive(parse.GetValue(_workers), "--forecast-workers"),
                RestartDays = parse.GetValue(_restart) is var restart && restart >= 0 ? restart : throw new UserInputException($"--restart-days must be 0 or more (got {restart})."),
            },
        };
        using var model = LoadModel(parse.GetValue(_model)?.FullName, name);
        options = options with { Model = model };
        if (name.Forecaster == ForecasterRegistry.Lstm)
        {
            TorchRuntime.SetThreads(Positive(parse.GetValue(_threads), "--threads"));
        }

        var c = context.Console;
        var silo = clustering is null ? StartSilo(siloOptions, cancellationToken) : ReplayCommand.StartGrains(null, clustering, cancellationToken);
        try
        {
            ReplaySkuSource skus;
            Dataset? dataset = null;
            if (forecastPolicy)
            {
                c.MarkupLine(Markup.Escape($"Generating {options.Skus:N0} SKUs x {options.HistoryDays + options.Days:N0} days (preset {options.Preset}, seed {options.Seed})..."));
                (var input, dataset) = await Task.Run(() => ReplayBenchmark.BuildInputAndDataset(options), cancellationToken);
                skus = ReplaySkuSource.Of(input);
            }
            else
            {
                c.MarkupLine(Markup.Escape($"{options.Skus:N0} SKUs x {options.HistoryDays + options.Days:N0} days (preset {options.Preset}, seed {options.Seed}), generated batch by batch as each run reads them..."));
                skus = ReplayBenchmark.Generated(options);
            }

            var started = await silo;
            if (name.Forecaster == ForecasterRegistry.Lstm)
            {
                var lstm = options.Lstm;
                c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"Forecasts: {(model is null ? "an untrained LSTM of the usual shape (weights do not change the cost)" : parse.GetValue(_model)!.FullName)}; {(lstm.Inference == LstmInference.Stateful ? $"stateful, encoder restarts every {lstm.RestartDays} days, {lstm.Workers} batcher thread(s) of up to {lstm.MaxBatch:N0} SKUs" : "re-reading each window")}; {InferencePrecisions.Name(lstm.Precision)}; libtorch threads {torch.get_num_threads()}.")));
            }

            var result = await ReplayBenchmark.RunAsync(
                options,
                skus,
                started.Grains,
                new Progress<string>(s => c.MarkupLine(Markup.Escape($"  {s}..."))),
                cancellationToken,
                dataset,
                started.Forecasts);

            var table = new Table().AddColumns("run", "SKU-days", "seconds", "CPU seconds", "SKU-days/s");
            table.AddRow("bare domain loop (1 thread)", N(result.SkuDays), S(result.Bare.TotalSeconds), S(result.BareCpu.TotalSeconds), N(result.BareSkuDaysPerSecond));
            table.AddRow(
                clustering is null ? $"through the grains ({Environment.ProcessorCount} cores)" : $"through the grains (cluster {clustering.ClusterId})",
                N(result.SkuDays), S(result.Grains.TotalSeconds), S(result.GrainsCpu.TotalSeconds), N(result.GrainSkuDaysPerSecond));
            c.Write(table);
            c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"grains / bare = {result.Ratio:0.00}; chunk {options.ChunkDays} days, state writes {options.StateWrites}, {options.SkusPerBatch} SKUs per batch, {options.BatchesInFlight} batches and {(clustering is null ? siloOptions.ReplayCallsInFlight.ToString(CultureInfo.InvariantCulture) : "the silos' setting of")} grain calls in flight.")));
            c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"storage {(clustering is not null ? "of the cluster's silos" : storage is null ? "memory" : PostgresConnectionStrings.Describe(storage.ConnectionString!))}: {result.StateWrites:N0} grain state writes, {result.StateWritesPerSecond:N0} writes/s.")));
            var grown = result.HeapAfterGrains - result.HeapBeforeGrains;
            var heap = string.Create(CultureInfo.InvariantCulture,
                $"this process: peak resident {result.PeakWorkingSet / 1048576.0:N0} MiB; managed heap {result.HeapBeforeGrains / 1048576.0:N1} MiB before the grain run, {result.HeapAfterGrains / 1048576.0:N1} MiB after it");
            var grains = clustering is null
                ? string.Create(CultureInfo.InvariantCulture, $" with its {options.Skus:N0} SKU grains still active ({grown / (double)options.Skus:N0} bytes per SKU grain)")
                : "";
            var generating = result.GrainsGenerating > TimeSpan.Zero
                ? string.Create(CultureInfo.InvariantCulture, $"; {result.GrainsGenerating.TotalSeconds:0.0} s spent generating SKU batches during the grain run (alongside it).")
                : ".";
            c.MarkupLine(Markup.Escape(heap + grains + generating));
            var (gen0, gen1, gen2) = result.GrainsCollections;
            c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"the grain run allocated {result.GrainsAllocated / 1048576.0:N0} MiB of managed memory ({result.GrainsAllocated / (double)result.SkuDays:N0} bytes per SKU-day); collections: {gen0:N0} gen 0, {gen1:N0} gen 1, {gen2:N0} gen 2.")));
            if (result.Forecasting is { } f)
            {
                c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"forecasts: {f.Forecasts:N0} made, {f.EncoderSteps:N0} encoder days run; the grains sent {f.GrainRequests:N0} requests (one per SKU and chunk), batched into {f.GrainBatches:N0} tracker calls of {f.MeanGrainBatch:N0} SKUs on average.")));
            }

            if (result.MismatchedSkus > 0)
            {
                context.WriteError($"{result.MismatchedSkus} SKU(s) got different metrics through the grains than in the bare loop.");
                return SeasonalCli.Unexpected;
            }

            c.MarkupLine("Every SKU's metrics through the grains equal the bare loop's.");
            return SeasonalCli.Ok;
        }
        finally
        {
            await ReplayCommand.DisposeSilo(silo);
        }
    }

    private static async Task<GrainHost> StartSilo(SeasonalGrainsOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await EmbeddedSilo.StartAsync(options, cancellationToken);
        }
        catch (Exception e) when (e.GetBaseException() is DatabaseSchemaException schema)
        {
            throw new UserInputException(schema.Message);
        }
    }

    private static LstmModel? LoadModel(string? folder, PolicyName name)
    {
        if (folder is null)
        {
            return null;
        }

        if (name.Forecaster != ForecasterRegistry.Lstm)
        {
            throw new UserInputException("--model is for an lstm forecast policy, such as forecast-order-up-to:lstm.");
        }

        try
        {
            return LstmModel.Load(folder);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
        {
            throw new UserInputException($"--model: {e.Message}");
        }
    }

    private static int Positive(int value, string name) =>
        value >= 1 ? value : throw new UserInputException($"{name} must be at least 1 (got {value}).");

    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string S(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
