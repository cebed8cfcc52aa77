namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>How good the forecasts behind a replay's reviews were.</summary>
/// <param name="Count">Records with actuals for the interval.</param>
/// <param name="IntervalMae">Mean absolute error of the interval median.</param>
/// <param name="IntervalBias">Mean of (forecast - actual) over intervals: positive = over-forecast.</param>
/// <param name="IntervalWape">Sum of absolute errors of the interval median / sum of interval actuals (NaN with no demand).</param>
/// <param name="IntervalCoverage">Share of intervals whose actual fell inside [lower, upper].</param>
/// <param name="DayMae">Mean absolute error of the day-0 median.</param>
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
    double UpperLevel);
