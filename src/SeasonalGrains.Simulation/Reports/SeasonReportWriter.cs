using ScottPlot;
using SeasonalGrains.Simulation.Compare;

namespace SeasonalGrains.Simulation.Reports;

/// <summary>
/// Writes the season report: report.html, one self-contained page (inline CSS and inline SVG charts;
/// no script, no image files, no network), and PNG charts for slides. Each chart is drawn once with
/// ScottPlot and rendered twice, as SVG for the page and as PNG. With a hindsight bound, the table gets a hindsight row and each
/// policy's gap to it; with a cost breakdown, a table and a stacked bar chart of where the cost comes from.
/// </summary>
public static class SeasonReportWriter
{
    public const string HtmlFile = "report.html";
    public const string DifferencePng = "cost-difference.png";
    public const string FrontierPng = "frontier.png";
    public const string BreakdownPng = "cost-breakdown.png";

    /// <summary>The parts of a cost breakdown's stacked bars, in stacking order, with their colours.</summary>
    private static readonly IReadOnlyList<(string Name, string Color)> BreakdownParts =
        [("holding", "#0072b2"), ("shortage", "#d55e00"), ("ordering", "#e69f00"), ("purchase − salvage", "#009e73")];

    /// <summary>Colours of successive series (colour-blind-safe order).</summary>
    private static readonly IReadOnlyList<string> Palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7f3c8d", "#333333"];

    private const double ChartWidth = 1080;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes report.html and the PNGs into <paramref name="folder"/> (created if missing). Returns the paths written.</summary>
    public static IReadOnlyList<string> Write(SeasonReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        var html = ReportFiles.WriteText(folder, HtmlFile, RenderHtml(report));
        return [html, .. WritePngs(report, folder)];
    }

    /// <summary>The report page as one HTML string.</summary>
    public static string RenderHtml(SeasonReport report)
    {
        Validate(report);
        var baseline = report.Policies.First(p => p.Policy == report.Baseline);
        var days = Math.Max(1, baseline.Total.Days);
        var charts = Charts(report).ToDictionary(c => c.Id);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append(Inv, $"<title>{Esc(report.Title)}</title>\n<style>\n{Css}\n</style>\n</head>\n<body>\n<main>\n");
        sb.Append(Inv, $"<h1>{Esc(report.Title)}</h1>\n");
        if (report.Facts.Count > 0)
        {
            sb.Append("<dl class=\"facts\">");
            foreach (var f in report.Facts)
            {
                sb.Append(Inv, $"<div><dt>{Esc(f.Name)}</dt><dd>{Esc(f.Value)}</dd></div>");
            }

            sb.Append("</dl>\n");
        }

        // the comparison table
        var confidence = baseline.CostDifference?.Confidence ?? 0.95;
        var ci = $"{confidence * 100:0.#}% CI";
        sb.Append("<section id=\"policies\">\n<h2>Policies</h2>\n");
        sb.Append(Inv, $"<p class=\"lead\">Totals over all SKUs. Differences are policy minus the baseline <b>{Esc(report.Baseline)}</b>, with a {ci} from a paired bootstrap over SKUs ({baseline.CostDifference?.Resamples ?? 0} resamples). Green: better than the baseline with the interval clear of zero; red: worse; grey: not distinguishable.</p>\n");
        var hindsight = report.Hindsight;
        sb.Append("<div class=\"scroll\"><table id=\"comparison\">\n<thead><tr>");
        string[] gapHeaders = hindsight is null ? [] : ["Operating cost", "Gap to hindsight, total cost", "Gap to hindsight, operating cost"];
        foreach (var h in new[] { "Policy", "Fill rate", "Cycle service", "Stockout days", "Lost units", "Avg inventory value", "Turnover", "Leftover at end", "Total cost", $"Δ total cost ({ci})", $"Δ fill rate ({ci})" }.Concat(gapHeaders))
        {
            sb.Append(Inv, $"<th>{Esc(h)}</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in report.Policies)
        {
            var m = row.Total;
            var isBaseline = row.Policy == report.Baseline;
            sb.Append(Inv, $"<tr{(isBaseline ? " class=\"baseline\"" : string.Empty)}><th scope=\"row\">{Esc(row.Policy)}{(isBaseline ? " <span class=\"tag\">baseline</span>" : string.Empty)}</th>");
            sb.Append(Inv, $"<td>{Percent(m.FillRate)}</td><td>{Percent(m.CycleServiceLevel)}</td><td>{m.StockoutDays.ToString("N0", Inv)}</td>");
            sb.Append(Inv, $"<td>{m.UnitsLost.ToString("N0", Inv)}</td><td>{m.AverageOnHandValue.ToString("N0", Inv)}</td>");
            sb.Append(Inv, $"<td>{(m.Turnover is { } t ? t.ToString("0.0", Inv) : "–")}</td>");
            sb.Append(Inv, $"<td>{m.LeftoverValue.ToString("N0", Inv)}<br><small>{m.LeftoverUnits.ToString("N0", Inv)} units</small></td>");
            sb.Append(Inv, $"<td>{m.TotalCost.ToString("N0", Inv)}</td>");
            sb.Append(DifferenceCell(row.CostDifference, higherIsBetter: false, isBaseline, v => Signed(v, "N0")));
            sb.Append(DifferenceCell(row.FillRateDifference, higherIsBetter: true, isBaseline, v => Signed(v * 100, "0.00") + " pp"));
            if (hindsight is not null)
            {
                var gap = hindsight.GapOf(m);
                sb.Append(Inv, $"<td>{m.OperatingCost.ToString("N0", Inv)}</td>");
                sb.Append(GapCell(gap.TotalCost, gap.TotalCostShare)).Append(GapCell(gap.OperatingCost, gap.OperatingCostShare));
            }

            sb.Append("</tr>\n");
        }

