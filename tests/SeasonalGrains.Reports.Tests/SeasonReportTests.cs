using System.Text.RegularExpressions;
using System.Xml.Linq;
using SeasonalGrains.Simulation.Reports;
using SkiaSharp;

namespace SeasonalGrains.Reports.Tests;

public sealed partial class SeasonReportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"season-report-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void The_page_is_self_contained_with_no_url_to_fetch()
    {
        var html = SeasonReportWriter.RenderHtml(SampleReport.Build());
        Assert.DoesNotContain("http:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(SourceAttribute(), html);
        Assert.Contains("<style>", html);
    }

    [Fact]
    public async Task Chromium_renders_the_table_and_the_charts_without_any_network_request()
    {
        await HeadlessChromium.RequireAsync();
        var report = SampleReport.Build();
        var written = SeasonReportWriter.Write(report, _folder);
        var page = Path.Combine(_folder, SeasonReportWriter.HtmlFile);
        Assert.Contains(page, written);

        // the table, as the browser built it: every policy, and the figures of the rule's row
        var (dom, console) = await HeadlessChromium.DumpDomAndConsoleAsync(page, _folder);
        Assert.Empty(console);
        var rule = report.Policies.Single(p => p.Policy == "rule").Total;
        var table = dom[dom.IndexOf("<table id=\"comparison\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        foreach (var policy in report.Policies)
        {
            Assert.Contains($">{policy.Policy}", table);
        }

        Assert.Contains(rule.TotalCost.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), table);
        Assert.Contains((rule.FillRate * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%", table);
        var cost = report.Policies.Single(p => p.Policy == "season-aware").CostDifference!;
        Assert.Contains("−" + Math.Abs(cost.Estimate).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), table);

        // the charts, as the browser built them: the difference chart, the frontier and one per trace,
        // each naming what it shows
        Assert.Equal(4, SvgElement().Matches(dom).Count);
        var charts = ChartsOf(dom);
        Assert.Equal(["chart-difference", "chart-frontier", "chart-trace0", "chart-trace1"], charts.Keys.ToArray());
        Assert.Contains("Total cost difference to rule", charts["chart-difference"]);
        Assert.DoesNotContain(">rule<", charts["chart-difference"].Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\t", string.Empty, StringComparison.Ordinal));
        foreach (var policy in report.Policies)
        {
            Assert.Contains(policy.Policy, charts["chart-frontier"]);
            if (policy.Policy != report.Baseline)
            {
                Assert.Contains(policy.Policy, charts["chart-difference"]);
            }
        }

        Assert.Contains("efficient frontier", charts["chart-frontier"]);
        foreach (var (trace, i) in report.Traces.Select((t, i) => (t, i)))
        {
            var chart = charts[$"chart-trace{i}"];
            Assert.Contains($"{trace.Sku} under {trace.Policy}", chart);
            foreach (var legend in new[] { "demand", "on hand", "ordered", "forecast mean", trace.BandLabel })
            {
                Assert.Contains(legend, chart);
            }
        }

        // what a reader sees: a screenshot with the charts' colours in it, and nothing fetched
        var (screenshot, netLog) = await HeadlessChromium.ScreenshotAsync(page, _folder, 1280, 3400);
        KeepForInspection();
        using var bitmap = SKBitmap.Decode(screenshot);
        Assert.Equal((1280, 3400), (bitmap.Width, bitmap.Height));
        Assert.True(CountNear(bitmap, new SKColor(0x00, 0x72, 0xb2)) > 2000, "blue of on-hand lines and points");
        Assert.True(CountNear(bitmap, new SKColor(0xe6, 0x9f, 0x00), 40) > 300, "orange order stems");
        Assert.True(CountNear(bitmap, new SKColor(0x1a, 0x7f, 0x37), 40) > 100, "green of better-than-baseline figures");
        Assert.Empty(HeadlessChromium.PageRequests(netLog));

        // PNGs for slides: the difference chart, the frontier and the two traces
        var pngs = written.Where(p => p.EndsWith(".png", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, pngs.Count);
        foreach (var png in pngs)
        {
            using var image = SKBitmap.Decode(png);
            Assert.True(image.Width >= 1000 && image.Height >= 300, $"{png} is {image.Width} x {image.Height}");
        }

    }

    [Fact]
    public async Task Chromium_renders_the_hindsight_row_the_gaps_and_the_stacked_cost_chart()
    {
        await HeadlessChromium.RequireAsync();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var report = SampleReport.WithHindsight();
        var written = SeasonReportWriter.Write(report, _folder);
        var (dom, console) = await HeadlessChromium.DumpDomAndConsoleAsync(Path.Combine(_folder, SeasonReportWriter.HtmlFile), _folder);
        Assert.Empty(console);
        KeepForInspection();

        // the comparison table: a hindsight row with the bound, and the rule's gap to it (its cost - the bound)
        var table = dom[dom.IndexOf("<table id=\"comparison\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        var hindsight = report.Hindsight!;
        Assert.Contains("<tr class=\"hindsight\"><th scope=\"row\">hindsight", table);
        Assert.Contains(hindsight.TotalCost.ToString("N0", inv), table);
        var rule = report.Policies.Single(p => p.Policy == "rule").Total;
        Assert.True(rule.TotalCost > hindsight.TotalCost);
        Assert.Contains("+" + (rule.TotalCost - hindsight.TotalCost).ToString("N0", inv), table);
        Assert.Contains("Gap to hindsight, operating cost", table);

        // the breakdown: one table row per policy and hindsight, one bar segment per non-zero part
        // (the policies have no ordering cost and hindsight no shortage: 3 parts in each of the 4 rows, 12 segments)
        var breakdown = dom[dom.IndexOf("<table id=\"breakdown\"", StringComparison.Ordinal)..];
        breakdown = breakdown[..breakdown.IndexOf("</table>", StringComparison.Ordinal)];
        foreach (var row in report.CostBreakdown)
        {
            Assert.Contains($"<th scope=\"row\">{row.Policy}</th>", breakdown);
            Assert.Contains(row.Breakdown.TotalCost.ToString("N0", inv), breakdown);
        }

        // the stacked bars: every row named with its total after the bar, and a legend of the four parts
        Assert.Equal(5, SvgElement().Matches(dom).Count);
        var chart = ChartsOf(dom)["chart-breakdown"];
        foreach (var row in report.CostBreakdown)
        {
            Assert.Contains(row.Policy, chart);
            Assert.Contains(row.Breakdown.TotalCost.ToString("N0", inv), chart);
        }

        foreach (var part in new[] { "holding", "shortage", "ordering", "purchase − salvage" })
        {
            Assert.Contains(part, chart);
        }
        Assert.Contains(Path.Combine(_folder, SeasonReportWriter.BreakdownPng), written);
        using var png = SKBitmap.Decode(Path.Combine(_folder, SeasonReportWriter.BreakdownPng));
        Assert.True(png.Width >= 1000 && png.Height >= 300, $"cost-breakdown.png is {png.Width} x {png.Height}");
    }

    [Fact]
    public async Task The_network_check_catches_a_page_that_fetches_a_url()
    {
        // the check above must be able to fail: a page with an external image and style sheet is caught
        // (the host names resolve to nothing, so no request leaves the machine)
        Directory.CreateDirectory(_folder);
        var page = Path.Combine(_folder, "fetching.html");
        File.WriteAllText(page, "<html><body><img src=\"https://example.com/a.png\"><link rel=\"stylesheet\" href=\"http://cdn.example.org/x.css\"></body></html>");
        var (_, netLog) = await HeadlessChromium.ScreenshotAsync(page, _folder, 400, 300);
        Assert.Equal(["http://cdn.example.org/x.css", "https://example.com/a.png"], HeadlessChromium.PageRequests(netLog).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task The_console_check_catches_an_svg_the_browser_cannot_read()
    {
        // the empty consoles above must be able to fail: a path with a letter for a number is reported
        Directory.CreateDirectory(_folder);
        var page = Path.Combine(_folder, "broken.html");
        File.WriteAllText(page, "<html><body><svg width=\"10\" height=\"10\"><path d=\"M 1 x\"/></svg></body></html>");
        var (_, console) = await HeadlessChromium.DumpDomAndConsoleAsync(page, _folder);
        Assert.Contains(console, line => line.Contains("<path> attribute d", StringComparison.Ordinal));
    }

    [Fact]
    public void A_baseline_missing_from_the_policies_is_rejected()
    {
        var report = SampleReport.Build() with { Baseline = "nothing" };
        var ex = Assert.Throws<ArgumentException>(() => SeasonReportWriter.RenderHtml(report));
        Assert.Contains("'nothing'", ex.Message);
    }

    [Fact]
    public void Every_chart_is_well_formed_svg_with_a_size_a_title_and_ids_of_its_own()
    {
        var html = SeasonReportWriter.RenderHtml(SampleReport.WithHindsight());
        var charts = ChartsOf(html);
        Assert.Equal(["chart-difference", "chart-breakdown", "chart-frontier", "chart-trace0", "chart-trace1"], charts.Keys.ToArray());
        var ids = new List<string>();
        foreach (var (name, svg) in charts)
        {
            var root = XDocument.Parse(svg).Root!;
            Assert.Equal("svg", root.Name.LocalName);
            Assert.Equal(1080, (int)root.Attribute("width")!);
            Assert.True((int)root.Attribute("height")! >= 150, $"{name} is {root.Attribute("height")} high");
            Assert.Equal($"0 0 {root.Attribute("width")!.Value} {root.Attribute("height")!.Value}", root.Attribute("viewBox")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(root.Element("title")?.Value), $"{name} has no title");
            Assert.True(root.Descendants().Count(e => e.Name.LocalName == "text") >= 5, $"{name} has almost no text: ticks, labels and title are text");

            // every clip path the chart refers to is its own: several charts share one page
            var own = root.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToHashSet();
            foreach (Match m in UrlReference().Matches(svg))
            {
                Assert.Contains(m.Groups[1].Value, own);
            }

            ids.AddRange(own.Append(name));
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    /// <summary>Copies the written files to the folder named by SEASON_REPORT_KEEP, when set, to look at them.</summary>
    private void KeepForInspection()
    {
        var keep = Environment.GetEnvironmentVariable("SEASON_REPORT_KEEP");
        if (string.IsNullOrEmpty(keep))
        {
            return;
        }

        Directory.CreateDirectory(keep);
        foreach (var file in Directory.GetFiles(_folder))
        {
            File.Copy(file, Path.Combine(keep, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static int CountNear(SKBitmap bitmap, SKColor target, int tolerance = 24)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - target.Red) <= tolerance && Math.Abs(c.Green - target.Green) <= tolerance && Math.Abs(c.Blue - target.Blue) <= tolerance)
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>The page's charts, by id, each as its &lt;svg&gt; element, in page order.</summary>
    private static Dictionary<string, string> ChartsOf(string html) =>
        ChartElement().Matches(html).ToDictionary(m => m.Groups[1].Value, m => m.Value);

    [GeneratedRegex("<svg class=\"chart\" id=\"([^\"]+)\".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex ChartElement();

    [GeneratedRegex("url\\(#([^)]+)\\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex("<svg[ >]")]
    private static partial Regex SvgElement();

    [GeneratedRegex("\\bsrc\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex SourceAttribute();
}
