namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Demand of out-of-stock days estimated for the classical forecasters' fits: on a censored day the units are sales,
/// a lower bound of demand. The day's demand is taken as the larger of its sales and the mean units of the
/// in-stock days among the same weekday 1..4 weeks before (<see cref="Weeks"/>), or, when all four were out of stock
/// too, of the in-stock days among the 28 days before it; with no in-stock day there, the sales stand. It reads only
/// days before the day itself, so a history imputed this way never sees the forecast origin or later, and a day's
/// value is the same from every origin.
/// </summary>
public static class UnconstrainedDemand
{
    /// <summary>Weeks back the same weekday is looked up.</summary>
    public const int Weeks = 4;

    /// <summary>
    /// Units of days [0, <paramref name="end"/>) of <paramref name="series"/> with censored days imputed; the series'
    /// own array (a copy of it) when it has no stock flags. Units must be finite and non-negative.
    /// </summary>
    public static double[] History(SkuSeries series, int end)
    {
        ArgumentNullException.ThrowIfNull(series);
        var history = series.Units.AsSpan(0, end).ToArray();
        if (series.Censored is null)
        {
            return history;
        }

        for (var d = 0; d < end; d++)
        {
            if (series.IsCensored(d))
            {
                history[d] = Math.Max(series.Units[d], Estimate(series, d) ?? series.Units[d]);
            }
        }

        return history;
    }

    /// <summary>The estimate of day <paramref name="day"/>'s demand from in-stock days before it, or null without any.</summary>
    public static double? Estimate(SkuSeries series, int day)
    {
        ArgumentNullException.ThrowIfNull(series);
        var sum = 0.0;
        var n = 0;
        for (var k = 1; k <= Weeks; k++)
        {
            var d = day - (7 * k);
            if (d >= 0 && !series.IsCensored(d))
            {
                sum += series.Units[d];
                n++;
            }
        }

        if (n == 0)
        {
            for (var d = Math.Max(0, day - (7 * Weeks)); d < day; d++)
            {
                if (!series.IsCensored(d))
                {
                    sum += series.Units[d];
                    n++;
                }
            }
        }

        return n > 0 ? sum / n : null;
    }
}
