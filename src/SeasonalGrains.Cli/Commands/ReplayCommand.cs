using System.CommandLine;
using System.Globalization;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Simulation.Hosting;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Reports;
using Spectre.Console;

namespace SeasonalGrains.Cli.Commands;

/// <summary><c>seasonal replay --scenario FILE</c>: replays a scenario through the grains of an embedded silo.</summary>
public sealed class ReplayCommand : CliCommand
{
    private readonly Option<FileInfo> _scenario = new("--scenario", "-s")
    {
        Description = "The scenario file (JSON).",
        Required = true,
    };

    private readonly Option<DirectoryInfo?> _out = new("--out", "-o")
    {
        Description = "Output folder (default: runs/<scenario>-<timestamp>).",
    };

    private readonly Option<string[]> _policy = new("--policy", "-p")
    {
        Description = "Replay only these policies (labels in the scenario); repeat for several.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<int?> _chunkDays = new("--chunk-days")
    {
        Description = "Days per grain call (default: the scenario's chunkDays, else 365).",
    };

    private readonly Option<string> _stateWrites = new("--state-writes")
    {
        Description = "When SKU grains write their state: never (default), on-close, or every-chunk (checkpoints to resume from).",
        DefaultValueFactory = _ => "never",
    };

    public ReplayCommand()
    {
        _stateWrites.AcceptOnlyFromAmong("on-close", "every-chunk", "never");
    }

    public override IReadOnlyList<string> Path => ["replay"];

    public override string Description => "Replay a scenario's window through per-SKU grains and write summary.json and per-sku.csv.";

    public override IEnumerable<Symbol> Symbols => [_scenario, _out, _policy, _chunkDays, _stateWrites];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var chunkDays = parse.GetValue(_chunkDays);
        if (chunkDays is < 1)
        {
            throw new UserInputException($"--chunk-days must be at least 1 (got {chunkDays}).");
        }

        var request = new ReplayRequest
        {
            ScenarioPath = parse.GetRequiredValue(_scenario).FullName,
            OutDir = parse.GetValue(_out)?.FullName,
            Policies = parse.GetValue(_policy) ?? [],
            ChunkDays = chunkDays,
            StateWrites = ParseStateWrites(parse.GetValue(_stateWrites)),
        };

        // The silo starts while the dataset is read.
        var silo = EmbeddedSilo.StartAsync(cancellationToken: cancellationToken);
        try
        {
            var (report, outDir) = await CliProgress.RunAsync(context, async report =>
            {
                var progress = new Progress<ReplayStatus>(s => report(Label(s), s.Fraction));
                var prepared = await Task.Run(() => ReplayRunner.Prepare(request, progress), cancellationToken);
                var grains = (await silo).Grains;
                var result = await ReplayRunner.ReplayAsync(prepared, grains, progress, cancellationToken);
                var folder = request.OutDir ?? ReplayRunner.DefaultOutDir(prepared.Scenario.Name);
                cancellationToken.ThrowIfCancellationRequested();
                ResultWriter.Write(result, folder);
                return (result, folder);
            });
            Print(context, report, outDir);
            return SeasonalCli.Ok;
        }
        finally
        {
            await DisposeSilo(silo);
        }
    }

    internal static StateWrites ParseStateWrites(string? value) => value switch
    {
        "every-chunk" => StateWrites.EveryChunk,
        "on-close" => StateWrites.OnClose,
        _ => StateWrites.Never,
    };

    internal static async Task DisposeSilo(Task<EmbeddedSilo> silo)
    {
        try
        {
            await (await silo).DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // the silo never started
        }
    }

    private static string Label(ReplayStatus s) => s.Stage switch
    {
        ReplayStage.Generating => "Generating dataset",
        ReplayStage.Reading => "Reading dataset",
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
        c.MarkupLine(Markup.Escape($"Wrote {System.IO.Path.Combine(outDir, ResultWriter.SummaryFile)} and {ResultWriter.PerSkuFile}" +
            (report.Traces.Count > 0 ? $" and {ResultWriter.TraceFile}" : "")));
    }
}
