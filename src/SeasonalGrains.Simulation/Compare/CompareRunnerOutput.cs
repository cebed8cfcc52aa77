using System.Text.Json.Nodes;
using SeasonalGrains.Data.Csv;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Simulation.Reports;

namespace SeasonalGrains.Simulation.Compare;

/// <summary>
/// Writes a comparison's files: summary.json (run facts, one entry per policy with its totals, its
/// differences to the baseline with their bootstrap intervals, its forecast accuracy, its cost
/// breakdown and its gap to the hindsight bound; the hindsight bound; the frontier, and how tuned
/// policies were tuned), per-sku.csv, and the season report (report.html
/// and PNG charts, through <see cref="SeasonReportWriter"/>). Everything is written through <see cref="OutputFolder"/>:
/// into a temporary folder first, swapped in whole at the end, so a failure leaves nothing half-written.
/// </summary>
public static class CompareRunnerOutput
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Writes every file as the folder <paramref name="folder"/> (created if missing or empty; a folder that is not empty is
    /// refused unless <paramref name="replace"/>, and then replaced whole). Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Write(CompareResult result, string folder, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var names = new List<string>();
        var target = OutputFolder.Write(folder, replace, temp =>
        {
            ReportFiles.WriteText(temp, RunFiles.SummaryFile, ReportFiles.Json(Summary(result)));
            ReportFiles.WriteText(temp, RunFiles.PerSkuFile, PerSkuCsv(result));
            SeasonReportWriter.Write(Report(result), temp);
            names.AddRange(Directory.GetFiles(temp).Select(Path.GetFileName).OfType<string>());
        });
        return [.. names.Select(n => Path.Combine(target, n))];
    }

    public static JsonObject Summary(CompareResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Scenario;
        var policies = new JsonArray();
        foreach (var (row, v) in result.Rows.Zip(result.Variants))
        {
            var metrics = new JsonObject();
            MetricColumns.AddTo(metrics, row.Total);
            var differences = new JsonObject();
            foreach (var m in result.Metrics)
            {
                var d = row.Differences[m.Name];
                differences[Key(m.Name)] = new JsonObject
                {
                    ["estimate"] = Number(d.Estimate),
                    ["lower"] = Number(d.Lower),
                    ["upper"] = Number(d.Upper),
                    ["confidence"] = d.Confidence,
                    ["excludesZero"] = d.ExcludesZero,
                    ["higherIsBetter"] = m.HigherIsBetter,
                };
            }

            policies.Add(new JsonObject
            {
                ["policy"] = v.Variant.Label,
                ["series"] = v.Variant.Policy,
                ["name"] = v.Variant.Name,
                ["forecaster"] = v.Variant.Forecaster,
                ["tuned"] = v.Variant.Tuned,
                ["sweepValue"] = v.Variant.SweepValue,
                ["baseline"] = v.Variant.Label == result.Baseline,
                ["seconds"] = Math.Round(v.Seconds, 3),
                ["metrics"] = metrics,
                ["differences"] = differences,
                ["forecast"] = v.ForecastAccuracy is { } a ? Accuracy(a) : null,
                ["costBreakdown"] = Breakdown(CostBreakdown.Of(row.Total)),
                ["gapToHindsight"] = result.Hindsight?.GapOf(row.Total) is { } gap ? Gap(gap) : null,
            });
        }

        var frontier = new JsonArray();
        foreach (var p in result.Frontier)
        {
            frontier.Add(new JsonObject
            {
                ["series"] = p.Policy,
                ["label"] = p.Label,
                ["fillRate"] = p.Service,
                ["averageInventoryValue"] = p.InventoryValue,
                ["efficient"] = p.Efficient,
            });
        }

        var tuning = new JsonArray();
        foreach (var t in result.Tuning)
        {
            var chosen = new JsonObject();
            foreach (var g in t.Choices.GroupBy(c => c.Best.Label).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
            {
                chosen[g.Key] = g.Count();
            }

            tuning.Add(new JsonObject
            {
                ["policy"] = t.Label,
                ["name"] = t.Policy,
                ["scope"] = t.Scope == TuningScope.Sku ? "sku" : "category",
                ["grid"] = t.Grid,
                ["trainingStart"] = CsvFormat.FormatDate(t.TrainingStart),
                ["trainingEnd"] = CsvFormat.FormatDate(t.TrainingEnd),
                ["method"] = t.Method,
                ["trainingCost"] = t.Choices.Sum(c => c.TrainingCost),
                ["chosenPoints"] = chosen,
            });
        }

        var seconds = new JsonObject();
        foreach (var (k, v) in result.Seconds)
        {
            seconds[k] = Math.Round(v, 3);
        }

        return ResultWriter.RunSummary(s, result.RunId, result.Window, new JsonObject
        {
            ["skus"] = result.Skus.Count,
            ["baseline"] = result.Baseline,
            ["bootstrap"] = new JsonObject
            {
                ["method"] = "paired bootstrap over SKUs: each resample draws the SKUs with replacement, the same draws for every policy and metric; percentile interval",
                ["resamples"] = result.Bootstrap.Resamples,
                ["confidence"] = result.Bootstrap.Confidence,
                ["seed"] = result.Bootstrap.Seed,
            },
            ["outlook"] = new JsonObject
            {
                ["seed"] = s.Outlook.Seed,
                ["paths"] = s.Outlook.Paths,
                ["correlation"] = s.Outlook.Correlation,
                ["oracleCorrelation"] = 0,
            },
            ["sweep"] = s.Sweep is { } sweep ? new JsonObject { ["parameter"] = sweep.Parameter, ["values"] = new JsonArray([.. sweep.Values.Select(v => (JsonNode?)v)]) } : null,
            ["seconds"] = seconds,
            ["policies"] = policies,
            ["hindsight"] = result.Hindsight is { } h ? Hindsight(h) : null,
            ["frontier"] = frontier,
            ["tuning"] = tuning,
        });
    }

    public static string PerSkuCsv(CompareResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = Reports.PerSkuCsv.AppendHeader(new StringBuilder()).Append(",forecastIntervalMae,forecastIntervalCoverage\n");
        foreach (var v in result.Variants)
        {
            for (var i = 0; i < result.Skus.Count; i++)
            {
                Reports.PerSkuCsv.AppendRow(sb, v.Variant.Label, result.Skus[i], v.Metrics[i]);
                var log = v.Results[i].Forecasts;
                var a = log is null ? null : Grains.Forecasting.ForecastLogAccuracy.Of([log]);
                sb.Append(',').Append(a is { Count: > 0 } ? a.IntervalMae.ToString("R", Inv) : "");
                sb.Append(',').Append(a is { Count: > 0 } ? a.IntervalCoverage.ToString("R", Inv) : "");
                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>The season report of a comparison: table, frontier, forecast accuracy and a few SKUs' seasons.</summary>
    public static SeasonReport Report(CompareResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Scenario;
        var baseline = result.VariantOf(result.Baseline).Variant;
        var level = baseline.SweepValue ?? s.TargetServiceLevel;
        var shown = result.Variants
            .Where(v => v.Variant.Label == result.Baseline || (v.Variant.Forecaster is not null && (v.Variant.SweepValue is null || v.Variant.SweepValue == level)))
            .ToList();
        var traces = new List<SeasonSkuTrace>();
        for (var i = 0; i < result.Skus.Count; i++)
        {
            foreach (var v in shown)
            {
                var r = v.Results[i];
                if (r.Trace is not { } t)
                {
                    continue;
                }

                var log = r.Forecasts;
                traces.Add(new SeasonSkuTrace(
                    r.Sku, v.Variant.Label, result.Window.Start, t.Demand, t.OnHand, t.Ordered, log?.DayMean, log?.DayLower, log?.DayUpper,
                    log is null ? "forecast band" : $"forecast {log.LowerLevel * 100:0.#}-{log.UpperLevel * 100:0.#}%"));
            }
        }

        var notes = new List<string>
        {
            $"Every policy ran on the same {result.Skus.Count} SKUs and the same {result.Window.Days} days, each SKU through its own grain, " +
            $"with reviews every {s.ReviewPeriodDays} day(s), {(s.Fulfilment == Fulfilment.Backorders ? "backorders" : "lost sales")} and the scenario's costs.",
        };
        if (result.Variants.Any(v => v.Variant.Forecaster is not null))
        {
            notes.Add(
                $"Forecast policies order from an outlook of total demand over the protection interval (lead time + review period), drawn as {s.Outlook.Paths} sample paths " +
                $"per SKU and review from the forecaster's daily quantiles, joined by a Gaussian copula with correlation {s.Outlook.Correlation.ToString(Inv)} between days " +
                "(0 for the oracle, whose true daily draws are independent); the paths' random numbers depend only on the seed, the SKU and the day, so every policy sees the same ones.");
            notes.Add("oracle (perfect foresight) forecasts with the true demand distribution of the generated data (truth.csv): the best a forecaster can do.");
        }

        if (result.Importance.Count > 0)
        {
            var skus = result.Importance.Count(r => r.Sku != PermutationImportance.Overall) / FeatureGroups.All.Count;
            notes.Add(
                $"What moved the lstm's forecasts: its feature groups by permutation importance, {PermutationImportance.Describe(result.Importance)} " +
                $"(the increase of the mean pinball loss, in units, when a group's inputs are swapped between the forecasts of {skus} SKUs from origins every " +
                $"{CompareResult.ImportanceStepDays} days of the window after its training; the largest moved them most).");
        }

        notes.AddRange(result.Tuning.Select(t => t.Method));
        if (s.Sweep is { } sweep)
        {
            notes.Add($"Each policy ran at {sweep.Parameter} = {string.Join(", ", sweep.Values.Select(v => v.ToString(Inv)))} (label@value); " +
                "forecast policies take it as their service level, the classical ones derive their parameters from it; tuned policies ran once.");
        }

        return new SeasonReport
        {
            Title = $"Policy comparison: {s.Name}",
            Facts =
            [
                new("Scenario", s.Name),
                new("Window", $"{result.Window.Start:yyyy-MM-dd} .. {result.Window.End:yyyy-MM-dd} ({result.Window.Days} days)"),
                new("Training", $"{result.Window.HistoryDays} days before the window"),
                new("SKUs", result.Skus.Count.ToString("N0", Inv)),
                new("Review period", $"{s.ReviewPeriodDays} day(s)"),
                new("Fulfilment", s.Fulfilment == Fulfilment.Backorders ? "backorders" : "lost sales"),
                new("Run time", result.Seconds.TryGetValue("total", out var total) ? $"{total:0.0} s" : "-"),
            ],
            Baseline = result.Baseline,
            Policies = result.Rows,
            Hindsight = result.Hindsight,
            CostBreakdown = BreakdownRows(result),
            Frontier = result.Frontier,
            ServiceMeasure = "fill rate",
            Forecasts = [.. result.Variants.Where(v => v.Variant.Forecaster is not null).Select(v => new SeasonForecastRow(v.Variant.Label, v.ForecastAccuracy!))],
            Traces = traces,
            Notes = notes,
        };
    }

    /// <summary>The cost breakdown of every policy's totals, then of the hindsight bound's plans of lowest total cost.</summary>
    public static IReadOnlyList<SeasonCostRow> BreakdownRows(CompareResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = result.Rows.Select(r => new SeasonCostRow(r.Policy, CostBreakdown.Of(r.Total))).ToList();
        if (result.Hindsight is { } h)
        {
            rows.Add(new SeasonCostRow(HindsightResult.Label, CostBreakdown.Of(h.Total)));
        }

        return rows;
    }

    private static JsonObject Hindsight(HindsightResult h)
    {
        var metrics = new JsonObject();
        MetricColumns.AddTo(metrics, h.Total);
        var operating = new JsonObject();
        MetricColumns.AddTo(operating, h.OperatingTotal);
        return new JsonObject
        {
            ["policy"] = HindsightResult.Label,
            ["description"] = HindsightResult.Description,
            ["totalCost"] = Number(h.TotalCost),
            ["operatingCost"] = Number(h.OperatingCost),
            ["relaxedSkus"] = h.RelaxedSkus,
            ["unreachedSkus"] = h.UnreachedSkus,
            ["metrics"] = metrics,
            ["operatingCostPlanMetrics"] = operating,
            ["costBreakdown"] = Breakdown(CostBreakdown.Of(h.Total)),
        };
    }

    private static JsonObject Gap(HindsightGap g) => new()
    {
        ["totalCost"] = Number(g.TotalCost),
        ["totalCostPercent"] = g.TotalCostShare is { } t ? Number(t * 100) : null,
        ["operatingCost"] = Number(g.OperatingCost),
        ["operatingCostPercent"] = g.OperatingCostShare is { } o ? Number(o * 100) : null,
    };

    private static JsonObject Breakdown(CostBreakdown b) => new()
    {
        ["holding"] = Number(b.Holding),
        ["shortage"] = Number(b.Shortage),
        ["ordering"] = Number(b.Ordering),
        ["purchaseMinusSalvage"] = Number(b.PurchaseMinusSalvage),
        ["totalCost"] = Number(b.TotalCost),
        ["leftoverUnits"] = Number(b.LeftoverUnits),
        ["leftoverValue"] = Number(b.LeftoverValue),
        ["ordersPlaced"] = b.OrdersPlaced,
        ["unitsOrdered"] = Number(b.UnitsOrdered),
        ["meanOrderSize"] = b.MeanOrderSize is { } m ? Number(m) : null,
    };

    private static JsonObject Accuracy(OutlookAccuracy a) => new()
    {
        ["reviews"] = a.Count,
        ["intervalMae"] = Number(a.IntervalMae),
        ["intervalBias"] = Number(a.IntervalBias),
        ["intervalWape"] = Number(a.IntervalWape),
        ["intervalCoverage"] = Number(a.IntervalCoverage),
        ["dayMae"] = Number(a.DayMae),
        ["dayBias"] = Number(a.DayBias),
        ["dayCoverage"] = Number(a.DayCoverage),
        ["bandLower"] = a.LowerLevel,
        ["bandUpper"] = a.UpperLevel,
    };

    private static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>"average inventory value" → "averageInventoryValue".</summary>
    private static string Key(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(parts.Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
