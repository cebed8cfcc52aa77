using SeasonalGrains.Abstractions;
using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>
/// Records, for one SKU's season, the forecast each review was given: the mean and the band and
/// median quantiles of total demand over the protection interval (lead time + review period from the
/// review day, as the policy reads it), and each day's forecast from the newest review (the days up
/// to the next review); fills in the realised interval demand once its last day has been run.
/// </summary>
public sealed class ReviewForecastRecorder
{
    private readonly int _windowDays;
    private readonly int _reviewPeriodDays;
    private readonly int _intervalDays;
    private readonly double _lower;
    private readonly double _upper;
    private readonly List<int> _reviewDays = [];
    private readonly List<double> _mean = [];
    private readonly List<double> _lowerQ = [];
    private readonly List<double> _median = [];
    private readonly List<double> _upperQ = [];
    private readonly List<double> _actual = [];
    private readonly double[] _dayMean;
    private readonly double[] _dayLower;
    private readonly double[] _dayUpper;
    private readonly double[] _demand;

    public ReviewForecastRecorder(int windowDays, int reviewPeriodDays, int leadTimeDays, double lowerLevel = 0.05, double upperLevel = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reviewPeriodDays, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(leadTimeDays);
        if (!(lowerLevel > 0 && lowerLevel < upperLevel && upperLevel < 1))
        {
            throw new ArgumentException($"The recorded band needs 0 < lower < upper < 1 (got {lowerLevel}, {upperLevel}).");
        }

        _windowDays = windowDays;
        _reviewPeriodDays = reviewPeriodDays;
        _intervalDays = leadTimeDays + reviewPeriodDays;
        _lower = lowerLevel;
        _upper = upperLevel;
        _dayMean = NaNs(windowDays);
        _dayLower = NaNs(windowDays);
        _dayUpper = NaNs(windowDays);
        _demand = NaNs(windowDays);
    }

    /// <summary>Days of the protection interval recorded per review (L + R).</summary>
    public int IntervalDays => _intervalDays;

    /// <summary>Records the outlook given to the review on window day <paramref name="day"/>.</summary>
    public void Review(int day, IDemandOutlook outlook)
    {
        ArgumentNullException.ThrowIfNull(outlook);
        CheckDay(day);
        _reviewDays.Add(day);
        _mean.Add(outlook.Mean(0, _intervalDays));
        _lowerQ.Add(outlook.Quantile(_lower, 0, _intervalDays));
        _median.Add(outlook.Quantile(0.5, 0, _intervalDays));
        _upperQ.Add(outlook.Quantile(_upper, 0, _intervalDays));
        _actual.Add(double.NaN);
        for (var h = 0; h < _reviewPeriodDays && day + h < _windowDays; h++)
        {
            _dayMean[day + h] = outlook.Mean(h, 1);
            _dayLower[day + h] = outlook.Quantile(_lower, h, 1);
            _dayUpper[day + h] = outlook.Quantile(_upper, h, 1);
        }
    }

    /// <summary>Notes the demand of window day <paramref name="day"/>; closes the interval that ends on it.</summary>
    public void Observe(int day, double demand)
    {
        CheckDay(day);
        _demand[day] = demand;

        // the review whose interval ends today is the newest one on or before day - (L + R) + 1
        var start = day - _intervalDays + 1;
        for (var k = _reviewDays.Count - 1; k >= 0 && _reviewDays[k] >= start; k--)
        {
            if (_reviewDays[k] == start)
            {
                double sum = 0;
                for (var d = start; d <= day; d++)
                {
                    sum += _demand[d];
                }

                _actual[k] = sum;
            }
        }
    }

    public ForecastLog Snapshot() => new()
    {
        LowerLevel = _lower,
        UpperLevel = _upper,
        ReviewDays = [.. _reviewDays],
        IntervalDays = [.. Enumerable.Repeat(_intervalDays, _reviewDays.Count)],
        IntervalMean = [.. _mean],
        IntervalLower = [.. _lowerQ],
        IntervalMedian = [.. _median],
        IntervalUpper = [.. _upperQ],
        IntervalActual = [.. _actual],
        DayMean = (double[])_dayMean.Clone(),
        DayLower = (double[])_dayLower.Clone(),
        DayUpper = (double[])_dayUpper.Clone(),
        Demand = (double[])_demand.Clone(),
    };

    /// <summary>Restores a snapshot of the same season (window and levels).</summary>
    public void Load(ForecastLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.DayMean.Length != _windowDays || log.Demand.Length != _windowDays || log.LowerLevel != _lower || log.UpperLevel != _upper)
        {
            throw new ArgumentException("The saved forecast log belongs to another season or band.", nameof(log));
        }

        _reviewDays.Clear();
        _reviewDays.AddRange(log.ReviewDays);
        Replace(_mean, log.IntervalMean);
        Replace(_lowerQ, log.IntervalLower);
        Replace(_median, log.IntervalMedian);
        Replace(_upperQ, log.IntervalUpper);
        Replace(_actual, log.IntervalActual);
        log.DayMean.CopyTo(_dayMean, 0);
        log.DayLower.CopyTo(_dayLower, 0);
        log.DayUpper.CopyTo(_dayUpper, 0);
        log.Demand.CopyTo(_demand, 0);
    }

    private static void Replace(List<double> target, double[] values)
    {
        target.Clear();
        target.AddRange(values);
    }

    private void CheckDay(int day)
    {
        if (day < 0 || day >= _windowDays)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"Day must lie in 0..{_windowDays - 1}.");
        }
    }

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }
}
