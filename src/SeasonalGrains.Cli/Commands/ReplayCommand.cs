using SeasonalGrains.Abstractions;
using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Simulation.Hosting;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Reports;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// <c>seasonal replay --scenario FILE</c>: replays a scenario through the grains of an embedded silo. With
/// <c>--storage postgres</c> the SKU grains checkpoint every chunk (30 days unless given) and the run is recorded in the
/// database; its run id is printed first, and <c>seasonal replay --resume RUN_ID --storage postgres</c> finishes it
/// after the process was killed, with the same results as an uninterrupted run.
/// </summary>
public sealed class ReplayCommand : CliCommand
{
    /// <summary>How often a non-interactive run with checkpoints prints its progress.</summary>
    private static readonly TimeSpan ProgressLineInterval = TimeSpan.FromMilliseconds(500);

    private readonly Option<FileInfo?> _scenario = CliOptions.Optional<FileInfo?>("--scenario", "-s", "The scenario file (JSON); required unless --resume is given.");

    private readonly Option<string?> _resume = CliOptions.Optional<string?>(
        "--resume", "Finish the recorded run RUN_ID (printed when it started) from its last checkpoints; needs --storage postgres, or --clustering postgres for a run on a cluster.");

    private readonly GrainRunOptions _run = new();

    private readonly Option<string[]> _policy = new("--policy", "-p")
    {
        Description = "Replay only these policies (labels in the scenario); repeat for several.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> _stateWrites = CliOptions.Optional<string?>(
        "--state-writes", "When SKU grains write their state: never (default in memory), on-close, or every-chunk (default with --storage postgres: checkpoints to resume from).");

    public ReplayCommand()
    {
        _stateWrites.AcceptOnlyFromAmong("on-close", "every-chunk", "never");
    }

    public override IReadOnlyList<string> Path => ["replay"];

    public override string Description => "Replay a scenario's window through per-SKU grains and write summary.json and per-sku.csv.";

    public override IEnumerable<Symbol> Symbols => [_scenario, _resume, _run.Out, _run.Force, _policy, _run.ChunkDays, _stateWrites, .. _run.Storage.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var run = _run.Resolve(parse);
        var scenario = parse.GetValue(_scenario);
        var resume = parse.GetValue(_resume);
        if ((scenario is null) == (resume is null))
        {
            throw new UserInputException("give either --scenario FILE (a new run) or --resume RUN_ID (a recorded run).");
        }

        if (resume is not null)
        {
            return await ResumeAsync(parse, context, resume, run, cancellationToken);
        }

        var request = new ReplayRequest
        {
            ScenarioPath = scenario!.FullName,
            OutDir = run.OutDir,
            Policies = parse.GetValue(_policy) ?? [],
            ChunkDays = run.ChunkDays,
            StateWrites = ParseStateWrites(parse.GetValue(_stateWrites) ?? (run.Storage is null ? "never" : "every-chunk")),
        };

        // The silo starts (or the cluster is joined) while the dataset is read; a run that fails first stops it starting.
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var silo = StartGrains(run.Storage, run.Clustering, starting.Token);
        try
        {
            var (report, outDir) = await CliProgress.RunAsync(context, async report =>
            {
                var progress = new Progress<ReplayStatus>(s => report(Label(s), s.Fraction));
                var prepared = await Task.Run(() => ReplayRunner.Prepare(request, progress), cancellationToken);

                var runId = ReplayRunner.NewRunId(prepared.Scenario.Name);
                var checkpoints = ReplayRunner.HasCheckpoints(prepared.Input);
                context.Console.MarkupLine(Markup.Escape((checkpoints
                    ? $"Run id: {runId} (checkpoints every {prepared.ChunkDays} days; finish an interrupted run with --resume {runId})"
                    : $"Run id: {runId}") + (run.Clustering is null ? "" : $" on cluster {run.Clustering.ClusterId}")));
                var grains = await silo;
                var folder = request.OutDir ?? ReplayRunner.DefaultOutDir(runId);
                using var output = ResultWriter.Open(folder, run.Force);
                var result = await ReplayRunner.ReplayAsync(prepared, grains.Grains, grains.Forecasts, output, WithLines(context, progress, checkpoints), cancellationToken, runId);
                cancellationToken.ThrowIfCancellationRequested();
                output.Commit(result);
                return (result, folder);
            });
            Print(context, report, outDir);
            return SeasonalCli.Ok;
        }
        finally
        {
            await starting.CancelAsync();
            await DisposeSilo(silo);
        }
    }

