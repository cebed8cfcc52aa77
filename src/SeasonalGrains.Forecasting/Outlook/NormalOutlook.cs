using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>
/// Normal approximation of total demand over a run of days: mean <c>Σ μ_h</c> and variance
/// <c>(1 - ρ) Σ σ_h² + ρ (Σ σ_h)²</c> (equal correlation ρ between days), quantile
/// <c>max(0, mean + Φ⁻¹(level) x sd)</c>. Closed form and cheap: a reference for the sample-path
/// outlook and an outlook for forecasters that give a mean and an sd.
/// </summary>
public sealed class NormalOutlook : IForecastErrorOutlook
{
    private readonly double[] _mean;
    private readonly double[] _sd;

    public NormalOutlook(IReadOnlyList<double> mean, IReadOnlyList<double> standardDeviation, double correlation = 0, double? errorStandardDeviation = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Count == 0 || mean.Count != standardDeviation.Count)
        {
            throw new ArgumentException($"A normal outlook needs one mean and one sd per day and at least one day (got {mean.Count} and {standardDeviation.Count}).", nameof(standardDeviation));
        }

        if (mean.Any(m => !double.IsFinite(m)) || standardDeviation.Any(s => !(s >= 0 && double.IsFinite(s))))
        {
            throw new ArgumentException("Means must be finite and standard deviations finite and >= 0.", nameof(standardDeviation));
        }

        if (!(correlation >= 0 && correlation <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(correlation), correlation, "The correlation must lie in [0, 1].");
        }

        _mean = mean.ToArray();
        _sd = standardDeviation.ToArray();
        Correlation = correlation;
        ErrorStandardDeviation = errorStandardDeviation;
    }

    public int Horizon => _mean.Length;

    public double Correlation { get; }

    public double? ErrorStandardDeviation { get; }

    public double Mean(int offset, int days)
    {
        OutlookDays.Check(offset, days, Horizon);
        return OutlookDays.Sum(_mean, offset, days);
    }

    /// <summary>The sd of total demand over the run of days.</summary>
    public double StandardDeviation(int offset, int days)
    {
        OutlookDays.Check(offset, days, Horizon);
        double squares = 0, sum = 0;
        for (var h = offset; h < offset + days; h++)
        {
            squares += _sd[h] * _sd[h];
            sum += _sd[h];
        }

        return Math.Sqrt(((1 - Correlation) * squares) + (Correlation * sum * sum));
    }

    public double Quantile(double level, int offset, int days)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "A normal quantile needs a level strictly between 0 and 1.");
        }

        return Math.Max(0, Mean(offset, days) + (Normal.InverseCdf(level) * StandardDeviation(offset, days)));
    }
}
