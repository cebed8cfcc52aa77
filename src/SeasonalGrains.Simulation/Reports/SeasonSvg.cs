using System.Globalization;
using System.Text;

namespace SeasonalGrains.Simulation.Reports;

/// <summary>
/// Small inline-SVG charts drawn by our own code (no script, no external resource): lines, bands,
/// stems and labelled points on numeric or date axes, an interval chart of differences and stacked bars.
/// </summary>
public sealed class SeasonSvg
{
    private const double Left = 72;
    private const double Right = 20;
    private const double Top = 44;
    private const double Bottom = 50;

    /// <summary>Colours of successive series (colour-blind-safe order).</summary>
    public static IReadOnlyList<string> Palette { get; } = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7f3c8d", "#333333"];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly List<Series> _series = [];
    private readonly double _width;
    private readonly double _height;
    private readonly string _title;

    public SeasonSvg(double width, double height, string title)
    {
        if (width < 200 || height < 150)
        {
            throw new ArgumentException("A chart needs at least 200 x 150 pixels.");
        }

        _width = width;
        _height = height;
        _title = title;
    }

    public string? XLabel { get; init; }

    public string? YLabel { get; init; }

    /// <summary>When set, x values are day indices from this date and ticks show dates.</summary>
    public DateOnly? XStart { get; init; }

    /// <summary>Whether the y axis starts at 0 (when all data are positive).</summary>
    public bool YFromZero { get; init; } = true;

    /// <summary>Formats y tick labels; null = numbers.</summary>
    public Func<double, string>? YFormat { get; init; }

    /// <summary>Formats x tick labels on a numeric axis; null = numbers.</summary>
    public Func<double, string>? XFormat { get; init; }

    public SeasonSvg Line(IReadOnlyList<double> xs, IReadOnlyList<double> ys, string color, string? legend = null, double width = 1.6, bool dashed = false)
    {
        _series.Add(new Series(Kind.Line, xs, ys, null, color, legend, width, dashed, null));
        return this;
    }

    public SeasonSvg Band(IReadOnlyList<double> xs, IReadOnlyList<double> lower, IReadOnlyList<double> upper, string color, string? legend = null)
    {
        _series.Add(new Series(Kind.Band, xs, lower, upper, color, legend, 0, false, null));
        return this;
    }

    /// <summary>Vertical bars from 0 to y (e.g. order quantities); zero values draw nothing.</summary>
    public SeasonSvg Stems(IReadOnlyList<double> xs, IReadOnlyList<double> ys, string color, string? legend = null)
    {
        _series.Add(new Series(Kind.Stem, xs, ys, null, color, legend, 0, false, null));
        return this;
    }

    public SeasonSvg Points(IReadOnlyList<double> xs, IReadOnlyList<double> ys, string color, string? legend = null, IReadOnlyList<string>? labels = null, double radius = 5)
    {
        _series.Add(new Series(Kind.Points, xs, ys, null, color, legend, radius, false, labels));
        return this;
    }

    /// <summary>The chart as an &lt;svg&gt; element (no XML declaration, no namespace URL: for inline HTML).</summary>
    public string Render()
    {
        var xs = _series.SelectMany(s => s.Xs).Where(double.IsFinite).ToList();
        var ys = _series.SelectMany(s => s.Ys.Concat(s.Upper ?? [])).Where(double.IsFinite).ToList();
        if (_series.Any(s => s.Kind == Kind.Stem))
        {
            ys.Add(0);
        }

        var (x0, x1) = Range(xs, false, 0.02);
        var (y0, y1) = Range(ys, YFromZero, 0.06);
        var xTicks = XStart is null ? NiceTicks(x0, x1, 7) : DayTicks(x0, x1);
        var yTicks = NiceTicks(y0, y1, 6);
        (x0, x1) = (Math.Min(x0, xTicks[0]), Math.Max(x1, xTicks[^1]));
        (y0, y1) = (Math.Min(y0, yTicks[0]), Math.Max(y1, yTicks[^1]));
        var plotW = _width - Left - Right;
        var plotH = _height - Top - Bottom;
        double X(double v) => Left + ((v - x0) / (x1 - x0) * plotW);
        double Y(double v) => Top + plotH - ((v - y0) / (y1 - y0) * plotH);

        var id = "c" + ((uint)HashCode.Combine(_title, _width, _series.Count)).ToString("x", Inv);
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg class=\"chart\" width=\"{_width:0}\" height=\"{_height:0}\" viewBox=\"0 0 {_width:0} {_height:0}\" role=\"img\" aria-label=\"{Esc(_title)}\">");
        sb.Append(Inv, $"<title>{Esc(_title)}</title>");
        sb.Append(Inv, $"<defs><clipPath id=\"{id}\"><rect x=\"{Left:0.#}\" y=\"{Top:0.#}\" width=\"{plotW:0.#}\" height=\"{plotH:0.#}\"/></clipPath></defs>");
        sb.Append(Inv, $"<rect x=\"0\" y=\"0\" width=\"{_width:0}\" height=\"{_height:0}\" fill=\"#ffffff\"/>");
        sb.Append(Inv, $"<text x=\"{Left:0.#}\" y=\"20\" class=\"ct\">{Esc(_title)}</text>");

