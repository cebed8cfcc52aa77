namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>Checks shared by forecasters: a well-formed request and cleaned history.</summary>
public static class ForecastRequestChecks
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless the request has a horizon of at least one day,
    /// an origin in 1..Days (at least one day of history), levels strictly ascending inside (0, 1)
    /// and SKU indices inside the dataset.
    /// </summary>
    public static void Validate(ForecastRequest request, string forecasterName)
    {
        ArgumentNullException.ThrowIfNull(request);
        var days = request.Dataset.Days;
        if (request.Horizon < 1)
        {
            throw new ArgumentException(
                $"{forecasterName}: horizon must be at least 1 day, got {request.Horizon}.", nameof(request));
        }

        if (request.Origin < 1 || request.Origin > days)
        {
            throw new ArgumentException(
                $"{forecasterName}: origin {request.Origin} is outside 1..{days}; a forecast needs at least one day of history before its origin.",
                nameof(request));
        }

        ValidateLevels(request.Levels, forecasterName);

        var skuCount = request.Dataset.Skus.Count;
        if (request.Dataset.Series.Count != skuCount)
        {
            throw new ArgumentException(
                $"{forecasterName}: dataset has {skuCount} SKUs but {request.Dataset.Series.Count} series.", nameof(request));
        }

        if (request.SkuIndices is { } indices)
        {
            foreach (var index in indices)
            {
                if (index < 0 || index >= skuCount)
                {
                    throw new ArgumentException(
                        $"{forecasterName}: SKU index {index} is outside 0..{skuCount - 1}.", nameof(request));
                }
            }
        }
    }

    /// <summary>Throws unless <paramref name="levels"/> is strictly ascending with every level inside (0, 1).</summary>
    public static void ValidateLevels(IReadOnlyList<double> levels, string owner)
    {
        ArgumentNullException.ThrowIfNull(levels);
        for (var k = 0; k < levels.Count; k++)
        {
            var level = levels[k];
            if (!(level > 0 && level < 1))
            {
                throw new ArgumentException(
                    $"{owner}: quantile level {level.ToString(CultureInfo.InvariantCulture)} is outside (0, 1).", nameof(levels));
            }

            if (k > 0 && level <= levels[k - 1])
            {
                throw new ArgumentException(
                    $"{owner}: quantile levels must be strictly ascending, got {string.Join(", ", levels.Select(l => l.ToString(CultureInfo.InvariantCulture)))}.",
                    nameof(levels));
            }
        }
    }

    /// <summary>
    /// Copies units of days 0..origin-1 of one SKU: the only demand a forecaster may read, with out-of-stock days
    /// replaced by an estimate of their demand (<see cref="UnconstrainedDemand"/>), so fits see unconstrained demand.
    /// Throws when a value is NaN, infinite or negative, since forecasters take cleaned data.
    /// </summary>
    public static double[] History(ForecastRequest request, int skuIndex, string forecasterName)
    {
        var series = request.Dataset.Series[skuIndex];
        if (series.Units.Length < request.Origin)
        {
            throw new ArgumentException(
                $"{forecasterName}: SKU '{series.Sku}' has {series.Units.Length} days of units, fewer than the origin {request.Origin}.",
                nameof(request));
        }

        for (var t = 0; t < request.Origin; t++)
        {
            if (!double.IsFinite(series.Units[t]) || series.Units[t] < 0)
            {
                throw new ArgumentException(
                    $"{forecasterName}: SKU '{series.Sku}' has units {series.Units[t].ToString(CultureInfo.InvariantCulture)} on {request.Dataset.DateOf(t):yyyy-MM-dd}; forecasters need cleaned data (finite, non-negative).",
                    nameof(request));
            }
        }

        return UnconstrainedDemand.History(series, request.Origin);
    }
}
