namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>Empirical quantiles of a sample.</summary>
public static class EmpiricalQuantile
{
    /// <summary>
    /// Quantile at level <paramref name="p"/> of an ascending sample by linear interpolation between
    /// order statistics: position <c>p (n - 1)</c> in the 0-based sorted sample (Hyndman and Fan's
    /// type 7, the default of R's <c>quantile</c> and NumPy's <c>percentile</c>). Ascending in p.
    /// </summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0)
        {
            throw new ArgumentException("The sample is empty.", nameof(sorted));
        }

        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The level must be inside [0, 1].");
        }

        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        var fraction = position - below;
        return sorted[below] + (fraction * (sorted[above] - sorted[below]));
    }
}
