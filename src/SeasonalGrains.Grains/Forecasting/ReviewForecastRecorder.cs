using SeasonalGrains.Forecasting.Metrics;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>
/// Records, for one SKU's season, the forecast each review was given: the mean and the band and
/// median quantiles of total demand over the protection interval (lead time + review period from the
/// review day, as the policy reads it), and each day's forecast from the newest review (mean, median and
/// band, for the days up to the next review); fills in the realised interval demand once its last day has been run.
/// </summary>
public sealed class ReviewForecastRecorder
{
    private readonly int _windowDays;
    private readonly int _reviewPeriodDays;
    private readonly int _intervalDays;
    private readonly double _lower;
    private readonly double _upper;
    // One record per review and one per day, each in a single array: a replay over thousands of SKUs finds a
    // SKU's recorder cold in the cache every day, and one cache line per review beats one per figure.
    private readonly List<ReviewRecord> _reviews = [];
    private readonly DayRecord[] _days;

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
        _days = new DayRecord[windowDays];
        Array.Fill(_days, new DayRecord(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN));
    }

    /// <summary>Days of the protection interval recorded per review (L + R).</summary>
    public int IntervalDays => _intervalDays;

    /// <summary>Records the outlook given to the review on window day <paramref name="day"/>.</summary>
    public void Review(int day, IDemandOutlook outlook)
    {
        ArgumentNullException.ThrowIfNull(outlook);
        CheckDay(day);
        _reviews.Add(new ReviewRecord(
            day,
            outlook.Mean(0, _intervalDays),
            outlook.Quantile(_lower, 0, _intervalDays),
            outlook.Quantile(ForecastMetrics.AbsoluteErrorLevel, 0, _intervalDays),
            outlook.Quantile(_upper, 0, _intervalDays),
            double.NaN));
        for (var h = 0; h < _reviewPeriodDays && day + h < _windowDays; h++)
        {
            _days[day + h] = _days[day + h] with
            {
                Mean = outlook.Mean(h, 1),
                Median = outlook.Quantile(ForecastMetrics.AbsoluteErrorLevel, h, 1),
                Lower = outlook.Quantile(_lower, h, 1),
                Upper = outlook.Quantile(_upper, h, 1),
            };
        }
    }

    /// <summary>Notes the demand of window day <paramref name="day"/>; closes the interval that ends on it.</summary>
    public void Observe(int day, double demand)
    {
        CheckDay(day);
        _days[day] = _days[day] with { Demand = demand };

        // the review whose interval ends today is the newest one on or before day - (L + R) + 1
        var start = day - _intervalDays + 1;
        var reviews = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_reviews);
        for (var k = reviews.Length - 1; k >= 0 && reviews[k].Day >= start; k--)
        {
            if (reviews[k].Day == start)
            {
                double sum = 0;
                for (var d = start; d <= day; d++)
                {
                    sum += _days[d].Demand;
                }

                reviews[k] = reviews[k] with { Actual = sum };
            }
        }
    }

    public ForecastLog Snapshot() => new()
    {
        LowerLevel = _lower,
        UpperLevel = _upper,
        ReviewDays = [.. _reviews.Select(r => r.Day)],
        IntervalDays = [.. Enumerable.Repeat(_intervalDays, _reviews.Count)],
        IntervalMean = [.. _reviews.Select(r => r.Mean)],
        IntervalLower = [.. _reviews.Select(r => r.Lower)],
        IntervalMedian = [.. _reviews.Select(r => r.Median)],
        IntervalUpper = [.. _reviews.Select(r => r.Upper)],
        IntervalActual = [.. _reviews.Select(r => r.Actual)],
        DayMean = [.. _days.Select(d => d.Mean)],
        DayLower = [.. _days.Select(d => d.Lower)],
        DayUpper = [.. _days.Select(d => d.Upper)],
        Demand = [.. _days.Select(d => d.Demand)],
        DayMedian = [.. _days.Select(d => d.Median)],
    };

    /// <summary>Restores a snapshot of the same season (window and levels).</summary>
    public void Load(ForecastLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.DayMean.Length != _windowDays || log.Demand.Length != _windowDays || log.LowerLevel != _lower || log.UpperLevel != _upper)
        {
            throw new ArgumentException("The saved forecast log belongs to another season or band.", nameof(log));
        }

        var n = log.ReviewDays.Length;
        if (log.IntervalMean.Length != n || log.IntervalLower.Length != n || log.IntervalMedian.Length != n || log.IntervalUpper.Length != n
            || log.IntervalActual.Length != n || log.DayLower.Length != _windowDays || log.DayUpper.Length != _windowDays
            || (log.DayMedian is { } medians && medians.Length != _windowDays))
        {
            throw new ArgumentException("The saved forecast log's columns differ in length.", nameof(log));
        }

        _reviews.Clear();
        for (var k = 0; k < n; k++)
        {
            _reviews.Add(new ReviewRecord(log.ReviewDays[k], log.IntervalMean[k], log.IntervalLower[k], log.IntervalMedian[k], log.IntervalUpper[k], log.IntervalActual[k]));
        }

        for (var d = 0; d < _windowDays; d++)
        {
            _days[d] = new DayRecord(log.DayMean[d], log.DayMedian?[d] ?? double.NaN, log.DayLower[d], log.DayUpper[d], log.Demand[d]);
        }
    }

    private void CheckDay(int day)
    {
        if (day < 0 || day >= _windowDays)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, $"Day must lie in 0..{_windowDays - 1}.");
        }
    }

    private readonly record struct ReviewRecord(int Day, double Mean, double Lower, double Median, double Upper, double Actual);

    private readonly record struct DayRecord(double Mean, double Median, double Lower, double Upper, double Demand);
}
