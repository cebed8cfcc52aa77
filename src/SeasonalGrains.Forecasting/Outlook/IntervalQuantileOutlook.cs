using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Forecasting;

/// <summary>
/// The outlook of a forecaster that predicts the quantiles of interval sums directly (the LSTM's interval
/// head): the quantile of total demand over the first n days is read from the sums' quantile curve of day n,
/// with no simulation. One day's quantile is read from that day's curve; the mean of a run of days is the sum of
/// the daily means. A run of several days that does not start at the origin has no curve of its own; it is
/// answered by sample paths over the daily curves (<see cref="SamplePathOutlook"/>, built on first use), as are
/// the levels 0 and 1 (the smallest and largest path sums).
/// Between and beyond the model's levels, <see cref="QuantileCurve"/> interpolates in the normal score.
/// </summary>
public sealed class IntervalQuantileOutlook : IForecastErrorOutlook
{
    private readonly double[] _mean;
    private readonly Func<int, QuantileCurve> _day;
    private readonly Func<int, QuantileCurve> _sum;
    private readonly QuantileCurve?[] _days;
    private readonly QuantileCurve?[] _sums;
    private readonly Func<SamplePathOutlook> _paths;
    private SamplePathOutlook? _fallback;

    /// <param name="mean">Daily means, one per horizon day.</param>
    /// <param name="days">Daily quantile curves.</param>
    /// <param name="sums">Row h: the curve of total demand over days 0..h.</param>
    /// <param name="errorStandardDeviation">The recent one-day error sd, or null.</param>
    /// <param name="paths">Builds the sample-path outlook for runs of days that do not start at the origin.</param>
    public IntervalQuantileOutlook(double[] mean, QuantileCurve[] days, QuantileCurve[] sums, double? errorStandardDeviation, Func<SamplePathOutlook> paths)
        : this(mean, h => days[h], h => sums[h], errorStandardDeviation, paths)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(sums);
        if (days.Length != mean.Length || sums.Length != mean.Length)
        {
            throw new ArgumentException($"An interval outlook needs one mean, one daily curve and one sum curve per day (got {mean.Length}, {days.Length} and {sums.Length}).", nameof(sums));
        }
    }

    /// <summary>As the other constructor, with curves made when first asked for (day h: <paramref name="day"/>(h), sum of days 0..h: <paramref name="sum"/>(h)).</summary>
    public IntervalQuantileOutlook(double[] mean, Func<int, QuantileCurve> day, Func<int, QuantileCurve> sum, double? errorStandardDeviation, Func<SamplePathOutlook> paths)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(sum);
        ArgumentNullException.ThrowIfNull(paths);
        if (mean.Length == 0)
        {
            throw new ArgumentException("An interval outlook needs at least one day.", nameof(mean));
        }

        foreach (var m in mean)
        {
            if (!double.IsFinite(m))
            {
                throw new ArgumentException("Every forecast mean must be finite.", nameof(mean));
            }
        }

        if (errorStandardDeviation is { } sd && !(sd >= 0 && double.IsFinite(sd)))
        {
            throw new ArgumentOutOfRangeException(nameof(errorStandardDeviation), sd, "The error standard deviation must be a finite number >= 0.");
        }

        _mean = mean;
        _day = day;
        _sum = sum;
        _days = new QuantileCurve?[mean.Length];
        _sums = new QuantileCurve?[mean.Length];
        _paths = paths;
        ErrorStandardDeviation = errorStandardDeviation;
    }

    /// <summary>Days covered from the origin.</summary>
    public int Horizon => _mean.Length;

    public double? ErrorStandardDeviation { get; }

    public double Mean(int offset, int days)
    {
        CheckRange(offset, days);
        double sum = 0;
        for (var h = offset; h < offset + days; h++)
        {
            sum += _mean[h];
        }

        return sum;
    }

    public double Quantile(double level, int offset, int days)
    {
        if (!(level >= 0 && level <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "A quantile level must lie in [0, 1].");
        }

        CheckRange(offset, days);
        var inside = level > 0 && level < 1;
        if (inside && offset == 0)
        {
            return (_sums[days - 1] ??= _sum(days - 1)).AtScore(Normal.InverseCdf(level));
        }

        if (inside && days == 1)
        {
            return (_days[offset] ??= _day(offset)).AtScore(Normal.InverseCdf(level));
        }

        var fallback = Volatile.Read(ref _fallback);
        if (fallback is null)
        {
            fallback = _paths();
            fallback = Interlocked.CompareExchange(ref _fallback, fallback, null) ?? fallback;
        }

        return fallback.Quantile(level, offset, days);
    }

    private void CheckRange(int offset, int days)
    {
        if (offset < 0 || days < 1 || offset + days > Horizon)
        {
            throw new ArgumentOutOfRangeException(
                nameof(days), $"Asked for {days} day(s) from offset {offset}, but the forecast covers days 0..{Horizon - 1} from its origin (days >= 1, offset >= 0). Forecast a longer horizon.");
        }
    }
}
