using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>
/// The quantile function of one day's demand, from quantiles held at a few levels. Between and
/// beyond the levels it is linear in the normal score <c>z = Φ⁻¹(level)</c> rather than in the
/// level: exact for a normal distribution everywhere (tails included), and a smooth, monotone
/// reading of skewed ones. Beyond the outer levels the outermost segment is extended; values below
/// 0 are raised to 0 (demand is never negative). Evaluated at a normal score directly, so a
/// standard normal variate maps to a draw from the day's distribution.
/// </summary>
public sealed class QuantileCurve
{
    private readonly double[] _scores;
    private readonly double[] _values;

    /// <summary>
    /// A curve through <paramref name="quantiles"/> at <paramref name="levels"/> (strictly ascending inside (0, 1)).
    /// Crossed quantiles (a higher level with a lower value) are put in ascending order, the monotone
    /// rearrangement of the forecast; NaN or infinite values are an error.
    /// </summary>
    public QuantileCurve(IReadOnlyList<double> levels, IReadOnlyList<double> quantiles)
    {
        _scores = NormalScores(levels);
        _values = Ordered(quantiles, _scores.Length);
    }

    private QuantileCurve(double[] scores, double[] values)
    {
        _scores = scores;
        _values = values;
    }

    /// <summary>
    /// A curve from precomputed normal scores of the levels (see <see cref="NormalScores"/>), to
    /// share one score array among the days of a forecast.
    /// </summary>
    public static QuantileCurve FromScores(double[] scores, IReadOnlyList<double> quantiles)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return new(scores, Ordered(quantiles, scores.Length));
    }

    /// <summary>As <see cref="FromScores(double[], IReadOnlyList{double})"/>, from single-precision quantiles (a model's output).</summary>
    public static QuantileCurve FromScores(double[] scores, ReadOnlySpan<float> quantiles)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Length == 0 || quantiles.Length != scores.Length)
        {
            throw new ArgumentException($"A quantile curve needs one quantile per level and at least one level (got {quantiles.Length} quantiles for {scores.Length} levels).", nameof(quantiles));
        }

        var values = new double[quantiles.Length];
        for (var k = 0; k < values.Length; k++)
        {
            values[k] = quantiles[k];
        }

        return new(scores, Checked(values));
    }

    /// <summary>Normal scores Φ⁻¹(level) of strictly ascending levels inside (0, 1).</summary>
    public static double[] NormalScores(IReadOnlyList<double> levels)
    {
        ForecastRequestChecks.ValidateLevels(levels, "quantile curve");
        if (levels.Count == 0)
        {
            throw new ArgumentException("A quantile curve needs at least one level.", nameof(levels));
        }

        return levels.Select(Normal.InverseCdf).ToArray();
    }

    /// <summary>The quantile at normal score <paramref name="z"/> (level Φ(z)).</summary>
    public double AtScore(double z)
    {
        var s = _scores;
        var v = _values;
        if (s.Length == 1)
        {
            return Math.Max(0, v[0]);
        }

        var lo = Segment(s, z);
        var value = v[lo] + ((v[lo + 1] - v[lo]) * (z - s[lo]) / (s[lo + 1] - s[lo]));
        return value > 0 ? value : 0;
    }

    /// <summary>
    /// <see cref="AtScore(double)"/> of the curve through <paramref name="values"/> (one per score, already in
    /// ascending order, as a model's non-crossing output is) without building it.
    /// </summary>
    public static double AtScore(ReadOnlySpan<double> scores, ReadOnlySpan<float> values, double z)
    {
        if (scores.Length == 0 || values.Length != scores.Length)
        {
            throw new ArgumentException($"A quantile curve needs one quantile per level and at least one level (got {values.Length} quantiles for {scores.Length} levels).", nameof(values));
        }

        if (scores.Length == 1)
        {
            return Math.Max(0, values[0]);
        }

        var lo = Segment(scores, z);
        double low = values[lo];
        var value = low + ((values[lo + 1] - low) * (z - scores[lo]) / (scores[lo + 1] - scores[lo]));
        return value > 0 ? value : 0;
    }

    /// <summary>
    /// <see cref="AtScore(ReadOnlySpan{double}, ReadOnlySpan{float}, double)"/> of several curves at one score, with the
    /// segment found once: curve i's values start at <paramref name="first"/> + i <paramref name="stride"/> in
    /// <paramref name="values"/>; one result per element of <paramref name="destination"/>.
    /// </summary>
    public static void AtScoreRows(ReadOnlySpan<double> scores, ReadOnlySpan<float> values, int first, int stride, double z, Span<double> destination)
    {
        if (scores.Length == 0 || first < 0 || stride < scores.Length || (destination.Length > 0 && first + ((destination.Length - 1) * stride) + scores.Length > values.Length))
        {
            throw new ArgumentException($"{destination.Length} curves of {scores.Length} quantiles from {first} every {stride} do not fit in {values.Length} values.", nameof(values));
        }

        if (scores.Length == 1)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = Math.Max(0, values[first + (i * stride)]);
            }

            return;
        }

        var lo = Segment(scores, z);
        var from = z - scores[lo];
        var width = scores[lo + 1] - scores[lo];
        for (var i = 0; i < destination.Length; i++)
        {
            var at = first + (i * stride) + lo;
            double low = values[at];
            var value = low + ((values[at + 1] - low) * from / width);
            destination[i] = value > 0 ? value : 0;
        }
    }

    /// <summary>The segment [lo, lo + 1] of the scores that holds (or, outside them, extends to) <paramref name="z"/>.</summary>
    private static int Segment(ReadOnlySpan<double> s, double z)
    {
        if (z <= s[0])
        {
            return 0;
        }

        if (z >= s[^1])
        {
            return s.Length - 2;
        }

        var lo = 0;
        var hi = s.Length - 1;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) >> 1;
            if (s[mid] <= z)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The quantile at <paramref name="level"/> inside (0, 1).</summary>
    public double AtLevel(double level) => AtScore(Normal.InverseCdf(level));

    /// <summary>Half the distance between the quantiles at z = +1 and z = -1: the sd of a normal day.</summary>
    public double ImpliedStandardDeviation => (AtScore(1) - AtScore(-1)) / 2;

    private static double[] Ordered(IReadOnlyList<double> quantiles, int levels)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        if (levels == 0 || levels != quantiles.Count)
        {
            throw new ArgumentException($"A quantile curve needs one quantile per level and at least one level (got {quantiles.Count} quantiles for {levels} levels).", nameof(quantiles));
        }

        var values = new double[levels];
        for (var k = 0; k < values.Length; k++)
        {
            values[k] = quantiles[k];
        }

        return Checked(values);
    }

    /// <summary>Checks that <paramref name="values"/> are finite and puts them in ascending order (in place).</summary>
    private static double[] Checked(double[] values)
    {
        var ascending = true;
        for (var k = 0; k < values.Length; k++)
        {
            if (!double.IsFinite(values[k]))
            {
                throw new ArgumentException($"Quantile {k} is {values[k].ToString(CultureInfo.InvariantCulture)}; quantiles must be finite.", "quantiles");
            }

            ascending &= k == 0 || values[k] >= values[k - 1];
        }

        if (!ascending)
        {
            Array.Sort(values);
        }

        return values;
    }
}
