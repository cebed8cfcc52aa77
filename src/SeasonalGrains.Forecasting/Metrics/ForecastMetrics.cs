namespace SeasonalGrains.Forecasting.Metrics;

/// <summary>
/// Point and probabilistic forecast accuracy measures as pure functions over aligned arrays
/// (actual[i] is forecast by forecast[i]). Empty or misaligned input throws.
/// </summary>
public static class ForecastMetrics
{
    /// <summary>
    /// The level of the point forecast that absolute errors score (MAE, MASE, wMAPE; backtests and live shadow
    /// scoring): the median, the point forecast an absolute error is minimised by in expectation, as GluonTS's
    /// evaluation scores them. Squared errors and bias score the mean.
    /// </summary>
    public const double AbsoluteErrorLevel = 0.5;

    /// <summary>
    /// The point forecast absolute errors score: the quantile at <see cref="AbsoluteErrorLevel"/> among
    /// <paramref name="quantiles"/> at <paramref name="levels"/>, interpolated as other levels are
    /// (<see cref="Lstm.QuantileInterpolation"/>) when it is not one of them.
    /// </summary>
    public static double Median(IReadOnlyList<double> levels, IReadOnlyList<double> quantiles)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(quantiles);
        for (var k = 0; k < levels.Count; k++)
        {
            if (levels[k] == AbsoluteErrorLevel)
            {
                return quantiles[k];
            }
        }

        return Lstm.QuantileInterpolation.At(levels, [.. quantiles.Select(q => (float)q)], [AbsoluteErrorLevel])[0];
    }

    /// <summary>Mean absolute error: mean |f - y|.</summary>
    public static double Mae(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckAligned(actual, forecast);
        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += Math.Abs(forecast[i] - actual[i]);
        }

        return sum / actual.Length;
    }

    /// <summary>Root mean squared error: sqrt(mean (f - y)^2).</summary>
    public static double Rmse(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckAligned(actual, forecast);
        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var e = forecast[i] - actual[i];
            sum += e * e;
        }

        return Math.Sqrt(sum / actual.Length);
    }

    /// <summary>
    /// In-sample MAE of the seasonal naive forecast with period <paramref name="period"/> on the
    /// training data: mean over t = m..n-1 of |y[t] - y[t - m]|. NaN when the training data has no
    /// more than m values.
    /// </summary>
    public static double SeasonalNaiveScale(ReadOnlySpan<double> training, int period)
    {
        if (period < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "The seasonal period must be at least 1.");
        }

        if (training.Length <= period)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var t = period; t < training.Length; t++)
        {
            sum += Math.Abs(training[t] - training[t - period]);
        }

        return sum / (training.Length - period);
    }

    /// <summary>
    /// Mean absolute scaled error (Hyndman and Koehler, 2006): MAE of the forecast divided by
    /// <see cref="SeasonalNaiveScale"/> of the training data. NaN when that scale is 0 or undefined.
    /// </summary>
    public static double Mase(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, ReadOnlySpan<double> training, int period)
    {
        var scale = SeasonalNaiveScale(training, period);
        var mae = Mae(actual, forecast);
        return double.IsNaN(scale) || scale == 0 ? double.NaN : mae / scale;
    }

    /// <summary>Weighted MAPE: sum |f - y| / sum |y|. NaN when every actual is 0.</summary>
    public static double WMape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckAligned(actual, forecast);
        double errors = 0, volume = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            errors += Math.Abs(forecast[i] - actual[i]);
            volume += Math.Abs(actual[i]);
        }

        return volume == 0 ? double.NaN : errors / volume;
    }

    /// <summary>Bias in units: mean (f - y); positive means over-forecasting.</summary>
    public static double Bias(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckAligned(actual, forecast);
        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += forecast[i] - actual[i];
        }

        return sum / actual.Length;
    }

    /// <summary>Relative bias: sum (f - y) / sum y; positive means over-forecasting. NaN when sum y is 0.</summary>
    public static double RelativeBias(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckAligned(actual, forecast);
        double sum = 0, volume = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += forecast[i] - actual[i];
            volume += actual[i];
        }

        return volume == 0 ? double.NaN : sum / volume;
    }

    /// <summary>
    /// Pinball (quantile) loss of one quantile forecast q at level tau for actual y:
    /// tau (y - q) when y &gt;= q, else (1 - tau)(q - y). Not multiplied by 2.
    /// </summary>
    public static double Pinball(double actual, double quantile, double level)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The quantile level must be inside (0, 1).");
        }

        var diff = actual - quantile;
        return diff >= 0 ? level * diff : (level - 1) * diff;
    }

    /// <summary>
    /// Mean pinball loss over every point i and level k: quantiles[i][k] is the forecast of actual[i]
    /// at levels[k].
    /// </summary>
    public static double MeanPinball(ReadOnlySpan<double> actual, IReadOnlyList<double[]> quantiles, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        ArgumentNullException.ThrowIfNull(levels);
        if (actual.Length == 0)
        {
            throw new ArgumentException("No points to score.", nameof(actual));
        }

        if (quantiles.Count != actual.Length)
        {
            throw new ArgumentException($"{quantiles.Count} quantile rows for {actual.Length} actuals.", nameof(quantiles));
        }

        if (levels.Count == 0)
        {
            throw new ArgumentException("No quantile levels.", nameof(levels));
        }

        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (quantiles[i].Length != levels.Count)
            {
                throw new ArgumentException($"Quantile row {i} has {quantiles[i].Length} values for {levels.Count} levels.", nameof(quantiles));
            }

            for (var k = 0; k < levels.Count; k++)
            {
                sum += Pinball(actual[i], quantiles[i][k], levels[k]);
            }
        }

        return sum / (actual.Length * (double)levels.Count);
    }

    /// <summary>Share of actuals inside the closed interval [lower, upper].</summary>
    public static double Coverage(ReadOnlySpan<double> actual, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        CheckAligned(actual, lower);
        CheckAligned(actual, upper);
        var inside = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (actual[i] >= lower[i] && actual[i] <= upper[i])
            {
                inside++;
            }
        }

        return inside / (double)actual.Length;
    }

    /// <summary>
    /// Indices in <paramref name="levels"/> of the bounds of the central interval of nominal
    /// coverage c: levels (1 - c) / 2 and (1 + c) / 2 (0.1 and 0.9 for 80%), matched within 1e-9.
    /// Null when either level is missing.
    /// </summary>
    public static (int Lower, int Upper)? CentralInterval(IReadOnlyList<double> levels, double coverage)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (!(coverage > 0 && coverage < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "The nominal coverage must be inside (0, 1).");
        }

        int Find(double level)
        {
            for (var k = 0; k < levels.Count; k++)
            {
                if (Math.Abs(levels[k] - level) < 1e-9)
                {
                    return k;
                }
            }

            return -1;
        }

        var lower = Find((1 - coverage) / 2);
        var upper = Find((1 + coverage) / 2);
        return lower < 0 || upper < 0 ? null : (lower, upper);
    }

    private static void CheckAligned(ReadOnlySpan<double> actual, ReadOnlySpan<double> other)
    {
        if (actual.Length == 0)
        {
            throw new ArgumentException("No points to score.", nameof(actual));
        }

        if (other.Length != actual.Length)
        {
            throw new ArgumentException($"{other.Length} values for {actual.Length} actuals.", nameof(other));
        }
    }
}