    /// <summary>
    /// Where the run's grains live: an embedded silo with the chosen storage, or, with <paramref name="clustering"/>, the
    /// silos of a running cluster joined as its Orleans client (which build the run's forecasters from its plan).
    /// </summary>
    internal static async Task<GrainHost> StartGrains(StorageOptions? storage, ClusteringOptions? clustering, CancellationToken cancellationToken)
    {
        if (clustering is null)
        {
            return await StartSilo(storage, cancellationToken);
        }

        try
        {
            return await ClusterClient.ConnectAsync(clustering, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new UserInputException("--clustering: " + e.Message);
        }
    }

    private async Task<int> ResumeAsync(
        ParseResult parse, CliContext context, string runId, GrainRunSettings run, CancellationToken cancellationToken)
    {
        var (storage, clustering) = (run.Storage, run.Clustering);
        if (storage is null && clustering is null)
        {
            throw new UserInputException("--resume needs --storage postgres (or --clustering postgres for a run on a cluster): a run kept in memory ended with its process.");
        }

        if (parse.GetValue(_policy) is { Length: > 0 } || parse.GetValue(_run.ChunkDays) is not null || parse.GetValue(_stateWrites) is not null)
        {
            throw new UserInputException("--resume takes the policies, chunk size and state writes recorded with the run; drop --policy, --chunk-days and --state-writes.");
        }

        try
        {
            SkuKeys.CheckRunId(runId);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException("--resume: " + e.Message);
        }

        await using var silo = await StartGrains(storage, clustering, cancellationToken);
        var record = await silo.Grains.GetGrain<IReplayGrain>(runId).GetRecord()
            ?? throw new UserInputException(clustering is null
                ? $"--resume: no run '{runId}' is recorded in the {PostgresConnectionStrings.Describe(storage!.ConnectionString!)}."
                : $"--resume: no run '{runId}' is recorded on cluster {clustering.ClusterId} (a run is recorded when it was started with --state-writes every-chunk).");
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Resuming run {runId}: {record.ChunksCompleted:N0} of {record.ChunksTotal:N0} batch chunks were checkpointed (scenario {record.Plan.Source?.ScenarioPath}).")));
        var (report, outDir) = await CliProgress.RunAsync(context, async report =>
        {
            var progress = new Progress<ReplayStatus>(s => report(Label(s), s.Fraction));
            var prepared = await Task.Run(() => ReplayRunner.PrepareResume(record, progress), cancellationToken);

            // forecast policies resume too: their sources are rebuilt from the scenario here, or by the cluster's silos from
            // the recorded plan (forecasts depend on the data and origin only)
            var folder = run.OutDir ?? ReplayRunner.DefaultOutDir(runId);
            using var output = ResultWriter.Open(folder, run.Force);
            var result = await ReplayRunner.ResumeAsync(prepared, silo.Grains, silo.Forecasts, runId, output, WithLines(context, progress, checkpoints: true), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            output.Commit(result);
            return (result, folder);
        });
        Print(context, report, outDir);
        return SeasonalCli.Ok;
    }

    /// <summary>An embedded silo with the chosen storage; a database without this build's schema is reported as bad input.</summary>
    internal static async Task<EmbeddedSilo> StartSilo(StorageOptions? storage, CancellationToken cancellationToken)
    {
        try
        {
            return await EmbeddedSilo.StartAsync(EmbeddedSilo.PrivateOptions(storage), cancellationToken);
        }
        catch (Exception e) when (FindSchemaProblem(e) is { } problem)
        {
            throw new UserInputException(problem.Message);
        }
    }

    private static DatabaseSchemaException? FindSchemaProblem(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DatabaseSchemaException schema)
            {
                return schema;
            }
        }

        return null;
    }

