namespace SeasonalGrains.Domain.Statistics;

/// <summary>Mean and standard deviation of daily demand over some history.</summary>
public readonly record struct DemandStatistics(double Mean, double StandardDeviation, int Days)
{
    /// <summary>Sample mean and (n - 1) standard deviation of the finite values in <paramref name="daily"/>.</summary>
    public static DemandStatistics FromHistory(ReadOnlySpan<double> daily)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in daily)
        {
            if (double.IsFinite(v))
            {
                sum += v;
                n++;
            }
        }

        if (n == 0)
        {
            return new DemandStatistics(0, 0, 0);
        }

        var mean = sum / n;
        double ss = 0;
        foreach (var v in daily)
        {
            if (double.IsFinite(v))
            {
                ss += (v - mean) * (v - mean);
            }
        }

        return new DemandStatistics(mean, n > 1 ? Math.Sqrt(ss / (n - 1)) : 0, n);
    }
}
