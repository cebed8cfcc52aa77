using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Forecasting.Metrics;

namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>How much the LSTM's forecasts of one SKU (or of all, <see cref="PermutationImportance.Overall"/>) lean on one feature group.</summary>
/// <param name="Importance">Mean pinball loss (units, over in-stock days and levels) with the group's inputs permuted across windows, minus the loss with them in place.</param>
public sealed record ImportanceRow(string Forecaster, string Sku, string Group, double Importance);

/// <summary>
/// Permutation importance of each <see cref="FeatureGroups"/> group for a trained LSTM on held-out windows (the
/// backtest's origins, which lie after the model's training range): every (SKU, origin) window is forecast once as
/// it is and once per repeat with one group's inputs taken from another window, the windows paired by a seeded
/// random permutation (the same permutations for every group). The group's columns move whole, in the encoder's past
/// rows and in the horizon rows, so a window keeps everything else of its own (its other inputs, its embeddings, the
/// scale its outputs are multiplied by). The importance is the increase of the mean pinball loss over the levels and
/// the in-stock horizon days, per SKU (its windows) and overall (all windows); near 0 means the forecasts did not
/// use the group, below 0 that they did better without it.
/// </summary>
public static class PermutationImportance
{
    /// <summary>The <see cref="ImportanceRow.Sku"/> of the rows over all SKUs.</summary>
    public const string Overall = "*";

    /// <summary>Default permutations per group.</summary>
    public const int DefaultRepeats = 3;

    public static IReadOnlyList<ImportanceRow> Compute(
        LstmModel model,
        Dataset dataset,
        IReadOnlyList<int> origins,
        IReadOnlyList<int> skuIndices,
        int horizon,
        IReadOnlyList<double> levels,
        int repeats = DefaultRepeats,
        long seed = 1,
        string forecaster = LstmForecaster.ForecasterName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(origins);
        ArgumentNullException.ThrowIfNull(skuIndices);
        ArgumentNullException.ThrowIfNull(levels);
        ForecastRequestChecks.ValidateLevels(levels, "permutation importance");
        if (horizon < 1 || horizon > model.Horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"The horizon must be within 1..{model.Horizon} (the model's).");
        }

