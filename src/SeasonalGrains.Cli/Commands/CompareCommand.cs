using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Simulation.Compare;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Reports;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// <c>seasonal compare --scenario FILE --policies sS,rule,forecast-order-up-to:ets [--baseline sS] [--out DIR]</c>:
/// replays several policies on the same SKUs and days through the grains of an embedded silo (or, with
/// <c>--clustering postgres</c>, of a running cluster's silos, joined as a client) and compares them with a baseline (paired bootstrap over SKUs) and with the hindsight bound, with a
/// breakdown of where each policy's cost comes from.
/// </summary>
public sealed class CompareCommand : CliCommand
{
    private readonly Option<FileInfo> _scenario = CliOptions.Required<FileInfo>("--scenario", "-s", "The scenario file (JSON).");

    private readonly Option<string[]> _policies = new("--policies", "-p")
    {
        Description = "Policies to compare, comma-separated: labels of the scenario's policies or names such as sS, sS-tuned, rule, " +
            "forecast-order-up-to:ets, forecast-order-up-to:oracle (default: the scenario's policies).",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> _baseline = CliOptions.Optional<string?>("--baseline", "-b", "The policy the others are compared with (default: the first).");

    private readonly Option<int> _resamples = CliOptions.Defaulted(
        "--resamples", "Bootstrap resamples for the confidence intervals.", BootstrapOptions.DefaultResamples);

    private readonly Option<bool> _noHindsight = CliOptions.Optional<bool>(
        "--no-hindsight", "Leave out the hindsight row (the lowest cost reachable with each SKU's demand known in advance) and the gaps to it.");

    private readonly GrainRunOptions _run = new();

    public override IReadOnlyList<string> Path => ["compare"];

    public override string Description =>
        "Compare policies on the same data through the grains: fill rate, service, stockouts, inventory, cost, differences to a baseline with 95% CIs, " +
        "the service-versus-inventory frontier, each policy's gap to the hindsight bound and where its cost comes from. Writes summary.json, per-sku.csv and report.html.";

    public override IEnumerable<Symbol> Symbols => [_scenario, _policies, _baseline, _run.Out, _run.Force, _resamples, _run.ChunkDays, _noHindsight, .. _run.Storage.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var resamples = parse.GetValue(_resamples);
        if (resamples < 100)
        {
            throw new UserInputException($"--resamples must be at least 100 (got {resamples}).");
        }

        var run = _run.Resolve(parse);
        var policies = (parse.GetValue(_policies) ?? [])
            .SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        var request = new CompareRequest
        {
            ScenarioPath = parse.GetRequiredValue(_scenario).FullName,
            Policies = policies,
            Baseline = parse.GetValue(_baseline),
            OutDir = run.OutDir,
            Bootstrap = new BootstrapOptions(Resamples: resamples),
            ChunkDays = run.ChunkDays,
            Hindsight = !parse.GetValue(_noHindsight),
        };

        // The silo starts (or the cluster is joined) while the dataset is read; a run that fails first stops it starting.
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var silo = ReplayCommand.StartGrains(run.Storage, run.Clustering, starting.Token);
        try
        {
            var (result, folder) = await CliProgress.RunAsync(context, async report =>
            {
                var progress = new Progress<CompareStatus>(s => report(s.Stage, s.Fraction));
                var started = await silo;
                var compared = await CompareRunner.RunAsync(request, started.Grains, started.Forecasts, progress, cancellationToken);
                var outDir = request.OutDir ?? ReplayRunner.DefaultOutDir(compared.RunId);
                cancellationToken.ThrowIfCancellationRequested();
                report("Writing results", 0);
                CompareRunnerOutput.Write(compared, outDir, run.Force);
                report("Writing results", 1);
                return (compared, outDir);
            });
            Print(context, result, folder);
            return SeasonalCli.Ok;
        }
        finally
        {
            await starting.CancelAsync();
            await ReplayCommand.DisposeSilo(silo);
        }
    }

    private static void Print(CliContext context, CompareResult result, string folder)
    {
        var c = context.Console;
        var inv = CultureInfo.InvariantCulture;
        var w = result.Window;
        var confidence = result.Bootstrap.Confidence * 100;
        c.MarkupLine(Markup.Escape(string.Create(inv,
            $"Scenario {result.Scenario.Name}: {result.Skus.Count:N0} SKUs x {w.Days} days ({w.Start:yyyy-MM-dd}..{w.End:yyyy-MM-dd}), {result.Variants.Count} policies; baseline {result.Baseline}; " +
            $"{result.Seconds.GetValueOrDefault("total"):0.0} s (prepare {result.Seconds.GetValueOrDefault("prepare"):0.0}, tuning {result.Seconds.GetValueOrDefault("tuning"):0.0}, replay {result.Seconds.GetValueOrDefault("replay"):0.0}).")));
        var table = new Table().AddColumns(
            "policy", "fill rate", "cycle SL", "stockout d", "lost", "avg inv", "turns", "leftover", "total cost");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned().NoWrap();
        }

        var ci = $"{confidence:0.#}% CI";
        var differences = new Table().AddColumns(
            "policy", "Δ total cost (thousands)", "Δ operating cost (thousands)", "Δ fill rate (pp)", "Δ avg inventory value (thousands)");
        differences.Columns[0].NoWrap();
        table.Columns[0].NoWrap();
        foreach (var column in differences.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var row in result.Rows)
        {
            var m = row.Total;
            var baseline = row.Policy == result.Baseline;
            var name = Markup.Escape(row.Policy + (baseline ? " (baseline)" : ""));
            table.AddRow(MetricCells(name, m, m.TotalCost));
            if (!baseline)
            {
                static string SignedThousands(double v) => (v / 1000).ToString("+#,0.0;-#,0.0;0.0", CultureInfo.InvariantCulture);
                differences.AddRow(
                    name,
                    Markup.Escape(Interval(row.CostDifference, SignedThousands)),
                    Markup.Escape(Interval(row.Differences.GetValueOrDefault(CompareMetric.OperatingCost.Name), SignedThousands)),
                    Markup.Escape(Interval(row.FillRateDifference, v => (v * 100).ToString("+0.00;-0.00;0.00", inv))),
                    Markup.Escape(Interval(row.Differences.GetValueOrDefault(CompareMetric.AverageInventoryValue.Name), SignedThousands)));
            }
        }

        if (result.Hindsight is { } bound)
        {
            table.AddRow(MetricCells(HindsightResult.Label, bound.Total, bound.TotalCost));
        }

        c.Write(table);
        if (result.Rows.Count > 1)
        {
            c.MarkupLine(Markup.Escape($"Differences to {result.Baseline} (policy - baseline): estimate [{ci}], paired bootstrap over SKUs ({result.Bootstrap.Resamples} resamples):"));
            c.Write(differences);
        }

        if (result.Hindsight is { } h)
        {
            c.MarkupLine(Markup.Escape(
                "Gap to hindsight (policy - the lowest cost reachable with each SKU's demand known in advance; total and operating cost each from their own plan" +
                (h.RelaxedSkus > 0 ? string.Create(inv, $"; {h.RelaxedSkus} SKUs with MOQ or case pack planned without them, {h.UnreachedSkus} of them not reachable") : "") + "):"));
            var gaps = new Table().AddColumns("policy", "total cost", "gap", "gap %", "operating cost", "gap", "gap %");
            gaps.Columns[0].NoWrap();
            foreach (var column in gaps.Columns.Skip(1))
            {
                column.RightAligned().NoWrap();
            }

            foreach (var row in result.Rows)
            {
                var gap = h.GapOf(row.Total);
                gaps.AddRow(
                    Markup.Escape(row.Policy),
                    row.Total.TotalCost.ToString("N0", inv),
                    gap.TotalCost.ToString("+#,0;-#,0;0", inv),
                    gap.TotalCostShare?.ToString("+0.0%;-0.0%;0.0%", inv) ?? "-",
                    row.Total.OperatingCost.ToString("N0", inv),
                    gap.OperatingCost.ToString("+#,0;-#,0;0", inv),
                    gap.OperatingCostShare?.ToString("+0.0%;-0.0%;0.0%", inv) ?? "-");
            }

            gaps.AddRow(HindsightResult.Label, h.TotalCost.ToString("N0", inv), "0", "0.0%", h.OperatingCost.ToString("N0", inv), "0", "0.0%");
            c.Write(gaps);
        }

        c.MarkupLine(Markup.Escape("Where the cost comes from (thousands, summed over SKUs; total cost = holding + shortage + ordering + purchase - salvage; leftover units and value at cost):"));
        var breakdown = new Table().AddColumns(
            "policy", "holding", "shortage", "ordering", "purchase\n-salvage", "total\ncost", "left\nunits", "left\nvalue", "orders", "mean\norder");
        breakdown.Columns[0].NoWrap();
        foreach (var column in breakdown.Columns.Skip(1))
        {
            column.RightAligned().NoWrap();
        }

        static string Thousands(double v) => (v / 1000).ToString("#,0.0", CultureInfo.InvariantCulture);
        foreach (var row in CompareRunnerOutput.BreakdownRows(result))
        {
            var b = row.Breakdown;
            breakdown.AddRow(
                Markup.Escape(row.Policy),
                Thousands(b.Holding),
                Thousands(b.Shortage),
                Thousands(b.Ordering),
                Thousands(b.PurchaseMinusSalvage),
                Thousands(b.TotalCost),
                b.LeftoverUnits.ToString("N0", inv),
                Thousands(b.LeftoverValue),
                b.OrdersPlaced.ToString("N0", inv),
                b.MeanOrderSize?.ToString("N1", inv) ?? "-");
        }

        c.Write(breakdown);
        var efficient = result.Frontier.Where(p => p.Efficient).Select(p => p.Policy == p.Label ? p.Policy : $"{p.Policy}@{p.Label}");
        c.MarkupLine(Markup.Escape("Frontier (fill rate vs average inventory value), efficient: " + string.Join(", ", efficient)));
        var forecasts = result.Variants.Where(v => v.Variant.Forecaster is not null).ToList();
        if (forecasts.Count > 0)
        {
            var accuracy = new Table().AddColumns("forecasts of", "reviews", "interval MAE", "interval bias", "interval coverage", "day MAE", "day coverage");
            foreach (var column in accuracy.Columns.Skip(1))
            {
                column.RightAligned();
            }

            foreach (var v in forecasts)
            {
                var a = v.ForecastAccuracy!;
                accuracy.AddRow(
                    Markup.Escape(v.Variant.Label),
                    a.Count.ToString("N0", inv),
                    a.IntervalMae.ToString("N2", inv),
                    a.IntervalBias.ToString("+0.00;-0.00;0.00", inv),
                    a.IntervalCoverage.ToString("P1", inv),
                    a.DayMae.ToString("N2", inv),
                    a.DayCoverage.ToString("P1", inv));
            }

            c.Write(accuracy);
            c.MarkupLine(Markup.Escape(string.Create(inv, $"Coverage: share of realised totals inside the forecast's {forecasts[0].ForecastAccuracy!.LowerLevel * 100:0.#}-{forecasts[0].ForecastAccuracy!.UpperLevel * 100:0.#}% band.")));
        }

        foreach (var t in result.Tuning)
        {
            c.MarkupLine(Markup.Escape(t.Method));
        }

        c.MarkupLine(Markup.Escape($"Wrote {System.IO.Path.Combine(folder, RunFiles.SummaryFile)}, {RunFiles.PerSkuFile} and report.html"));
    }

    /// <summary>One row of the comparison table: the label and the metrics it shows (total cost given, as the hindsight row's is its own plan's).</summary>
    private static string[] MetricCells(string label, InventoryMetrics m, double totalCost)
    {
        var inv = CultureInfo.InvariantCulture;
        return
        [
            label,
            m.FillRate.ToString("P1", inv),
            m.CycleServiceLevel.ToString("P1", inv),
            m.StockoutDays.ToString("N0", inv),
            m.UnitsLost.ToString("N0", inv),
            m.AverageOnHandValue.ToString("N0", inv),
            m.Turnover?.ToString("N2", inv) ?? "-",
            m.LeftoverValue.ToString("N0", inv),
            totalCost.ToString("N0", inv),
        ];
    }

    private static string Interval(BootstrapInterval? d, Func<double, string> format) =>
        d is null ? "-" : $"{format(d.Estimate)} [{format(d.Lower)}, {format(d.Upper)}]";
}