    /// <summary>
    /// On a non-interactive console a run with checkpoints prints its progress as lines
    /// (<c>Replaying: 12,000 / 36,500 SKU-days (32%)</c>, at most every half second), so logs show how far it got.
    /// </summary>
    private static IProgress<ReplayStatus> WithLines(CliContext context, IProgress<ReplayStatus> progress, bool checkpoints)
    {
        if (context.Interactive || !checkpoints)
        {
            return progress;
        }

        var last = DateTime.MinValue;
        var lastDetail = "";
        var gate = new Lock();
        return new SynchronousProgress<ReplayStatus>(s =>
        {
            progress.Report(s);
            if (s.Stage != ReplayStage.Replaying)
            {
                return;
            }

            lock (gate)
            {
                var now = DateTime.UtcNow;
                if (s.Detail == lastDetail || (now - last < ProgressLineInterval && s.Fraction < 1))
                {
                    return;
                }

                last = now;
                lastDetail = s.Detail;
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Replaying: {s.Detail} ({s.Fraction:P0})"));
                context.Output.Flush();
            }
        });
    }

    internal static StateWrites ParseStateWrites(string? value) => value switch
    {
        "every-chunk" => StateWrites.EveryChunk,
        "on-close" => StateWrites.OnClose,
        _ => StateWrites.Never,
    };

    /// <summary>
    /// Stops the silo (or client) once it has started. One that never started has nothing to stop: its start was
    /// cancelled because the run failed first, or its own failure already reached the command when the run awaited it.
    /// </summary>
    internal static async Task DisposeSilo<T>(Task<T> silo)
        where T : IAsyncDisposable
    {
        T started;
        try
        {
            started = await silo;
        }
        catch (Exception)
        {
            return;
        }

        await started.DisposeAsync();
    }

    private static string Label(ReplayStatus s) => s.Stage switch
    {
        ReplayStage.Generating => "Generating dataset",
        ReplayStage.Reading => "Reading dataset",
        ReplayStage.Training => "Training the LSTM (first use)",
        ReplayStage.Replaying => "Replaying",
        _ => "Writing results",
    };

    private static void Print(CliContext context, ReplayReport report, string outDir)
    {
        var c = context.Console;
        var w = report.Window;
        c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Scenario {report.Scenario.Name}: {report.Skus:N0} SKUs x {w.Days} days ({w.Start:yyyy-MM-dd}..{w.End:yyyy-MM-dd}), {report.Policies.Count} policies, {report.Seconds:0.00} s through the grains.")));
        var table = new Table().AddColumns("policy", "fill rate", "cycle SL", "avg on hand", "turnover", "stockout days", "orders", "total cost", "cost/SKU-day");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var p in report.Policies)
        {
            var m = p.Metrics;
            table.AddRow(
                Markup.Escape(p.Label),
                m.FillRate.ToString("P1", CultureInfo.InvariantCulture),
                m.CycleServiceLevel.ToString("P1", CultureInfo.InvariantCulture),
                m.AverageOnHandUnits.ToString("N0", CultureInfo.InvariantCulture),
                m.Turnover?.ToString("N1", CultureInfo.InvariantCulture) ?? "-",
                m.StockoutDays.ToString("N0", CultureInfo.InvariantCulture),
                m.OrdersPlaced.ToString("N0", CultureInfo.InvariantCulture),
                m.TotalCost.ToString("N0", CultureInfo.InvariantCulture),
                m.CostPerSkuDay.ToString("N2", CultureInfo.InvariantCulture));
        }

        c.Write(table);
        if (report.Censoring is { } censored)
        {
            c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"Out of stock in the dataset: {censored.Window:N0} of {censored.WindowSkuDays:N0} SKU-days of the window (replayed as their sales, which understate demand) and {censored.History:N0} of {censored.HistorySkuDays:N0} of the history (skipped where parameters are derived).")));
        }

        c.MarkupLine(Markup.Escape($"Wrote {System.IO.Path.Combine(outDir, RunFiles.SummaryFile)} and {RunFiles.PerSkuFile}" +
            (report.Traces.Count > 0 ? $" and {ResultWriter.TraceFile}" : "")));
    }
}
