namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// An outlook that also knows how large its recent forecast errors were. Kept apart from
/// <see cref="IDemandOutlook"/> so outlooks without an error record (the true distribution, a
/// hand-written one) need not invent one; policies that use it test for it.
/// </summary>
public interface IForecastErrorOutlook : IDemandOutlook
{
    /// <summary>
    /// Standard deviation of recent one-day forecast errors (actual - forecast mean, in units per
    /// day), or null when there is no record to measure it from.
    /// </summary>
    double? ErrorStandardDeviation { get; }
}
