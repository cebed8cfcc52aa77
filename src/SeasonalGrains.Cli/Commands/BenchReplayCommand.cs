using System.CommandLine;
using System.Globalization;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Simulation.Hosting;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Storage;
using Spectre.Console;

namespace SeasonalGrains.Cli.Commands;

/// <summary><c>seasonal bench replay</c>: SKU-days per second of the bare domain loop and of the replay through the grains.</summary>
public sealed class BenchReplayCommand : CliCommand
{
    private readonly Option<int> _skus = new("--skus") { Description = "SKUs.", DefaultValueFactory = _ => 10_000 };

    private readonly Option<int> _days = new("--days") { Description = "Days replayed per SKU.", DefaultValueFactory = _ => 365 };

    private readonly Option<string> _policy = new("--policy") { Description = "Policy name (catalog).", DefaultValueFactory = _ => "sS" };

    private readonly Option<int?> _chunkDays = new("--chunk-days")
    {
        Description = $"Days per SKU grain call (default {ReplayDriverOptions.DefaultChunkDays}, or {ReplayDriverOptions.DefaultCheckpointChunkDays} with every-chunk state writes).",
    };

    private readonly Option<int> _batchSkus = new("--batch-skus")
    {
        Description = "SKUs per replay grain call.",
        DefaultValueFactory = _ => ReplayDriverOptions.DefaultSkusPerBatch,
    };

    private readonly Option<int> _batches = new("--batches-in-flight")
    {
        Description = "Batches of SKUs replayed at once.",
        DefaultValueFactory = _ => ReplayDriverOptions.DefaultBatchesInFlight,
    };

    private readonly Option<int> _callsInFlight = new("--calls-in-flight")
    {
        Description = "SKU grain calls the replay grain keeps in flight.",
        DefaultValueFactory = _ => SeasonalGrainsOptions.DefaultReplayCallsInFlight,
    };

    private readonly Option<int> _seed = new("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => 1 };

    private readonly Option<string?> _stateWrites = new("--state-writes")
    {
        Description = "When SKU grains write their state: never (default in memory), on-close or every-chunk (default with --storage postgres).",
    };

    private readonly StorageSelection _storage = new();

    public BenchReplayCommand()
    {
        _stateWrites.AcceptOnlyFromAmong("on-close", "every-chunk", "never");
    }

    public override IReadOnlyList<string> Path => ["bench", "replay"];

    public override string Description =>
        "Generate SKUs in memory and time the bare domain loop (one thread) and the replay through an embedded silo.";

    public override IEnumerable<Symbol> Symbols => [_skus, _days, _policy, _chunkDays, _batchSkus, _batches, _callsInFlight, _seed, _stateWrites, .. _storage.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var storage = _storage.Resolve(parse);
        var stateWrites = ReplayCommand.ParseStateWrites(parse.GetValue(_stateWrites) ?? (storage is null ? "never" : "every-chunk"));
        var options = new ReplayBenchOptions
        {
            Skus = Positive(parse.GetValue(_skus), "--skus"),
            Days = Positive(parse.GetValue(_days), "--days"),
            Policy = parse.GetRequiredValue(_policy),
            ChunkDays = Positive(
                parse.GetValue(_chunkDays) ?? (stateWrites == StateWrites.EveryChunk ? ReplayDriverOptions.DefaultCheckpointChunkDays : ReplayDriverOptions.DefaultChunkDays),
                "--chunk-days"),
            SkusPerBatch = Positive(parse.GetValue(_batchSkus), "--batch-skus"),
            BatchesInFlight = Positive(parse.GetValue(_batches), "--batches-in-flight"),
            Seed = parse.GetValue(_seed),
            StateWrites = stateWrites,
        };
        var siloOptions = EmbeddedSilo.PrivateOptions(storage);
        siloOptions.ReplayCallsInFlight = Positive(parse.GetValue(_callsInFlight), "--calls-in-flight");
        if (!siloOptions.Policies.Contains(options.Policy))
        {
            throw new UserInputException($"--policy: unknown policy '{options.Policy}' (known: {string.Join(", ", siloOptions.Policies.Names)}).");
        }

        var c = context.Console;
        var silo = StartSilo(siloOptions, cancellationToken);
        try
        {
            c.MarkupLine(Markup.Escape($"Generating {options.Skus:N0} SKUs x {options.HistoryDays + options.Days:N0} days (preset {options.Preset}, seed {options.Seed})..."));
            var input = await Task.Run(() => ReplayBenchmark.BuildInput(options), cancellationToken);
            var grains = (await silo).Grains;
            var result = await ReplayBenchmark.RunAsync(options, input, grains, new Progress<string>(s => c.MarkupLine(Markup.Escape($"  {s}..."))), cancellationToken);

            var table = new Table().AddColumns("run", "SKU-days", "seconds", "CPU seconds", "SKU-days/s");
            table.AddRow("bare domain loop (1 thread)", N(result.SkuDays), S(result.Bare.TotalSeconds), S(result.BareCpu.TotalSeconds), N(result.BareSkuDaysPerSecond));
            table.AddRow(
                $"through the grains ({Environment.ProcessorCount} cores)", N(result.SkuDays), S(result.Grains.TotalSeconds), S(result.GrainsCpu.TotalSeconds), N(result.GrainSkuDaysPerSecond));
            c.Write(table);
            c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"grains / bare = {result.Ratio:0.00}; chunk {options.ChunkDays} days, state writes {options.StateWrites}, {options.SkusPerBatch} SKUs per batch, {options.BatchesInFlight} batches and {siloOptions.ReplayCallsInFlight} grain calls in flight.")));
            c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"storage {(storage is null ? "memory" : PostgresConnectionStrings.Describe(storage.ConnectionString!))}: {result.StateWrites:N0} grain state writes, {result.StateWritesPerSecond:N0} writes/s.")));
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

    private static async Task<EmbeddedSilo> StartSilo(SeasonalGrainsOptions options, CancellationToken cancellationToken)
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

    private static int Positive(int value, string name) =>
        value >= 1 ? value : throw new UserInputException($"{name} must be at least 1 (got {value}).");

    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string S(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
