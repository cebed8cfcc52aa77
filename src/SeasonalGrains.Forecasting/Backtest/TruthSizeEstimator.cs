using SeasonalGrains.Data.Generation;
using SeasonalGrains.Data.Truth;

namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>A negative binomial size estimated for one SKU of a truth table, and how well it reproduces the table.</summary>
/// <param name="Size">The estimated size r (variance = mean + mean²/r).</param>
/// <param name="Matched">Stored quantiles (days x levels) equal to the negative binomial quantile with this size.</param>
/// <param name="Compared">Stored quantiles compared: every day with a mean, at every level.</param>
public sealed record TruthSizeEstimate(double Size, long Matched, long Compared);

/// <summary>
/// Recovers the negative binomial size of one SKU from the quantiles truth.csv stores (integers: the smallest
/// k with P(X ≤ k) ≥ level, for the day's mean). The number of stored quantiles that the size reproduces is a
/// step function of the size; the estimator scans log(size) over [<see cref="MinSize"/>, <see cref="MaxSize"/>]
/// on up to <see cref="SampleDays"/> evenly spaced days, narrows the scan three times around the best range and
/// takes the middle (in log size) of the sizes with the fewest mismatches. The result is then checked on
/// every day.
/// </summary>
public static class TruthSizeEstimator
{
    public const double MinSize = 0.05;
    public const double MaxSize = 10_000;
    public const int SampleDays = 60;
    private const int FirstGrid = 32;
    private const int RefineGrid = 16;
    private const int RefineRounds = 3;

    public static TruthSizeEstimate Estimate(TruthTable table, int sku)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegative(sku);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sku, table.Skus.Count);
        var mean = table.Mean[sku];
        var quantiles = table.Quantiles(sku);
        var levels = table.Levels.ToArray();
        var days = Enumerable.Range(0, table.Days)
            .Where(d => double.IsFinite(mean[d]) && quantiles.All(q => double.IsFinite(q[d])))
            .ToArray();
        if (days.Length == 0)
        {
            return new TruthSizeEstimate(double.NaN, 0, 0);
        }

        var sample = days.Length <= SampleDays
            ? days
            : [.. Enumerable.Range(0, SampleDays).Select(i => days[(int)((long)i * days.Length / SampleDays)])];

        var lo = Math.Log(MinSize);
        var hi = Math.Log(MaxSize);
        var grid = FirstGrid;
        var best = (Lo: lo, Hi: hi);
        for (var round = 0; round <= RefineRounds; round++)
        {
            var logs = Enumerable.Range(0, grid).Select(i => lo + ((hi - lo) * i / (grid - 1))).ToArray();
            var misses = logs.Select(x => Mismatches(mean, quantiles, levels, sample, Math.Exp(x))).ToArray();
            var fewest = misses.Min();
            var first = Array.IndexOf(misses, fewest);
            var last = first;
            while (last + 1 < misses.Length && misses[last + 1] == fewest)
            {
                last++;
            }

            best = (logs[first], logs[last]);
            lo = logs[Math.Max(0, first - 1)];
            hi = logs[Math.Min(logs.Length - 1, last + 1)];
            grid = RefineGrid;
        }

        var size = Math.Exp((best.Lo + best.Hi) / 2);
        var compared = (long)days.Length * levels.Length;
        return new TruthSizeEstimate(size, compared - Mismatches(mean, quantiles, levels, days, size), compared);
    }

    private static long Mismatches(double[] mean, double[][] stored, double[] levels, int[] days, double size)
    {
        Span<double> q = stackalloc double[levels.Length];
        long misses = 0;
        foreach (var d in days)
        {
            NegativeBinomial.Quantiles(mean[d], size, levels, q);
            for (var l = 0; l < levels.Length; l++)
            {
                if (q[l] != stored[l][d])
                {
                    misses++;
                }
            }
        }

        return misses;
    }
}
