using ScottPlot;

namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>PNG charts of backtest forecasts against actuals.</summary>
public static class BacktestPlots
{
    /// <summary>
    /// One PNG per SKU, named <c>{forecaster}-{sku}.png</c> in <paramref name="directory"/>:
    /// actual daily units from <paramref name="historyDays"/> days before the first origin to the end
    /// of the last window, and for each origin the forecaster's median and the band between its
    /// 10% and 90% quantiles (the nearest requested levels when those are not present; the legend
    /// names the levels used). SKUs are <paramref name="skuIndices"/>, or else the
    /// <paramref name="maxSkus"/> with the most units in the scored windows. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> SaveBands(
        BacktestResult result,
        string forecaster,
        string directory,
        int maxSkus = 4,
        IReadOnlyList<int>? skuIndices = null,
        int historyDays = 56,
        int width = 1200,
        int height = 450)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(directory);
        var row = result.Row(forecaster);
        if (maxSkus < 1 || historyDays < 0 || width < 100 || height < 100)
        {
            throw new ArgumentException("maxSkus must be at least 1, historyDays not negative, and the image at least 100 x 100 pixels.");
        }

        var points = result.Points.Where(p => p.Forecaster == row.Forecaster).ToList();
        var skus = skuIndices?.ToList() ?? points
            .GroupBy(p => p.SkuIndex)
            .OrderByDescending(g => g.Sum(p => p.Actual))
            .ThenBy(g => g.Key)
            .Take(maxSkus)
            .Select(g => g.Key)
            .ToList();
        foreach (var sku in skus)
        {
            if (!result.SkuIndices.Contains(sku))
            {
                throw new ArgumentException($"SKU index {sku} was not part of this backtest.", nameof(skuIndices));
            }
        }

        var lowerIndex = Nearest(result.Levels, 0.1);
        var medianIndex = Nearest(result.Levels, 0.5);
        var upperIndex = Nearest(result.Levels, 0.9);
        var bandLabel = $"P{Percent(result.Levels[lowerIndex])}-P{Percent(result.Levels[upperIndex])}";
        var medianLabel = $"P{Percent(result.Levels[medianIndex])}";

        Directory.CreateDirectory(directory);
        var dataset = result.Dataset;
        var firstDay = Math.Max(0, result.Origins[0] - historyDays);
        var lastDay = result.Origins[^1] + result.Horizon - 1;
        var paths = new List<string>();
        foreach (var sku in skus)
        {
            var plot = new Plot();
            var skuName = dataset.Skus[sku].Sku;
            var units = dataset.Series[sku].Units;
            var days = Enumerable.Range(firstDay, lastDay - firstDay + 1).ToArray();
            var actual = plot.Add.ScatterLine(
                days.Select(d => X(dataset.DateOf(d))).ToArray(),
                days.Select(d => units[d]).ToArray());
            actual.LegendText = "actual";
            actual.Color = Colors.Black;
            actual.LineWidth = 1.5f;

            var first = true;
            foreach (var window in points.Where(p => p.SkuIndex == sku).GroupBy(p => p.Origin).OrderBy(g => g.Key))
            {
                var ordered = window.OrderBy(p => p.H).ToArray();
                var xs = ordered.Select(p => X(p.Date)).ToArray();
                var band = plot.Add.FillY(
                    xs,
                    ordered.Select(p => p.Quantiles[lowerIndex]).ToArray(),
                    ordered.Select(p => p.Quantiles[upperIndex]).ToArray());
                band.FillColor = Colors.SteelBlue.WithAlpha(0.3);
                band.LineWidth = 0;
                var median = plot.Add.ScatterLine(xs, ordered.Select(p => p.Quantiles[medianIndex]).ToArray());
                median.Color = Colors.SteelBlue;
                median.LineWidth = 2;
                var originLine = plot.Add.VerticalLine(X(window.First().OriginDate));
                originLine.Color = Colors.Gray.WithAlpha(0.6);
                originLine.LinePattern = LinePattern.Dashed;
                if (first)
                {
                    band.LegendText = bandLabel;
                    median.LegendText = medianLabel;
                    first = false;
                }
            }

            plot.Axes.DateTimeTicksBottom();
            plot.Title($"{row.Forecaster}: {skuName}");
            plot.YLabel("units per day");
            plot.ShowLegend(Alignment.UpperLeft);
            var path = Path.Combine(directory, $"{SafeFileName(row.Forecaster)}-{SafeFileName(skuName)}.png");
            plot.SavePng(path, width, height);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>
    /// A horizontal bar per feature group: the overall permutation importance (<see cref="PermutationImportance"/>),
    /// largest on top. False (nothing written) without overall rows.
    /// </summary>
    public static bool SaveImportance(IReadOnlyList<ImportanceRow> rows, string path, int width = 900, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var ranked = PermutationImportance.Ranked(rows).Where(r => double.IsFinite(r.Importance)).ToList();
        if (ranked.Count == 0)
        {
            return false;
        }

        var plot = new Plot();
        var bars = ranked.Select((r, i) => new Bar
        {
            Position = ranked.Count - 1 - i,
            ValueBase = 0,
            Value = r.Importance,
            FillColor = Colors.SteelBlue,
            LineWidth = 0,
            Orientation = Orientation.Horizontal,
        }).ToList();
        plot.Add.Bars(bars);
        plot.Add.VerticalLine(0, 1, Colors.Black);
        plot.Axes.Left.SetTicks([.. ranked.Select((_, i) => (double)(ranked.Count - 1 - i))], [.. ranked.Select(r => r.Group)]);
        plot.Title($"{ranked[0].Forecaster}: permutation importance of feature groups (all SKUs)");
        plot.XLabel("increase of mean pinball loss when the group is permuted (units)");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        plot.SavePng(path, width, height);
        return true;
    }

    /// <summary>
    /// A reliability diagram of <paramref name="kind"/> (pooled over horizons): for each forecaster with such rows,
    /// the share of actuals at or below its quantile against the level, and the diagonal a calibrated forecaster
    /// follows. Returns false (and writes nothing) when no forecaster has rows of that kind.
    /// </summary>
    public static bool SaveReliability(BacktestResult result, ReliabilityKind kind, string path, int width = 800, int height = 800)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var rows = result.Reliability.Where(r => r.Kind == kind && r.Horizon is null).ToList();
        if (rows.Count == 0)
        {
            return false;
        }

        var plot = new Plot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.Color = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "calibrated";
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var group in rows.GroupBy(r => r.Forecaster))
        {
            var ordered = group.OrderBy(r => r.Level).ToArray();
            var line = plot.Add.Scatter(ordered.Select(r => r.Level).ToArray(), ordered.Select(r => r.Observed).ToArray());
            line.LegendText = group.Key;
            line.Color = palette.GetColor(index++);
            line.LineWidth = 1.5f;
            line.MarkerSize = 6;
        }

        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title(kind == ReliabilityKind.Daily
            ? "Reliability of daily quantiles (all horizon days)"
            : "Reliability of quantiles of sums over days 1..n (all n)");
        plot.XLabel("nominal level");
        plot.YLabel("share of actuals at or below the quantile");
        plot.ShowLegend(Alignment.UpperLeft);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        plot.SavePng(path, width, height);
        return true;
    }

    private static double X(DateOnly date) => date.ToDateTime(TimeOnly.MinValue).ToOADate();

    private static int Nearest(IReadOnlyList<double> levels, double level)
    {
        var best = 0;
        for (var k = 1; k < levels.Count; k++)
        {
            if (Math.Abs(levels[k] - level) < Math.Abs(levels[best] - level))
            {
                best = k;
            }
        }

        return best;
    }

    private static string Percent(double level) =>
        (level * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray());
    }
}