        if (hindsight is not null)
        {
            var m = hindsight.Total;
            sb.Append(Inv, $"<tr class=\"hindsight\"><th scope=\"row\">{HindsightResult.Label} <span class=\"tag\">bound</span></th>");
            sb.Append(Inv, $"<td>{Percent(m.FillRate)}</td><td>{Percent(m.CycleServiceLevel)}</td><td>{m.StockoutDays.ToString("N0", Inv)}</td>");
            sb.Append(Inv, $"<td>{m.UnitsLost.ToString("N0", Inv)}</td><td>{m.AverageOnHandValue.ToString("N0", Inv)}</td>");
            sb.Append(Inv, $"<td>{(m.Turnover is { } t ? t.ToString("0.0", Inv) : "–")}</td>");
            sb.Append(Inv, $"<td>{m.LeftoverValue.ToString("N0", Inv)}<br><small>{m.LeftoverUnits.ToString("N0", Inv)} units</small></td>");
            sb.Append(Inv, $"<td>{hindsight.TotalCost.ToString("N0", Inv)}</td><td class=\"diff\">–</td><td class=\"diff\">–</td>");
            sb.Append(Inv, $"<td>{hindsight.OperatingCost.ToString("N0", Inv)}</td><td class=\"diff\">–</td><td class=\"diff\">–</td></tr>\n");
        }

        sb.Append("</tbody>\n</table></div>\n");
        if (hindsight is not null)
        {
            sb.Append(Inv, $"<p class=\"note\">{Esc(HindsightResult.Description)} Gap: policy minus the bound, and as a share of the bound.");
            if (hindsight.RelaxedSkus > 0)
            {
                sb.Append(Inv, $" {hindsight.RelaxedSkus} SKU(s) have an MOQ or case pack; the plans of {hindsight.UnreachedSkus} of them break it.");
            }

            sb.Append("</p>\n");
        }
        if (charts.ContainsKey("chart-difference"))
        {
            sb.Append("<figure>");
            sb.Append(InlineSvg(charts["chart-difference"]));
            sb.Append("</figure>\n");
        }

        sb.Append("</section>\n");

