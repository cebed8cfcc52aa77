namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>
/// Forecasts with the true demand distribution: the mean is the true mean, and each quantile is the
/// true quantile. The best any forecaster can do on average; a reference row in backtests.
/// </summary>
/// <remarks>
/// When the truth knows the distribution itself (<see cref="IDemandTruth.QuantilesAt"/>, as for generated
/// negative binomial demand) every requested level is exact. Otherwise a requested level held by the truth
/// (within 1e-9) is used as it is. A level between two held
/// levels is interpolated linearly in the level; a level below the lowest (above the highest) held
/// level gets the lowest (highest) held quantile. A missing truth point is an error.
/// </remarks>
public sealed class OracleForecaster : IForecaster
{
    private readonly IDemandTruth _truth;

    public OracleForecaster(IDemandTruth truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ForecastRequestChecks.ValidateLevels(truth.Levels, Name);
        _truth = truth;
    }

    public string Name => "oracle";

    public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request)
    {
        ForecastRequestChecks.Validate(request, Name);
        var results = new List<SkuForecast>();
        foreach (var skuIndex in request.Targets)
        {
            var sku = request.Dataset.Skus[skuIndex].Sku;
            var mean = new double[request.Horizon];
            var quantiles = new double[request.Horizon][];
            for (var h = 0; h < request.Horizon; h++)
            {
                var date = request.Dataset.DateOf(request.Origin + h);
                var point = _truth.Find(sku, date)
                    ?? throw new InvalidOperationException($"oracle: the truth has no point for SKU '{sku}' on {date:yyyy-MM-dd}.");
                mean[h] = point.Mean;
                var exact = _truth.QuantilesAt(sku, date, request.Levels);
                if (exact is not null)
                {
                    quantiles[h] = exact;
                    continue;
                }

                quantiles[h] = new double[request.Levels.Count];
                for (var k = 0; k < request.Levels.Count; k++)
                {
                    quantiles[h][k] = Interpolate(_truth.Levels, point.Quantiles, request.Levels[k]);
                }
            }

            results.Add(new SkuForecast(skuIndex, request.Origin, mean, quantiles, request.Levels));
        }

        return results;
    }

    /// <summary>The quantile at <paramref name="level"/> from quantiles held at ascending <paramref name="levels"/> (see the class remarks).</summary>
    public static double Interpolate(IReadOnlyList<double> levels, IReadOnlyList<double> quantiles, double level)
    {
        if (levels.Count == 0 || levels.Count != quantiles.Count)
        {
            throw new ArgumentException($"{quantiles.Count} quantiles for {levels.Count} levels.", nameof(quantiles));
        }

        if (level <= levels[0])
        {
            return quantiles[0];
        }

        var last = levels.Count - 1;
        if (level >= levels[last])
        {
            return quantiles[last];
        }

        var j = 0;
        while (levels[j + 1] < level)
        {
            j++;
        }

        if (Math.Abs(levels[j + 1] - level) < 1e-9)
        {
            return quantiles[j + 1];
        }

        var fraction = (level - levels[j]) / (levels[j + 1] - levels[j]);
        return quantiles[j] + (fraction * (quantiles[j + 1] - quantiles[j]));
    }
}
