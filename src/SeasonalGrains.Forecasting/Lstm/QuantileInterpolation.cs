namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// Quantiles at arbitrary levels from a model's quantiles at fixed levels. A level equal to a model level
/// takes that value; a level between two model levels is interpolated linearly in the level; a level
/// outside the model's range is extrapolated linearly from the two nearest model levels (with one model
/// level: that value). Results are floored at 0. Since model quantiles are ascending, the slopes are
/// non-negative and the results ascend with the level too.
/// </summary>
public static class QuantileInterpolation
{
    /// <summary>Quantiles at <paramref name="levels"/> from <paramref name="values"/> at <paramref name="modelLevels"/>.</summary>
    public static double[] At(IReadOnlyList<double> modelLevels, ReadOnlySpan<float> values, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(modelLevels);
        ArgumentNullException.ThrowIfNull(levels);
        if (modelLevels.Count == 0 || values.Length != modelLevels.Count)
        {
            throw new ArgumentException($"Need one value per model level: {modelLevels.Count} levels, {values.Length} values.", nameof(values));
        }

        var result = new double[levels.Count];
        var last = modelLevels.Count - 1;
        for (var i = 0; i < levels.Count; i++)
        {
            var p = levels[i];
            double q;
            if (last == 0)
            {
                q = values[0];
            }
            else
            {
                // Segment [k, k+1] containing p, or the first/last segment for extrapolation.
                var k = 0;
                while (k < last - 1 && p > modelLevels[k + 1])
                {
                    k++;
                }

                var (p0, p1) = (modelLevels[k], modelLevels[k + 1]);
                var (v0, v1) = ((double)values[k], (double)values[k + 1]);
                q = Math.Abs(p - p0) < 1e-12 ? v0
                    : Math.Abs(p - p1) < 1e-12 ? v1
                    : v0 + ((v1 - v0) * (p - p0) / (p1 - p0));
            }

            result[i] = Math.Max(0, q);
        }

        return result;
    }
}