        if (report.CostBreakdown.Count > 0)
        {
            sb.Append("<section id=\"cost-breakdown\">\n<h2>Where the cost comes from</h2>\n");
            sb.Append("<p class=\"lead\">Total cost = holding + shortage + ordering + purchase minus the salvage credit of the leftovers, summed over the SKUs.</p>\n");
            sb.Append("<div class=\"scroll\"><table id=\"breakdown\">\n<thead><tr>");
            foreach (var h in new[] { "Policy", "Holding", "Shortage", "Ordering", "Purchase − salvage", "Total cost", "Leftover units", "Leftover value", "Orders", "Mean order size" })
            {
                sb.Append(Inv, $"<th>{Esc(h)}</th>");
            }

            sb.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in report.CostBreakdown)
            {
                var b = row.Breakdown;
                var css = row.Policy == HindsightResult.Label ? " class=\"hindsight\"" : string.Empty;
                sb.Append(Inv, $"<tr{css}><th scope=\"row\">{Esc(row.Policy)}</th><td>{b.Holding.ToString("N0", Inv)}</td><td>{b.Shortage.ToString("N0", Inv)}</td>");
                sb.Append(Inv, $"<td>{b.Ordering.ToString("N0", Inv)}</td><td>{b.PurchaseMinusSalvage.ToString("N0", Inv)}</td><td>{b.TotalCost.ToString("N0", Inv)}</td>");
                sb.Append(Inv, $"<td>{b.LeftoverUnits.ToString("N0", Inv)}</td><td>{b.LeftoverValue.ToString("N0", Inv)}</td><td>{b.OrdersPlaced.ToString("N0", Inv)}</td>");
                sb.Append(Inv, $"<td>{(b.MeanOrderSize is { } size ? size.ToString("N1", Inv) : "–")}</td></tr>\n");
            }

