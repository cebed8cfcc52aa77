using SeasonalGrains.Forecasting.Outlook;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>How good the forecasts of a set of seasons' reviews were, from their <see cref="ForecastLog"/>s.</summary>
public static class ForecastLogAccuracy
{
    /// <summary>
    /// Interval figures over the reviews whose protection interval ended inside the window (MAE and WAPE
    /// score the forecast median, bias the mean, as the backtests do: an absolute error is smallest in
    /// expectation at the median; coverage = share of realised totals inside the recorded band); day figures
    /// over the window days that had a forecast (the newest review's forecast of that day; a log saved before
    /// day medians were recorded scores its day MAE on the mean).
    /// The band's levels are those of the first log (all must agree). NaN figures where nothing counts.
    /// </summary>
    public static OutlookAccuracy Of(IEnumerable<ForecastLog> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        int n = 0, inside = 0, days = 0, dayInside = 0;
        double absolute = 0, bias = 0, actual = 0, dayAbsolute = 0, dayBias = 0;
        double? lower = null, upper = null;
        foreach (var log in logs)
        {
            lower ??= log.LowerLevel;
            upper ??= log.UpperLevel;
            if (log.LowerLevel != lower || log.UpperLevel != upper)
            {
                throw new ArgumentException("Forecast logs with different bands cannot be summarised together.", nameof(logs));
            }

            for (var k = 0; k < log.ReviewDays.Length; k++)
            {
                var a = log.IntervalActual[k];
                if (!double.IsFinite(a))
                {
                    continue;
                }

                n++;
                absolute += Math.Abs(log.IntervalMedian[k] - a);
                bias += log.IntervalMean[k] - a;
                actual += a;
                inside += a >= log.IntervalLower[k] && a <= log.IntervalUpper[k] ? 1 : 0;
            }

            for (var d = 0; d < log.DayMean.Length; d++)
            {
                var a = log.Demand[d];
                if (!double.IsFinite(log.DayMean[d]) || !double.IsFinite(a))
                {
                    continue;
                }

                days++;
                // days of a log saved before day medians were recorded (all of it, or the part before a restore) have none
                var median = log.DayMedian?[d] ?? double.NaN;
                dayAbsolute += Math.Abs((double.IsFinite(median) ? median : log.DayMean[d]) - a);
                dayBias += log.DayMean[d] - a;
                dayInside += a >= log.DayLower[d] && a <= log.DayUpper[d] ? 1 : 0;
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
            lower ?? double.NaN,
            upper ?? double.NaN);
    }
}
