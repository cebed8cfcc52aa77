using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>
/// The one way a forecast becomes the outlook a forecast policy reads, for replays (<see cref="ForecastOutlookProvider"/>)
/// and live SKUs alike: each day's quantiles as a <see cref="QuantileCurve"/>; with interval quantiles (the LSTM's
/// interval head) and <see cref="OutlookOptions.UseIntervalQuantiles"/>, an <see cref="IntervalQuantileOutlook"/> that
/// reads totals from them; otherwise sample paths over the daily curves (<see cref="SamplePathOutlook"/>). The error sd
/// is the measured one when there is an error record with enough errors, else the forecast's own day-0 spread.
/// </summary>
public static class ForecastOutlooks
{
    /// <summary>
    /// The outlook of <paramref name="forecast"/>; <paramref name="scores"/> are the normal scores of its levels
    /// (<see cref="QuantileCurve.NormalScores"/>, which a caller may cache), <paramref name="streamKey"/> keys its
    /// sample paths (<see cref="SamplePathOutlook.StreamKey"/>).
    /// </summary>
    public static IForecastErrorOutlook Build(
        SkuForecast forecast, double[] scores, OutlookOptions options, ulong streamKey, double? measuredErrorStandardDeviation)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(options);
        if (forecast.Quantiles.Length != forecast.Mean.Length)
        {
            throw new ArgumentException($"The forecast of SKU {forecast.SkuIndex} from origin {forecast.Origin} has {forecast.Mean.Length} means but {forecast.Quantiles.Length} quantile rows.", nameof(forecast));
        }

        var curves = forecast.Quantiles.Select(q => QuantileCurve.FromScores(scores, q)).ToArray();
        var sd = measuredErrorStandardDeviation ?? curves[0].ImpliedStandardDeviation;
        SamplePathOutlook Paths() => new(forecast.Mean, curves, options.Sampling, streamKey, sd);
        if (forecast.IntervalQuantiles is { } sums && options.UseIntervalQuantiles)
        {
            return IntervalQuantileOutlook.FromCurves(forecast.Mean, curves, [.. sums.Select(q => QuantileCurve.FromScores(scores, q))], sd, Paths);
        }

        return Paths();
    }

    /// <summary>The outlook of <paramref name="forecast"/> made for <paramref name="sku"/> at its origin, under <paramref name="options"/>' seed.</summary>
    public static IForecastErrorOutlook Build(SkuForecast forecast, OutlookOptions options, string sku, double? measuredErrorStandardDeviation = null)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentNullException.ThrowIfNull(options);
        return Build(
            forecast, QuantileCurve.NormalScores(forecast.Levels), options, SamplePathOutlook.StreamKey(options.Seed, sku, forecast.Origin),
            measuredErrorStandardDeviation);
    }

    /// <summary>
    /// The error record's measure: the sample sd (n - 1) of <paramref name="errors"/> (actual minus the newest forecast's
    /// mean for the day, summed in the order given), or null with fewer than <see cref="OutlookOptions.MinErrors"/>.
    /// </summary>
    public static double? MeasuredErrorStandardDeviation(IReadOnlyList<double> errors, OutlookOptions options)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(options);
        if (errors.Count < options.MinErrors)
        {
            return null;
        }

        var average = errors.Average();
        return Math.Sqrt(errors.Sum(e => (e - average) * (e - average)) / (errors.Count - 1));
    }
}