            sb.Append("</tbody>\n</table></div>\n<figure>");
            sb.Append(InlineSvg(charts["chart-breakdown"]));
            sb.Append("</figure>\n</section>\n");
        }

        // frontier
        if (report.Frontier.Count > 0)
        {
            sb.Append("<section id=\"frontier\">\n<h2>Service versus inventory</h2>\n");
            sb.Append(Inv, $"<p class=\"lead\">Each point is a policy: {Esc(report.ServiceMeasure)} against the average value of stock on hand. The dashed line joins the efficient points (no other point has as much service for less stock).</p>\n<figure>");
            sb.Append(InlineSvg(charts["chart-frontier"]));
            sb.Append("</figure>\n</section>\n");
        }

        // forecasts
        if (report.Forecasts.Count > 0)
        {
            sb.Append("<section id=\"forecasts\">\n<h2>Forecasts during the replay</h2>\n<div class=\"scroll\"><table>\n<thead><tr>");
            var a0 = report.Forecasts[0].Accuracy;
            var band = $"{a0.LowerLevel * 100:0.#}-{a0.UpperLevel * 100:0.#}%";
            foreach (var h in new[] { "Source", "Reviews", "Interval MAE", "Interval bias", "Interval WAPE", $"Interval in {band} band", "Day MAE", "Day bias", $"Day in {band} band" })
            {
                sb.Append(Inv, $"<th>{Esc(h)}</th>");
            }

            sb.Append("</tr></thead>\n<tbody>\n");
            foreach (var f in report.Forecasts)
            {
                var a = f.Accuracy;
                sb.Append(Inv, $"<tr><th scope=\"row\">{Esc(f.Source)}</th><td>{a.Count.ToString("N0", Inv)}</td><td>{Fixed(a.IntervalMae)}</td><td>{Fixed(a.IntervalBias)}</td>");
                sb.Append(Inv, $"<td>{Percent(a.IntervalWape)}</td><td>{Percent(a.IntervalCoverage)}</td><td>{Fixed(a.DayMae)}</td><td>{Fixed(a.DayBias)}</td><td>{Percent(a.DayCoverage)}</td></tr>\n");
            }

            sb.Append("</tbody>\n</table></div>\n<p class=\"note\">Interval: total demand over the SKU's lead time + review period from each review; bias = forecast - actual.</p>\n</section>\n");
        }

        // traces
        if (report.Traces.Count > 0)
        {
            sb.Append("<section id=\"traces\">\n<h2>Seasons of a few SKUs</h2>\n<div class=\"traces\">\n");
            for (var i = 0; i < report.Traces.Count; i++)
            {
                sb.Append("<figure>").Append(InlineSvg(charts[$"chart-trace{i}"])).Append("</figure>\n");
            }

            sb.Append("</div>\n</section>\n");
        }

        if (report.Notes.Count > 0)
        {
            sb.Append("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>");
            foreach (var n in report.Notes)
            {
                sb.Append(Inv, $"<li>{Esc(n)}</li>");
            }

            sb.Append("</ul>\n</section>\n");
        }

        sb.Append(Inv, $"<footer>{report.Policies.Count} policies over {days} days. Generated by SeasonalGrains.</footer>\n</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>The PNG charts for slides: the cost differences, the cost breakdown, the frontier and one per trace. Returns the paths written.</summary>
    public static IReadOnlyList<string> WritePngs(SeasonReport report, string folder, int width = 1200, int height = 600)
    {
        Validate(report);
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var chart in Charts(report))
        {
            var path = Path.Combine(folder, chart.PngFile);
            chart.Plot.SavePng(path, width, chart.FixedHeight ? height : Math.Max(300, chart.Height * width / (int)ChartWidth));
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>
    /// Every chart of the report, drawn once with ScottPlot: the page shows each as inline SVG, the slides as PNG.
    /// Order: cost differences, cost breakdown, frontier, traces.
    /// </summary>
    private static IEnumerable<Chart> Charts(SeasonReport report)
    {
        var others = OthersOf(report);
        if (others.Count > 0)
        {
            yield return new Chart("chart-difference", DifferencePng, DifferencePlot(report, others), $"Total cost difference to {report.Baseline}", 130 + (others.Count * 44), FixedHeight: false);
        }

        if (report.CostBreakdown.Count > 0)
        {
            yield return new Chart("chart-breakdown", BreakdownPng, BreakdownPlot(report.CostBreakdown), "Where the cost comes from", 130 + (report.CostBreakdown.Count * 44), FixedHeight: false);
        }

        if (report.Frontier.Count > 0)
        {
            yield return new Chart("chart-frontier", FrontierPng, FrontierPlot(report), FrontierTitle(report), 460, FixedHeight: true);
        }

        for (var i = 0; i < report.Traces.Count; i++)
        {
            var trace = report.Traces[i];
            yield return new Chart($"chart-trace{i}", $"trace-{SafeName(trace.Sku)}-{SafeName(trace.Policy)}.png", TracePlot(trace), $"{trace.Sku} under {trace.Policy}", 380, FixedHeight: true);
        }
    }

    private static List<PolicyComparisonRow> OthersOf(SeasonReport report) =>
        [.. report.Policies.Where(p => p.Policy != report.Baseline && p.CostDifference is not null)];

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans"); // a sans-serif face Debian has; where missing, the default stays
        return plot;
    }

    /// <summary>A dot at each policy's estimate, a whisker over its interval and a line at zero; green better, red worse, grey not distinguishable.</summary>
    private static Plot DifferencePlot(SeasonReport report, List<PolicyComparisonRow> others)
    {
        var plot = NewPlot();
        var confidence = others[0].CostDifference!.Confidence;
        plot.Add.VerticalLine(0, 1.5f, Colors.Black);
        for (var i = 0; i < others.Count; i++)
        {
            var d = others[i].CostDifference!;
            var y = others.Count - 1 - i; // first policy on top, as in the table
            var color = Color.FromHex(!d.ExcludesZero ? "#777777" : d.Upper < 0 ? "#1a7f37" : "#c0392b");
            var whisker = plot.Add.Line(d.Lower, y, d.Upper, y);
            whisker.Color = color;
            whisker.LineWidth = 3;
            plot.Add.Marker(d.Lower, y, MarkerShape.VerticalBar, 14, color).LineWidth = 2;
            plot.Add.Marker(d.Upper, y, MarkerShape.VerticalBar, 14, color).LineWidth = 2;
            plot.Add.Marker(d.Estimate, y, MarkerShape.FilledCircle, 12, color);
        }

        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, others.Count).Select(i => (double)(others.Count - 1 - i))], [.. others.Select(p => p.Policy)]);
        plot.Axes.Margins(0.08, 0.25);
        plot.Title($"Total cost difference to {report.Baseline} (dot: estimate, whisker: {confidence * 100:0.#}% CI)");
        plot.XLabel("total cost, policy - baseline (lower is better)");
        return plot;
    }

    /// <summary>Each row's parts laid end to end from zero (positive to the right, negative to the left), its total after the bar, a legend of the parts.</summary>
    private static Plot BreakdownPlot(IReadOnlyList<SeasonCostRow> rows)
    {
        var plot = NewPlot();
        var bars = new List<Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            var y = rows.Count - 1 - i;
            var values = BreakdownValues(rows[i].Breakdown);
            var (right, left) = (0.0, 0.0);
            for (var p = 0; p < values.Length; p++)
            {
                var v = values[p];
                if (!double.IsFinite(v) || v == 0)
                {
                    continue;
                }

                var from = v > 0 ? right : left + v;
                bars.Add(new Bar { Position = y, ValueBase = from, Value = from + Math.Abs(v), FillColor = Color.FromHex(BreakdownParts[p].Color), LineWidth = 0, Orientation = Orientation.Horizontal });
                (right, left) = v > 0 ? (right + v, left) : (right, left + v);
            }

            var total = plot.Add.Text(values.Where(double.IsFinite).Sum().ToString("N0", Inv), right, y);
            total.Alignment = Alignment.MiddleLeft;
            total.OffsetX = 6;
            total.LabelFontSize = 12;
        }

        plot.Add.Bars(bars);
        foreach (var (name, color) in BreakdownParts)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = Color.FromHex(color) });
        }

        plot.Add.VerticalLine(0, 1.5f, Colors.Black);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - 1 - i))], [.. rows.Select(r => r.Policy)]);
        plot.Axes.Margins(0.02, 0.14, 0.1, 0.1); // room on the right for the totals
        plot.Title("Where the cost comes from");
        plot.XLabel("cost, summed over SKUs");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>
    /// One colour per policy, its points labelled; a thin grey line joins the efficient points. Lines are solid: the SVG
    /// canvas draws no dash pattern (it prints "Unsupported path effect" to the console and draws the line solid).
    /// </summary>
    private static Plot FrontierPlot(SeasonReport report)
    {
        var plot = NewPlot();
        var efficient = report.Frontier.Where(p => p.Efficient).OrderBy(p => p.InventoryValue).ToArray();
        if (efficient.Length > 1)
        {
            var line = plot.Add.ScatterLine(efficient.Select(p => p.InventoryValue).ToArray(), efficient.Select(p => p.Service * 100).ToArray());
            line.Color = Color.FromHex("#999999");
            line.LineWidth = 1.5f;
            line.LegendText = "efficient frontier";
        }

        var policies = report.Frontier.Select(p => p.Policy).Distinct().ToList();
        for (var i = 0; i < policies.Count; i++)
        {
            var points = report.Frontier.Where(p => p.Policy == policies[i]).OrderBy(p => p.InventoryValue).ToArray();
            var color = Color.FromHex(Palette[i % Palette.Count]);
            var scatter = plot.Add.Scatter(points.Select(p => p.InventoryValue).ToArray(), points.Select(p => p.Service * 100).ToArray());
            scatter.Color = color;
            scatter.MarkerSize = 11;
            scatter.LineWidth = points.Length > 1 ? 1.5f : 0;
            scatter.LegendText = policies[i];
            foreach (var p in points)
            {
                var label = plot.Add.Text(p.Label, p.InventoryValue, p.Service * 100);
                label.Alignment = Alignment.LowerLeft;
                label.OffsetX = 7;
                label.OffsetY = -5;
                label.LabelFontSize = 12;
                label.LabelBold = true;
            }
        }

        plot.Axes.Margins(0.15, 0.15); // room for the labels
        plot.Title(FrontierTitle(report));
        plot.XLabel("average inventory value");
        plot.YLabel($"{report.ServiceMeasure} (%)");
        plot.ShowLegend(Edge.Right); // outside the data, which can lie in any corner
        return plot;
    }

    /// <summary>Daily demand, on hand and orders of one SKU, with the forecast mean and band where the policy had one.</summary>
    private static Plot TracePlot(SeasonSkuTrace trace)
    {
        var plot = NewPlot();
        var blue = Color.FromHex("#0072b2");
        var xs = Enumerable.Range(0, trace.Days).Select(d => trace.Start.AddDays(d).ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();
        if (trace.ForecastLower is not null && trace.ForecastUpper is not null)
        {
            var keep = Enumerable.Range(0, trace.Days).Where(d => double.IsFinite(trace.ForecastLower[d]) && double.IsFinite(trace.ForecastUpper[d])).ToArray();
            if (keep.Length > 1)
            {
                var band = plot.Add.FillY(keep.Select(d => xs[d]).ToArray(), keep.Select(d => trace.ForecastLower[d]).ToArray(), keep.Select(d => trace.ForecastUpper[d]).ToArray());
                band.FillColor = blue.WithAlpha(0.22);
                band.LineWidth = 0;
                band.LegendText = trace.BandLabel;
            }
        }

        var orders = Enumerable.Range(0, trace.Days).Where(d => trace.Ordered[d] > 0).ToArray();
        if (orders.Length > 0)
        {
            var bars = plot.Add.Bars(orders.Select(d => xs[d]).ToArray(), orders.Select(d => trace.Ordered[d]).ToArray());
            bars.Color = Color.FromHex("#e69f00");
            bars.LegendText = "ordered";
        }

        var demand = plot.Add.ScatterLine(xs, trace.Demand);
        demand.Color = Color.FromHex("#222222");
        demand.LineWidth = 1.2f;
        demand.LegendText = "demand";
        var onHand = plot.Add.ScatterLine(xs, trace.OnHand);
        onHand.Color = blue;
        onHand.LineWidth = 2.5f;
        onHand.LegendText = "on hand";
        if (trace.ForecastMean is not null)
        {
            var keep = Enumerable.Range(0, trace.Days).Where(d => double.IsFinite(trace.ForecastMean[d])).ToArray();
            if (keep.Length > 1)
            {
                var mean = plot.Add.ScatterLine(keep.Select(d => xs[d]).ToArray(), keep.Select(d => trace.ForecastMean[d]).ToArray());
                mean.Color = blue;
                mean.LineWidth = 1.2f;
                mean.LegendText = "forecast mean";
            }
        }

        if (plot.Axes.DateTimeTicksBottom().TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic dates)
        {
            dates.LabelFormatter = d => d.ToString("d MMM", Inv); // short and unambiguous in any locale
        }

        plot.Title($"{trace.Sku} under {trace.Policy}");
        plot.YLabel("units");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>
    /// A chart as an inline &lt;svg&gt; element: ScottPlot's SVG without the XML declaration and namespace
    /// declarations (the HTML parser puts inline svg in the SVG namespace), with a viewBox so it scales, a
    /// title for screen readers, and its clip-path ids prefixed so several charts can share one page.
    /// </summary>
    private static string InlineSvg(Chart chart)
    {
        var width = (int)ChartWidth;
        var svg = chart.Plot.GetSvgXml(width, chart.Height);
        var open = svg.IndexOf("<svg", StringComparison.Ordinal);
        var body = svg[(svg.IndexOf('>', open) + 1)..]
            .Replace(" id=\"", $" id=\"{chart.Id}-", StringComparison.Ordinal)
            .Replace("url(#", $"url(#{chart.Id}-", StringComparison.Ordinal);
        return $"<svg class=\"chart\" id=\"{chart.Id}\" width=\"{width}\" height=\"{chart.Height}\" viewBox=\"0 0 {width} {chart.Height}\" role=\"img\" aria-label=\"{Esc(chart.Title)}\"><title>{Esc(chart.Title)}</title>{body}";
    }

    private static string FrontierTitle(SeasonReport report) => $"{Capitalise(report.ServiceMeasure)} versus average inventory value";

    private static void Validate(SeasonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Policies.Count == 0)
        {
            throw new ArgumentException("A season report needs at least one policy.", nameof(report));
        }

        if (report.Policies.All(p => p.Policy != report.Baseline))
        {
            throw new ArgumentException($"The baseline '{report.Baseline}' is not one of the report's policies.", nameof(report));
        }

        foreach (var t in report.Traces)
        {
            t.Validate();
        }
    }

    private static string DifferenceCell(BootstrapInterval? d, bool higherIsBetter, bool isBaseline, Func<double, string> format)
    {
        if (isBaseline || d is null)
        {
            return "<td class=\"diff\">–</td>";
        }

        var better = higherIsBetter ? d.Lower > 0 : d.Upper < 0;
        var css = !d.ExcludesZero ? "same" : better ? "better" : "worse";
        return $"<td class=\"diff {css}\">{format(d.Estimate)}<br><small>[{format(d.Lower)}, {format(d.Upper)}]</small></td>";
    }

    private static double[] BreakdownValues(CostBreakdown b) => [b.Holding, b.Shortage, b.Ordering, b.PurchaseMinusSalvage];

    private static string GapCell(double gap, double? share) =>
        double.IsFinite(gap)
            ? $"<td class=\"gap\">{Signed(gap, "N0")}<br><small>{(share is { } s ? Signed(s * 100, "0.0") + "%" : "–")}</small></td>"
            : "<td class=\"gap\">–</td>";

    private static string Signed(double v, string format) =>
        double.IsFinite(v) ? (v > 0 ? "+" : v < 0 ? "−" : string.Empty) + Math.Abs(v).ToString(format, Inv) : "–";

    private static string Percent(double v) => double.IsFinite(v) ? (v * 100).ToString("0.0", Inv) + "%" : "–";

    private static string Fixed(double v) => double.IsFinite(v) ? v.ToString("N1", Inv) : "–";

    private static string Esc(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string SafeName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray());
    }

    private const string Css = """
        :root { --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --better: #1a7f37; --worse: #c0392b; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f4f6f9; color: var(--ink); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 28px 28px 40px; }
        h1 { font-size: 26px; margin: 0 0 12px; }
        h2 { font-size: 19px; margin: 0 0 8px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin: 18px 0; }
        .facts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0; }
        .facts div { display: flex; gap: 6px; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; font-weight: 600; }
        .lead, .note { color: var(--muted); margin: 0 0 12px; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
        th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
        thead th { font-size: 12.5px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); vertical-align: bottom; white-space: normal; }
        tbody th, thead th:first-child { text-align: left; }
        tbody th { font-weight: 600; white-space: normal; overflow-wrap: anywhere; min-width: 9em; max-width: 15em; }
        td { line-height: 1.25; }
        tr.baseline { background: #f7f9fc; }
        tr.hindsight { background: #fbf8ef; font-style: italic; }
        .tag { font-size: 11px; font-weight: 500; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
        td small { color: var(--muted); }
        td.diff { white-space: nowrap; line-height: 1.25; }
        td.better { color: var(--better); font-weight: 600; }
        td.worse { color: var(--worse); font-weight: 600; }
        td.same { color: var(--muted); }
        figure { margin: 14px 0 0; }
        svg.chart { max-width: 100%; height: auto; display: block; }
        .traces figure { margin: 0 0 14px; }
        footer { color: var(--muted); font-size: 12.5px; text-align: center; }
        """;

    /// <summary>A chart of the report: its id on the page, its PNG file, its plot, its title and its height on the page.</summary>
    private sealed record Chart(string Id, string PngFile, Plot Plot, string Title, int Height, bool FixedHeight);
}
