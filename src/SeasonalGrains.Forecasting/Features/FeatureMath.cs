namespace SeasonalGrains.Forecasting.Features;

/// <summary>Small statistics shared by schema fitting and feature writing.</summary>
internal static class FeatureMath
{
    /// <summary>Mean of values[from..to); 0 for an empty range.</summary>
    public static double Mean(double[] values, int from, int to)
    {
        to = Math.Min(to, values.Length);
        if (to <= from)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = from; i < to; i++)
        {
            sum += values[i];
        }

        return sum / (to - from);
    }

    /// <summary>
    /// Mean and standard deviation of the finite values among values[0..end); (0, 1) without values and a
    /// standard deviation of 1 when it is (nearly) zero, so z-scores stay finite. Finite values are added
    /// to <paramref name="collect"/> when given.
    /// </summary>
    public static (double Mean, double Std) MeanStd(double[] values, int end, List<double>? collect)
    {
        end = Math.Min(end, values.Length);
        var n = 0;
        var sum = 0.0;
        for (var i = 0; i < end; i++)
        {
            if (double.IsFinite(values[i]))
            {
                sum += values[i];
                n++;
                collect?.Add(values[i]);
            }
        }

        if (n == 0)
        {
            return (0, 1);
        }

        var mean = sum / n;
        var squares = 0.0;
        for (var i = 0; i < end; i++)
        {
            if (double.IsFinite(values[i]))
            {
                squares += (values[i] - mean) * (values[i] - mean);
            }
        }

        var std = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0;
        return (mean, std > 1e-9 ? std : 1);
    }

    /// <summary>
    /// Median of the finite positive prices among days [0, end); else the master-data unit price; else 1.
    /// </summary>
    public static double RegularPrice(SkuSeries series, SkuInfo info, int end)
    {
        if (series.Price is { } price)
        {
            var values = new List<double>();
            for (var i = 0; i < Math.Min(end, price.Length); i++)
            {
                if (double.IsFinite(price[i]) && price[i] > 0)
                {
                    values.Add(price[i]);
                }
            }

            if (values.Count > 0)
            {
                values.Sort();
                var mid = values.Count / 2;
                return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
            }
        }

        return double.IsFinite(info.UnitPrice) && info.UnitPrice > 0 ? info.UnitPrice : 1;
    }

    /// <summary>Throws unless units of days [0, end) exist and are finite and non-negative.</summary>
    public static void RequireCleanUnits(Dataset dataset, SkuSeries series, int end) => RequireCleanUnits(dataset, series, 0, end);

    /// <summary>As <see cref="RequireCleanUnits(Dataset, SkuSeries, int)"/> for days [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static void RequireCleanUnits(Dataset dataset, SkuSeries series, int start, int end)
    {
        if (series.Units.Length < end)
        {
            throw new ArgumentException(
                $"SKU '{series.Sku}' has {series.Units.Length} days of units, fewer than the {end} days needed.", nameof(dataset));
        }

        for (var t = start; t < end; t++)
        {
            var u = series.Units[t];
            if (!double.IsFinite(u) || u < 0)
            {
                throw new ArgumentException(
                    $"SKU '{series.Sku}' has units {u.ToString(CultureInfo.InvariantCulture)} on {dataset.DateOf(t):yyyy-MM-dd}; the LSTM needs cleaned data (finite, non-negative).",
                    nameof(dataset));
            }
        }
    }
}