        // grid and ticks
        var yStep = yTicks.Length > 1 ? yTicks[1] - yTicks[0] : 1;
        foreach (var t in yTicks)
        {
            sb.Append(Inv, $"<line x1=\"{Left:0.#}\" x2=\"{Left + plotW:0.#}\" y1=\"{Y(t):0.#}\" y2=\"{Y(t):0.#}\" class=\"grid\"/>");
            sb.Append(Inv, $"<text x=\"{Left - 6:0.#}\" y=\"{Y(t) + 4:0.#}\" class=\"tick\" text-anchor=\"end\">{Esc(YFormat?.Invoke(t) ?? Number(t, yStep))}</text>");
        }

        var xStep = xTicks.Length > 1 ? xTicks[1] - xTicks[0] : 1;
        foreach (var t in xTicks)
        {
            sb.Append(Inv, $"<line x1=\"{X(t):0.#}\" x2=\"{X(t):0.#}\" y1=\"{Top:0.#}\" y2=\"{Top + plotH:0.#}\" class=\"grid\"/>");
            var label = XStart is { } start ? start.AddDays((int)Math.Round(t)).ToString("d MMM", Inv) : XFormat?.Invoke(t) ?? Number(t, xStep);
            sb.Append(Inv, $"<text x=\"{X(t):0.#}\" y=\"{Top + plotH + 18:0.#}\" class=\"tick\" text-anchor=\"middle\">{Esc(label)}</text>");
        }

        sb.Append(Inv, $"<rect x=\"{Left:0.#}\" y=\"{Top:0.#}\" width=\"{plotW:0.#}\" height=\"{plotH:0.#}\" class=\"frame\"/>");