        if (repeats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "At least one permutation per group is needed.");
        }

        var builder = model.FeaturesFor(dataset);
        var pairs = origins.SelectMany(o => skuIndices.Select(s => (Sku: s, Origin: o))).ToArray();
        if (pairs.Length == 0)
        {
            return [];
        }

        var windows = pairs.Select(p => builder.BuildWindow(p.Sku, p.Origin)).ToArray();
        var cells = pairs.Select(p => Enumerable.Range(p.Origin, horizon).Count(d => d < dataset.Days && !dataset.Series[p.Sku].IsCensored(d))).ToArray();
        var baseline = Losses(model, dataset, pairs, windows, horizon, levels);

        var permutations = new int[repeats][];
        var random = new SplitMix64(unchecked((ulong)seed ^ 0x494D504F5254414EUL));
        for (var r = 0; r < repeats; r++)
        {
            var order = Enumerable.Range(0, pairs.Length).ToArray();
            for (var i = order.Length - 1; i > 0; i--)
            {
                var j = (int)random.NextBelow(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            permutations[r] = order;
        }

        var skuOrder = skuIndices.ToArray();
        var rows = new List<ImportanceRow>();
        var perSku = new Dictionary<int, (double Increase, long Cells)>[FeatureGroups.All.Count];
        for (var g = 0; g < FeatureGroups.All.Count; g++)
        {
            var group = FeatureGroups.All[g];
            var (pastColumns, futureColumns) = FeatureGroups.Columns(model.Schema, group);
            var increase = new double[pairs.Length];
            foreach (var order in permutations)
            {
                var permuted = Permute(model.Schema, windows, order, pastColumns, futureColumns);
                var losses = Losses(model, dataset, pairs, permuted, horizon, levels);
                for (var i = 0; i < pairs.Length; i++)
                {
                    increase[i] += (losses[i] - baseline[i]) / repeats;
                }
            }

            var bySku = new Dictionary<int, (double Increase, long Cells)>();
            for (var i = 0; i < pairs.Length; i++)
            {
                var (sum, count) = bySku.GetValueOrDefault(pairs[i].Sku);
                bySku[pairs[i].Sku] = (sum + increase[i], count + cells[i]);
            }

            perSku[g] = bySku;
            var total = bySku.Values.Sum(v => v.Increase);
            var totalCells = bySku.Values.Sum(v => v.Cells);
            rows.Add(new ImportanceRow(forecaster, Overall, group, totalCells > 0 ? total / totalCells : double.NaN));
        }

        foreach (var sku in skuOrder)
        {
            for (var g = 0; g < FeatureGroups.All.Count; g++)
            {
                var (sum, count) = perSku[g][sku];
                rows.Add(new ImportanceRow(forecaster, dataset.Skus[sku].Sku, FeatureGroups.All[g], count > 0 ? sum / count : double.NaN));
            }
        }

        return rows;
    }

    /// <summary>The groups of the overall rows, most important first (ties in <see cref="FeatureGroups.All"/> order).</summary>
    public static IReadOnlyList<ImportanceRow> Ranked(IEnumerable<ImportanceRow> rows) =>
        [.. rows.Where(r => r.Sku == Overall).OrderByDescending(r => r.Importance).ThenBy(r => FeatureGroups.All.ToList().IndexOf(r.Group))];

    /// <summary>One line: the overall importances, largest first, e.g. "own-history 1.23, calendar-holidays 0.40, ...".</summary>
    public static string Describe(IEnumerable<ImportanceRow> rows) =>
        string.Join(", ", Ranked(rows).Select(r => r.Group + " " + r.Importance.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Copies of <paramref name="windows"/> whose group columns come from window order[i].</summary>
    private static ForecastWindow[] Permute(FeatureSchema schema, ForecastWindow[] windows, int[] order, int[] pastColumns, int[] futureColumns)
    {
        var pastWidth = schema.PastFeatureCount;
        var knownWidth = schema.KnownFeatureCount;
        var result = new ForecastWindow[windows.Length];
        for (var i = 0; i < windows.Length; i++)
        {
            var own = windows[i];
            var source = windows[order[i]];
            var past = (float[])own.Past.Clone();
            var future = (float[])own.Future.Clone();
            for (var row = 0; row < schema.Window; row++)
            {
                foreach (var c in pastColumns)
                {
                    past[(row * pastWidth) + c] = source.Past[(row * pastWidth) + c];
                }
            }

            for (var row = 0; row < schema.Horizon; row++)
            {
                foreach (var c in futureColumns)
                {
                    future[(row * knownWidth) + c] = source.Future[(row * knownWidth) + c];
                }
            }

            result[i] = own with { Past = past, Future = future };
        }

        return result;
    }

    /// <summary>Per window, the sum of the pinball losses over its in-stock horizon days, averaged over the levels.</summary>
    private static double[] Losses(LstmModel model, Dataset dataset, (int Sku, int Origin)[] pairs, ForecastWindow[] windows, int horizon, IReadOnlyList<double> levels)
    {
        var outputs = model.Predict(windows);
        var losses = new double[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            var (sku, origin) = pairs[i];
            var forecast = LstmForecaster.FromOutput(model, outputs[i], sku, origin, horizon, levels);
            var series = dataset.Series[sku];
            var sum = 0.0;
            for (var h = 0; h < horizon && origin + h < dataset.Days; h++)
            {
                if (series.IsCensored(origin + h))
                {
                    continue;
                }

                for (var k = 0; k < levels.Count; k++)
                {
                    sum += ForecastMetrics.Pinball(series.Units[origin + h], forecast.Quantiles[h][k], levels[k]);
                }
            }

            losses[i] = sum / levels.Count;
        }

        return losses;
    }
}
