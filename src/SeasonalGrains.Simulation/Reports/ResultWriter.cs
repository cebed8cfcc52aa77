using System.Text.Json.Nodes;
using SeasonalGrains.Data.Csv;

namespace SeasonalGrains.Simulation.Reports;

/// <summary>
/// Writes a replay's files: summary.json, per-sku.csv and, when SKUs were traced, trace.csv. All files
/// are written through <see cref="OutputFolder"/>: into a temporary folder first, swapped in whole at the end,
/// so a failure leaves nothing half-written and no file of an earlier run sits beside the new ones. per-sku.csv is
/// written while the run goes (<see cref="Open"/>), its rows as the SKUs finish; the rest at <see cref="ReplayOutput.Commit"/>.
/// </summary>
public static class ResultWriter
{
    public const string TraceFile = "trace.csv";

    /// <summary>
    /// Starts writing a replay's files as the folder <paramref name="folder"/>: created if missing or empty; a folder that is
    /// not empty is refused (<see cref="OutputFolderException"/>) unless <paramref name="replace"/>, and then replaced whole at
    /// <see cref="ReplayOutput.Commit"/>. Give the output to the replay as its result sink.
    /// </summary>
    public static ReplayOutput Open(string folder, bool replace = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return new ReplayOutput(OutputFolder.Create(folder, replace));
    }

    public static JsonObject Summary(ReplayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Scenario;
        var skuDays = (long)report.Skus * report.Window.Days * report.Policies.Count;
        var policies = new JsonArray();
        foreach (var p in report.Policies)
        {
            var entry = new JsonObject
            {
                ["policy"] = p.Label,
                ["name"] = p.Name,
                ["seconds"] = Math.Round(p.Seconds, 3),
            };
            MetricColumns.AddTo(entry, p.Metrics);
            policies.Add(entry);
        }

        var details = new JsonObject
        {
            ["skus"] = report.Skus,
            ["days"] = report.Window.Days,
            ["skuDays"] = skuDays,
            ["chunkDays"] = report.ChunkDays,
            ["seconds"] = Math.Round(report.Seconds, 3),
            ["skuDaysPerSecond"] = report.Seconds > 0 ? Math.Round(skuDays / report.Seconds) : null,
        };
        if (report.Censoring is { } censoring)
        {
            details["censoredSkuDays"] = new JsonObject
            {
                ["window"] = censoring.Window,
                ["windowSkuDays"] = censoring.WindowSkuDays,
                ["history"] = censoring.History,
                ["historySkuDays"] = censoring.HistorySkuDays,
            };
        }

        details["policies"] = policies;
        return RunSummary(s, report.RunId, report.Window, details);
    }

    /// <summary>
    /// A summary.json: the facts every run starts with (scenario, dataset, run id, window, replay options),
    /// then the run's own <paramref name="details"/> (moved in, in order).
    /// </summary>
    internal static JsonObject RunSummary(Scenario s, string runId, ReplayWindow window, JsonObject details)
    {
        var summary = new JsonObject
        {
            ["scenario"] = s.Name,
            ["scenarioFile"] = s.SourcePath,
            ["dataset"] = s.DatasetFolder,
            ["runId"] = runId,
            ["window"] = new JsonObject
            {
                ["start"] = CsvFormat.FormatDate(window.Start),
                ["end"] = CsvFormat.FormatDate(window.End),
                ["days"] = window.Days,
            },
            ["historyDays"] = window.HistoryDays,
            ["fulfilment"] = s.Fulfilment == Fulfilment.Backorders ? "backorders" : "lostSales",
            ["reviewPeriodDays"] = s.ReviewPeriodDays,
            ["targetServiceLevel"] = s.TargetServiceLevel,
        };
        foreach (var (key, value) in details.ToList())
        {
            details.Remove(key);
            summary[key] = value;
        }

        return summary;
    }

    public static string TraceCsv(ReplayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder("policy,sku,date,demand,onHand,onOrder,backorders,ordered,received,shortage\n");
        foreach (var t in report.Traces)
        {
            for (var d = 0; d < t.Trace.Demand.Length; d++)
            {
                CsvFormat.AppendField(sb, t.Policy);
                sb.Append(',');
                CsvFormat.AppendField(sb, t.Sku);
                sb.Append(',');
                CsvFormat.AppendDate(sb, report.Window.Start.AddDays(d));
                foreach (var series in new[] { t.Trace.Demand, t.Trace.OnHand, t.Trace.OnOrder, t.Trace.Backorders, t.Trace.Ordered, t.Trace.Received, t.Trace.Shortage })
                {
                    sb.Append(',').Append(series[d].ToString("R", CultureInfo.InvariantCulture));
                }

                sb.Append('\n');
            }
        }

        return sb.ToString();
    }
}