        // series, bands first so lines stay on top
        sb.Append(Inv, $"<g clip-path=\"url(#{id})\">");
        foreach (var s in _series.OrderBy(s => s.Kind == Kind.Band ? 0 : s.Kind == Kind.Stem ? 1 : s.Kind == Kind.Line ? 2 : 3))
        {
            switch (s.Kind)
            {
                case Kind.Band:
                    foreach (var run in Runs(s.Xs, s.Ys, s.Upper))
                    {
                        var pts = run.Select(i => $"{X(s.Xs[i]):0.#},{Y(s.Upper![i]):0.#}")
                            .Concat(run.AsEnumerable().Reverse().Select(i => $"{X(s.Xs[i]):0.#},{Y(s.Ys[i]):0.#}"));
                        sb.Append(Inv, $"<polygon class=\"band\" points=\"{string.Join(' ', pts)}\" fill=\"{s.Color}\" fill-opacity=\"0.22\"/>");
                    }

                    break;
                case Kind.Stem:
                    var barWidth = Math.Max(1.5, Math.Min(8, plotW / Math.Max(1, (x1 - x0) + 1) * 0.7));
                    for (var i = 0; i < s.Xs.Count; i++)
                    {
                        if (double.IsFinite(s.Ys[i]) && s.Ys[i] > 0)
                        {
                            sb.Append(Inv, $"<rect class=\"stem\" x=\"{X(s.Xs[i]) - (barWidth / 2):0.#}\" y=\"{Y(s.Ys[i]):0.#}\" width=\"{barWidth:0.#}\" height=\"{Y(0) - Y(s.Ys[i]):0.#}\" fill=\"{s.Color}\"/>");
                        }
                    }

                    break;
                case Kind.Line:
                    foreach (var run in Runs(s.Xs, s.Ys, null))
                    {
                        var pts = string.Join(' ', run.Select(i => $"{X(s.Xs[i]):0.#},{Y(s.Ys[i]):0.#}"));
                        var dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
                        sb.Append(Inv, $"<polyline class=\"line\" points=\"{pts}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"{s.Size:0.#}\"{dash}/>");
                    }

                    break;
                case Kind.Points:
                    for (var i = 0; i < s.Xs.Count; i++)
                    {
                        if (double.IsFinite(s.Xs[i]) && double.IsFinite(s.Ys[i]))
                        {
                            sb.Append(Inv, $"<circle class=\"point\" cx=\"{X(s.Xs[i]):0.#}\" cy=\"{Y(s.Ys[i]):0.#}\" r=\"{s.Size:0.#}\" fill=\"{s.Color}\"/>");
                        }
                    }

                    break;
            }
        }

        sb.Append("</g>");

        // point labels outside the clip so they are never cut off; a label that would overlap one
        // already placed moves down a line
        var placed = new List<(double Left, double Right, double Y)>();
        foreach (var s in _series.Where(s => s.Kind == Kind.Points && s.Labels is not null))
        {
            for (var i = 0; i < s.Xs.Count; i++)
            {
                if (double.IsFinite(s.Xs[i]) && double.IsFinite(s.Ys[i]))
                {
                    var px = X(s.Xs[i]);
                    var anchor = px > Left + (plotW * 0.7) ? "end" : "start";
                    var tx = px + (anchor == "end" ? -8 : 8);
                    var textWidth = s.Labels![i].Length * 7.0;
                    var (from, to) = anchor == "end" ? (tx - textWidth, tx) : (tx, tx + textWidth);
                    var ty = Y(s.Ys[i]) - 7;
                    while (placed.Any(p => Math.Abs(p.Y - ty) < 14 && p.Left < to && from < p.Right))
                    {
                        ty += 14;
                    }

                    placed.Add((from, to, ty));
                    sb.Append(Inv, $"<text class=\"plabel\" x=\"{tx:0.#}\" y=\"{ty:0.#}\" text-anchor=\"{anchor}\">{Esc(s.Labels[i])}</text>");
                }
            }
        }

        // legend
        var ly = Top - 10;
        var legendX = _width - Right;
        foreach (var s in _series.Where(s => s.Legend is not null).Reverse())
        {
            var textWidth = (s.Legend!.Length * 7.0) + 34;
            legendX -= textWidth;
            var sx = legendX;
            var swatch = s.Kind switch
            {
                Kind.Line => $"<line x1=\"{sx:0.#}\" x2=\"{sx + 16:0.#}\" y1=\"{ly:0.#}\" y2=\"{ly:0.#}\" stroke=\"{s.Color}\" stroke-width=\"2.5\"{(s.Dashed ? " stroke-dasharray=\"5 3\"" : string.Empty)}/>",
                Kind.Points => $"<circle cx=\"{sx + 8:0.#}\" cy=\"{ly:0.#}\" r=\"5\" fill=\"{s.Color}\"/>",
                _ => $"<rect x=\"{sx:0.#}\" y=\"{ly - 6:0.#}\" width=\"16\" height=\"12\" fill=\"{s.Color}\" fill-opacity=\"{(s.Kind == Kind.Band ? 0.3 : 1)}\"/>",
            };
            sb.Append(Inv, $"<g class=\"legend\">{swatch}<text x=\"{sx + 20:0.#}\" y=\"{ly + 4:0.#}\" class=\"tick\">{Esc(s.Legend)}</text></g>");
        }

        if (XLabel is not null)
        {
            sb.Append(Inv, $"<text x=\"{Left + (plotW / 2):0.#}\" y=\"{_height - 8:0.#}\" class=\"axis\" text-anchor=\"middle\">{Esc(XLabel)}</text>");
        }

