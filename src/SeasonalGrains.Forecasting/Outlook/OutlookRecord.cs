namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>
/// The forecast behind one outlook handed to a review: total demand over the SKU's protection
/// interval (<see cref="IntervalDays"/> from the origin) and demand on the origin day itself, with
/// the actual figures where the dataset has them.
/// </summary>
public sealed record OutlookRecord(
    int SkuIndex,
    string Sku,
    int Origin,
    int IntervalDays,
    double IntervalMean,
    double IntervalLower,
    double IntervalMedian,
    double IntervalUpper,
    double DayMean,
    double DayLower,
    double DayUpper,
    double? ErrorStandardDeviation,
    double? IntervalActual = null,
    double? DayActual = null);

/// <summary>How good the forecasts behind a replay's reviews were.</summary>
/// <param name="Count">Records with actuals for the interval.</param>
/// <param name="IntervalMae">Mean absolute error of the interval mean.</param>
/// <param name="IntervalBias">Mean of (forecast - actual) over intervals: positive = over-forecast.</param>
/// <param name="IntervalWape">Sum of absolute interval errors / sum of interval actuals (NaN with no demand).</param>
/// <param name="IntervalCoverage">Share of intervals whose actual fell inside [lower, upper].</param>
/// <param name="DayMae">Mean absolute error of the day-0 mean.</param>
/// <param name="DayBias">Mean of (forecast - actual) on the origin day.</param>
/// <param name="DayCoverage">Share of origin days whose actual fell inside [lower, upper].</param>
/// <param name="LowerLevel">The band's lower level.</param>
/// <param name="UpperLevel">The band's upper level.</param>
public sealed record OutlookAccuracy(
    int Count,
    double IntervalMae,
    double IntervalBias,
    double IntervalWape,
    double IntervalCoverage,
    double DayMae,
    double DayBias,
    double DayCoverage,
    double LowerLevel,
    double UpperLevel)
{
    /// <summary>Summarises the records that have actuals; NaN figures when none has.</summary>
    public static OutlookAccuracy Summarise(IEnumerable<OutlookRecord> records, double lowerLevel, double upperLevel)
    {
        ArgumentNullException.ThrowIfNull(records);
        int n = 0, days = 0, inside = 0, dayInside = 0;
        double absolute = 0, bias = 0, actual = 0, dayAbsolute = 0, dayBias = 0;
        foreach (var r in records)
        {
            if (r.IntervalActual is { } a)
            {
                n++;
                absolute += Math.Abs(r.IntervalMean - a);
                bias += r.IntervalMean - a;
                actual += a;
                inside += a >= r.IntervalLower && a <= r.IntervalUpper ? 1 : 0;
            }

            if (r.DayActual is { } d)
            {
                days++;
                dayAbsolute += Math.Abs(r.DayMean - d);
                dayBias += r.DayMean - d;
                dayInside += d >= r.DayLower && d <= r.DayUpper ? 1 : 0;
            }
        }

        return new OutlookAccuracy(
            n,
            n > 0 ? absolute / n : double.NaN,
            n > 0 ? bias / n : double.NaN,
            actual > 0 ? absolute / actual : double.NaN,
            n > 0 ? (double)inside / n : double.NaN,
            days > 0 ? dayAbsolute / days : double.NaN,
            days > 0 ? dayBias / days : double.NaN,
            days > 0 ? (double)dayInside / days : double.NaN,
            lowerLevel,
            upperLevel);
    }
}
