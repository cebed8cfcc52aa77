using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>
/// The outlook of a forecaster that predicts the quantiles of interval sums directly (the LSTM's interval
/// head): the quantile of total demand over the first n days is read from the sums' quantile curve of day n,
/// with no simulation. One day's quantile is read from that day's curve; the mean of a run of days is the sum of
/// the daily means. A run of several days that does not start at the origin has no curve of its own; it is
/// answered by sample paths over the daily curves (<see cref="SamplePathOutlook"/>, built on first use), as are
/// the levels 0 and 1 (the smallest and largest path sums).
/// Between and beyond the model's levels, <see cref="QuantileCurve"/> interpolates in the normal score.
/// <para>
/// Subclasses say where the numbers come from (<see cref="FromCurves"/>: curves already built; the LSTM tracker:
/// its model output, read where asked, with no curve built). Safe to share between threads.
/// </para>
/// </summary>
public abstract class IntervalQuantileOutlook : IForecastErrorOutlook
{
    private SamplePathOutlook? _paths;

    protected IntervalQuantileOutlook(int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Horizon = horizon;
    }

    /// <summary>Days covered from the origin.</summary>
    public int Horizon { get; }

    public abstract double? ErrorStandardDeviation { get; }

    /// <summary>An outlook over built curves.</summary>
    /// <param name="mean">Daily means, one per horizon day.</param>
    /// <param name="days">Daily quantile curves.</param>
    /// <param name="sums">Row h: the curve of total demand over days 0..h.</param>
    /// <param name="errorStandardDeviation">The recent one-day error sd, or null.</param>
    /// <param name="paths">Builds the sample-path outlook for runs of days that do not start at the origin.</param>
    public static IntervalQuantileOutlook FromCurves(
        double[] mean, QuantileCurve[] days, QuantileCurve[] sums, double? errorStandardDeviation, Func<SamplePathOutlook> paths) =>
        new Curves(mean, days, sums, errorStandardDeviation, paths);

    public double Mean(int offset, int days)
    {
        OutlookDays.Check(offset, days, Horizon);
        double sum = 0;
        for (var h = offset; h < offset + days; h++)
        {
            sum += DayMean(h);
        }

        return sum;
    }

    public double Quantile(double level, int offset, int days)
    {
        if (!(level >= 0 && level <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "A quantile level must lie in [0, 1].");
        }

        OutlookDays.Check(offset, days, Horizon);
        var inside = level > 0 && level < 1;
        if (inside && offset == 0)
        {
            return SumAtScore(days - 1, Normal.InverseCdf(level));
        }

        if (inside && days == 1)
        {
            return DayAtScore(offset, Normal.InverseCdf(level));
        }

        var paths = Volatile.Read(ref _paths);
        if (paths is null)
        {
            paths = SamplePaths();
            paths = Interlocked.CompareExchange(ref _paths, paths, null) ?? paths;
        }

        return paths.Quantile(level, offset, days);
    }

    /// <summary>
    /// The quantiles of total demand over days 0..n-1 for n = 1..<paramref name="days"/> at each level, read from the
    /// sums' curves with one normal score per level (the same numbers as <see cref="Quantile"/>).
    /// </summary>
    public void CumulativeQuantiles(ReadOnlySpan<double> levels, int days, Span<double> destination)
    {
        OutlookDays.Check(0, days, Horizon);
        if (destination.Length < levels.Length * days)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {levels.Length} levels x {days} days need {levels.Length * days}.", nameof(destination));
        }

        for (var j = 0; j < levels.Length; j++)
        {
            var level = levels[j];
            var row = destination.Slice(j * days, days);
            if (level > 0 && level < 1)
            {
                SumsAtScore(Normal.InverseCdf(level), row);
            }
            else
            {
                for (var n = 0; n < days; n++)
                {
                    row[n] = Quantile(level, 0, n + 1);
                }
            }
        }
    }

    /// <summary>The mean of horizon day <paramref name="h"/>.</summary>
    protected abstract double DayMean(int h);

    /// <summary>The quantile of horizon day <paramref name="h"/>'s demand at normal score <paramref name="z"/> (see <see cref="QuantileCurve"/>).</summary>
    protected abstract double DayAtScore(int h, double z);

    /// <summary>The quantile of total demand over horizon days 0..<paramref name="h"/> at normal score <paramref name="z"/>.</summary>
    protected abstract double SumAtScore(int h, double z);

    /// <summary>Element n of <paramref name="destination"/>: <see cref="SumAtScore"/>(n, <paramref name="z"/>).</summary>
    protected virtual void SumsAtScore(double z, Span<double> destination)
    {
        for (var n = 0; n < destination.Length; n++)
        {
            destination[n] = SumAtScore(n, z);
        }
    }

    /// <summary>Sample paths over the daily curves, for the runs of days the sums do not answer.</summary>
    protected abstract SamplePathOutlook SamplePaths();

    private sealed class Curves : IntervalQuantileOutlook
    {
        private readonly double[] _mean;
        private readonly QuantileCurve[] _days;
        private readonly QuantileCurve[] _sums;
        private readonly Func<SamplePathOutlook> _buildPaths;

        public Curves(double[] mean, QuantileCurve[] days, QuantileCurve[] sums, double? errorStandardDeviation, Func<SamplePathOutlook> paths)
            : base(mean?.Length ?? throw new ArgumentNullException(nameof(mean)))
        {
            ArgumentNullException.ThrowIfNull(days);
            ArgumentNullException.ThrowIfNull(sums);
            ArgumentNullException.ThrowIfNull(paths);
            if (days.Length != mean.Length || sums.Length != mean.Length)
            {
                throw new ArgumentException($"An interval outlook needs one mean, one daily curve and one sum curve per day (got {mean.Length}, {days.Length} and {sums.Length}).", nameof(sums));
            }

            if (mean.Any(m => !double.IsFinite(m)))
            {
                throw new ArgumentException("Every forecast mean must be finite.", nameof(mean));
            }

            if (errorStandardDeviation is { } sd && !(sd >= 0 && double.IsFinite(sd)))
            {
                throw new ArgumentOutOfRangeException(nameof(errorStandardDeviation), sd, "The error standard deviation must be a finite number >= 0.");
            }

            _mean = mean;
            _days = days;
            _sums = sums;
            _buildPaths = paths;
            ErrorStandardDeviation = errorStandardDeviation;
        }

        public override double? ErrorStandardDeviation { get; }

        protected override double DayMean(int h) => _mean[h];

        protected override double DayAtScore(int h, double z) => _days[h].AtScore(z);

        protected override double SumAtScore(int h, double z) => _sums[h].AtScore(z);

        protected override SamplePathOutlook SamplePaths() => _buildPaths();
    }
}