        if (YLabel is not null)
        {
            sb.Append(Inv, $"<text transform=\"translate(16 {Top + (plotH / 2):0.#}) rotate(-90)\" class=\"axis\" text-anchor=\"middle\">{Esc(YLabel)}</text>");
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// A chart of differences with their intervals, one row per name: a dot at the estimate, a
    /// whisker over the interval and a line at zero. Rows whose interval excludes zero are coloured
    /// by direction (better / worse).
    /// </summary>
    public static string Intervals(string title, IReadOnlyList<(string Name, double Estimate, double Lower, double Upper)> rows, bool higherIsBetter, string xLabel, double width = 760)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var rowHeight = 30.0;
        var labelWidth = Math.Min(260, 40 + (rows.Select(r => r.Name.Length).DefaultIfEmpty(8).Max() * 7.0));
        var height = Top + Bottom + (Math.Max(1, rows.Count) * rowHeight);
        var values = rows.SelectMany(r => new[] { r.Estimate, r.Lower, r.Upper }).Where(double.IsFinite).Append(0).ToList();
        var (x0, x1) = Range(values, false, 0.05);
        var ticks = NiceTicks(x0, x1, 6);
        (x0, x1) = (Math.Min(x0, ticks[0]), Math.Max(x1, ticks[^1]));
        var plotW = width - labelWidth - Right;
        double X(double v) => labelWidth + ((v - x0) / (x1 - x0) * plotW);
        var step = ticks.Length > 1 ? ticks[1] - ticks[0] : 1;
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg class=\"chart\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" role=\"img\" aria-label=\"{Esc(title)}\">");
        sb.Append(Inv, $"<title>{Esc(title)}</title><rect x=\"0\" y=\"0\" width=\"{width:0}\" height=\"{height:0}\" fill=\"#ffffff\"/>");
        sb.Append(Inv, $"<text x=\"{labelWidth:0.#}\" y=\"20\" class=\"ct\">{Esc(title)}</text>");
        var bottom = height - Bottom;
        foreach (var t in ticks)
        {
            sb.Append(Inv, $"<line x1=\"{X(t):0.#}\" x2=\"{X(t):0.#}\" y1=\"{Top:0.#}\" y2=\"{bottom:0.#}\" class=\"grid\"/>");
            sb.Append(Inv, $"<text x=\"{X(t):0.#}\" y=\"{bottom + 18:0.#}\" class=\"tick\" text-anchor=\"middle\">{Esc(Number(t, step))}</text>");
        }

        sb.Append(Inv, $"<line x1=\"{X(0):0.#}\" x2=\"{X(0):0.#}\" y1=\"{Top - 4:0.#}\" y2=\"{bottom:0.#}\" stroke=\"#444\" stroke-width=\"1.5\"/>");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var cy = Top + (i * rowHeight) + (rowHeight / 2);
            var excludes = r.Lower > 0 || r.Upper < 0;
            var better = higherIsBetter ? r.Lower > 0 : r.Upper < 0;
            var color = !excludes ? "#777777" : better ? "#1a7f37" : "#c0392b";
            sb.Append(Inv, $"<text x=\"{labelWidth - 10:0.#}\" y=\"{cy + 4:0.#}\" class=\"tick\" text-anchor=\"end\">{Esc(r.Name)}</text>");
            if (double.IsFinite(r.Lower) && double.IsFinite(r.Upper))
            {
                sb.Append(Inv, $"<line class=\"whisker\" x1=\"{X(r.Lower):0.#}\" x2=\"{X(r.Upper):0.#}\" y1=\"{cy:0.#}\" y2=\"{cy:0.#}\" stroke=\"{color}\" stroke-width=\"3\"/>");
                sb.Append(Inv, $"<line x1=\"{X(r.Lower):0.#}\" x2=\"{X(r.Lower):0.#}\" y1=\"{cy - 6:0.#}\" y2=\"{cy + 6:0.#}\" stroke=\"{color}\" stroke-width=\"2\"/>");
                sb.Append(Inv, $"<line x1=\"{X(r.Upper):0.#}\" x2=\"{X(r.Upper):0.#}\" y1=\"{cy - 6:0.#}\" y2=\"{cy + 6:0.#}\" stroke=\"{color}\" stroke-width=\"2\"/>");
            }

