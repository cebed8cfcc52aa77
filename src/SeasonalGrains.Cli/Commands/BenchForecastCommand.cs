using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;
using TorchSharp;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// <c>seasonal bench forecast</c>: forecasts per second of the quantile LSTM at several batch sizes, called
/// directly (one thread, one tensor call per batch) and through a <see cref="ForecastBatcher"/> with as many
/// callers as the batch size, each awaiting one forecast at a time. Without <c>--model</c> an untrained model
/// of the usual shape (2 x 50, window and horizon 28) is measured: its cost per forecast is a trained one's.
/// </summary>
public sealed class BenchForecastCommand : CliCommand
{
    private readonly Option<string> _batchSizes = CliOptions.Defaulted(
        "--batch-sizes", "Comma-separated batch sizes (windows per call, and callers in flight through the batcher).", string.Join(',', ForecastBench.DefaultBatchSizes));

    private readonly Option<DirectoryInfo?> _model = CliOptions.Optional<DirectoryInfo?>(
        "--model", "-m", "A trained model folder (default: an untrained 2 x 50 model with 28-day windows).");

    private readonly Option<double> _seconds = CliOptions.Defaulted("--seconds", "Seconds measured per batch size and mode.", 2.0);

    private readonly Option<string> _precision = CliOptions.Precision(
        "Network number format: float32 or bfloat16; auto: bfloat16 where the processor has native bfloat16 products, else float32.");

    private readonly Option<int> _workers = CliOptions.Defaulted("--workers", "Batcher worker threads.", 1);

    private readonly Option<int> _threads = CliOptions.Defaulted("--threads", "libtorch intra-op threads (default: the number of cores).", Environment.ProcessorCount);

    private readonly Option<int> _hidden = CliOptions.Defaulted(
        "--hidden-size", "LSTM hidden size of the untrained model measured without --model.", new LstmOptions().HiddenSize);

    private readonly Option<bool> _inline = CliOptions.Optional<bool>(
        "--inline-continuations", "Let each caller's continuation run on the batcher thread that completes it (saves a thread-pool hop; the bench's callers only submit again).");

    public override IReadOnlyList<string> Path => ["bench", "forecast"];

    public override string Description => "Measure LSTM forecasts per second by batch size, directly and through the forecast batcher.";

    public override IEnumerable<Symbol> Symbols => [_batchSizes, _model, _seconds, _precision, _workers, _threads, _hidden, _inline];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var sizes = ParseSizes(parse.GetRequiredValue(_batchSizes));
        var seconds = parse.GetValue(_seconds);
        var workers = parse.GetValue(_workers);
        var threads = parse.GetValue(_threads);
        if (!(seconds > 0) || seconds > 600)
        {
            throw new UserInputException($"--seconds must be within (0, 600] (got {seconds.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (workers is < 1 or > 64 || threads is < 1 or > 256)
        {
            throw new UserInputException($"--workers must be within 1..64 and --threads within 1..256 (got {workers} and {threads}).");
        }

        var precision = InferencePrecisions.Parse(parse.GetRequiredValue(_precision));
        var folder = parse.GetValue(_model)?.FullName;
        LstmModel model;
        try
        {
            var hidden = parse.GetValue(_hidden);
            if (hidden is < 1 or > 4096)
            {
                throw new UserInputException($"--hidden-size must be within 1..4096 (got {hidden}).");
            }

            model = folder is null ? ForecastBench.UntrainedModel(options: LstmOptions.TrainDefaults with { HiddenSize = hidden }) : LstmModel.Load(folder);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
        {
            throw new UserInputException($"--model: {e.Message}");
        }

        using (model)
        {
            TorchRuntime.SetThreads(threads);
            var a = model.Metadata.Architecture;
            var c = context.Console;
            c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Model: {(folder is null ? "untrained (weights do not change the cost)" : folder)}; LSTM {a.Layers} x {a.HiddenSize}, window {model.Window}, horizon {model.Horizon}, {model.Quantiles.Count} quantiles + mean{(a.IntervalHead ? " + interval quantiles" : "")}, {a.PastFeatures} past and {a.KnownFeatures} known features.")));
            c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Configuration: precision {InferencePrecisions.Name(precision)}, batcher workers {workers} (flush at {LstmModel.ChunkSize} requests or 2 ms{(parse.GetValue(_inline) ? ", continuations inline" : "")}), libtorch threads {torch.get_num_threads()}, {Environment.ProcessorCount} cores, chunks of {LstmModel.ChunkSize} windows per tensor call; {seconds:0.##} s per batch size and mode.")));
            var batcherOptions = new ForecastBatcherOptions { Workers = workers, Precision = precision, InlineContinuations = parse.GetValue(_inline) };
            var results = await CliProgress.RunAsync(context, report => Task.Run(
                () =>
                {
                    var all = new List<ForecastBenchResult>();
                    for (var i = 0; i < sizes.Count; i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        report("Measuring", i / (double)sizes.Count);
                        all.AddRange(ForecastBench.Run(model, [sizes[i]], TimeSpan.FromSeconds(seconds), batcherOptions));
                    }

                    report("Measuring", 1);
                    return all;
                },
                cancellationToken));

            var table = new Table().AddColumns("batch size", "direct forecasts/s", "batcher forecasts/s", "batcher mean batch");
            foreach (var column in table.Columns)
            {
                column.RightAligned();
            }

            foreach (var r in results)
            {
                table.AddRow(
                    r.BatchSize.ToString("N0", CultureInfo.InvariantCulture),
                    r.DirectForecastsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                    r.BatcherForecastsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                    r.BatcherMeanBatch.ToString("0.0", CultureInfo.InvariantCulture));
            }

            c.Write(table);
            c.MarkupLine(Markup.Escape($"One forecast = {model.Horizon} days x {model.OutputsPerDay} outputs ({model.Quantiles.Count} quantiles + mean{(model.HasIntervalHead ? $" + {model.Quantiles.Count} interval quantiles" : "")}) from a {model.Window}-day window."));
        }

        return SeasonalCli.Ok;
    }

    private static List<int> ParseSizes(string text)
    {
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size is < 1 or > 100_000)
            {
                throw new UserInputException($"--batch-sizes: '{part}' is not a batch size within 1..100000.");
            }

            sizes.Add(size);
        }

        return sizes.Count > 0 ? sizes : throw new UserInputException("--batch-sizes: give at least one batch size.");
    }
}