            if (double.IsFinite(r.Estimate))
            {
                sb.Append(Inv, $"<circle class=\"point\" cx=\"{X(r.Estimate):0.#}\" cy=\"{cy:0.#}\" r=\"5.5\" fill=\"{color}\"/>");
            }
        }

        sb.Append(Inv, $"<text x=\"{labelWidth + (plotW / 2):0.#}\" y=\"{height - 8:0.#}\" class=\"axis\" text-anchor=\"middle\">{Esc(xLabel)}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>
    /// Horizontal stacked bars, one row per name: each row's parts laid end to end from zero in the order of
    /// <paramref name="parts"/> (positive parts to the right, negative ones to the left), with the row's sum
    /// written after the bar and a legend of the parts.
    /// </summary>
    public static string StackedBars(
        string title, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> rows, IReadOnlyList<(string Name, string Color)> parts, string xLabel, double width = 760)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(parts);
        if (rows.Any(r => r.Values.Count != parts.Count))
        {
            throw new ArgumentException($"Every row of '{title}' needs one value per part ({parts.Count}).", nameof(rows));
        }

        var rowHeight = 30.0;
        var labelWidth = Math.Min(260, 40 + (rows.Select(r => r.Name.Length).DefaultIfEmpty(8).Max() * 7.0));
        var height = Top + Bottom + (Math.Max(1, rows.Count) * rowHeight);
        var values = rows.SelectMany(r => new[]
        {
            r.Values.Where(v => double.IsFinite(v) && v > 0).Sum(),
            r.Values.Where(v => double.IsFinite(v) && v < 0).Sum(),
        }).Append(0).ToList();
        var (x0, x1) = Range(values, true, 0.12);
        var ticks = NiceTicks(x0, x1, 6);
        (x0, x1) = (Math.Min(x0, ticks[0]), Math.Max(x1, ticks[^1]));
        var plotW = width - labelWidth - Right;
        double X(double v) => labelWidth + ((v - x0) / (x1 - x0) * plotW);
        var step = ticks.Length > 1 ? ticks[1] - ticks[0] : 1;
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg class=\"chart\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" role=\"img\" aria-label=\"{Esc(title)}\">");
        sb.Append(Inv, $"<title>{Esc(title)}</title><rect x=\"0\" y=\"0\" width=\"{width:0}\" height=\"{height:0}\" fill=\"#ffffff\"/>");
        sb.Append(Inv, $"<text x=\"{labelWidth:0.#}\" y=\"20\" class=\"ct\">{Esc(title)}</text>");
        var bottom = height - Bottom;
        foreach (var t in ticks)
        {
            sb.Append(Inv, $"<line x1=\"{X(t):0.#}\" x2=\"{X(t):0.#}\" y1=\"{Top:0.#}\" y2=\"{bottom:0.#}\" class=\"grid\"/>");
            sb.Append(Inv, $"<text x=\"{X(t):0.#}\" y=\"{bottom + 18:0.#}\" class=\"tick\" text-anchor=\"middle\">{Esc(Number(t, step))}</text>");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var y = Top + (i * rowHeight) + 5;
            var barHeight = rowHeight - 10;
            sb.Append(Inv, $"<text x=\"{labelWidth - 10:0.#}\" y=\"{y + (barHeight / 2) + 4:0.#}\" class=\"tick\" text-anchor=\"end\">{Esc(r.Name)}</text>");
            var (right, left) = (0.0, 0.0);
            for (var p = 0; p < parts.Count; p++)
            {
                var v = r.Values[p];
                if (!double.IsFinite(v) || v == 0)
                {
                    continue;
                }

                var (from, to) = v > 0 ? (right, right + v) : (left + v, left);
                if (v > 0)
                {
                    right += v;
                }
                else
                {
                    left += v;
                }

                sb.Append(Inv, $"<rect class=\"seg\" x=\"{X(from):0.#}\" y=\"{y:0.#}\" width=\"{Math.Max(0.5, X(to) - X(from)):0.#}\" height=\"{barHeight:0.#}\" fill=\"{parts[p].Color}\">");
                sb.Append(Inv, $"<title>{Esc($"{r.Name}: {parts[p].Name} {v.ToString("N0", Inv)}")}</title></rect>");
            }

            var sum = r.Values.Where(double.IsFinite).Sum();
            sb.Append(Inv, $"<text x=\"{X(right) + 6:0.#}\" y=\"{y + (barHeight / 2) + 4:0.#}\" class=\"tick\">{Esc(sum.ToString("N0", Inv))}</text>");
        }

        sb.Append(Inv, $"<line x1=\"{X(0):0.#}\" x2=\"{X(0):0.#}\" y1=\"{Top - 4:0.#}\" y2=\"{bottom:0.#}\" stroke=\"#444\" stroke-width=\"1.5\"/>");

        // legend, right-aligned above the bars
        var ly = Top - 14;
        var legendX = width - Right;
        foreach (var (name, color) in parts.Reverse())
        {
            legendX -= (name.Length * 7.0) + 34;
            sb.Append(Inv, $"<g class=\"legend\"><rect x=\"{legendX:0.#}\" y=\"{ly - 6:0.#}\" width=\"16\" height=\"12\" fill=\"{color}\"/><text x=\"{legendX + 20:0.#}\" y=\"{ly + 4:0.#}\" class=\"tick\">{Esc(name)}</text></g>");
        }

        sb.Append(Inv, $"<text x=\"{labelWidth + (plotW / 2):0.#}\" y=\"{height - 8:0.#}\" class=\"axis\" text-anchor=\"middle\">{Esc(xLabel)}</text>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Tick values at 1, 2 or 5 x 10^k steps covering [lo, hi] with about <paramref name="target"/> ticks.</summary>
    public static double[] NiceTicks(double lo, double hi, int target)
    {
        if (!(hi > lo))
        {
            hi = lo + 1;
        }

        var raw = (hi - lo) / Math.Max(1, target);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw * 0.999);
        var first = Math.Floor((lo / step) + 1e-9) * step;
        var last = Math.Ceiling((hi / step) - 1e-9) * step;
        var count = (int)Math.Round((last - first) / step) + 1;
        return Enumerable.Range(0, count).Select(i => first + (i * step)).ToArray();
    }

    private static double[] DayTicks(double lo, double hi)
    {
        var span = hi - lo;
        var step = new[] { 1, 2, 7, 14, 28, 56, 91, 182, 364 }.FirstOrDefault(s => span / s <= 9, 728);
        var first = Math.Floor(lo / step) * step;
        var ticks = new List<double>();
        for (var t = first; t <= hi + 1e-9; t += step)
        {
            if (t >= lo - 1e-9)
            {
                ticks.Add(t);
            }
        }

        return ticks.Count > 0 ? [.. ticks] : [lo];
    }

    private static (double Lo, double Hi) Range(List<double> values, bool fromZero, double pad)
    {
        if (values.Count == 0)
        {
            return (0, 1);
        }

        var lo = values.Min();
        var hi = values.Max();
        if (fromZero && lo >= 0)
        {
            lo = 0;
        }

        if (hi - lo < 1e-12)
        {
            var w = Math.Max(1, Math.Abs(hi) * 0.1);
            return (lo - w, hi + w);
        }

        var margin = (hi - lo) * pad;
        return (fromZero && lo == 0 ? 0 : lo - margin, hi + margin);
    }

    private static IEnumerable<int[]> Runs(IReadOnlyList<double> xs, IReadOnlyList<double> ys, IReadOnlyList<double>? upper)
    {
        var run = new List<int>();
        for (var i = 0; i < xs.Count; i++)
        {
            if (double.IsFinite(xs[i]) && double.IsFinite(ys[i]) && (upper is null || double.IsFinite(upper[i])))
            {
                run.Add(i);
            }
            else if (run.Count > 0)
            {
                yield return [.. run];
                run.Clear();
            }
        }

        if (run.Count > 0)
        {
            yield return [.. run];
        }
    }

    /// <summary>A tick label: thousands grouped, k / M for large values, decimals as the step needs.</summary>
    public static string Number(double v, double step)
    {
        if (Math.Abs(v) < step * 1e-9)
        {
            v = 0;
        }

        if (Math.Abs(step) >= 1e6 || Math.Abs(v) >= 1e7)
        {
            return (v / 1e6).ToString(step >= 1e6 ? "0.#" : "0.##", Inv) + "M";
        }

        if (Math.Abs(step) >= 1e3 && Math.Abs(v) >= 1e4)
        {
            return (v / 1e3).ToString(step >= 1e3 ? "0.#" : "0.##", Inv) + "k";
        }

        var decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(Math.Abs(step)) + 1e-9), 0, 6);
        return v.ToString("N" + decimals.ToString(Inv), Inv);
    }

    public static string Esc(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    private enum Kind
    {
        Band,
        Stem,
        Line,
        Points,
    }

    private sealed record Series(
        Kind Kind,
        IReadOnlyList<double> Xs,
        IReadOnlyList<double> Ys,
        IReadOnlyList<double>? Upper,
        string Color,
        string? Legend,
        double Size,
        bool Dashed,
        IReadOnlyList<string>? Labels);
}
