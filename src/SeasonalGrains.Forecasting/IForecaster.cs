namespace SeasonalGrains.Forecasting;

/// <summary>
/// What a forecaster may see at one forecast origin: the dataset's history strictly before
/// <see cref="Origin"/> (past-only inputs such as units and weather) and the known-future
/// covariates (calendar, price, promo) for the <see cref="Horizon"/> days from the origin.
/// Implementations must not read units or weather at or after the origin.
/// </summary>
public sealed record ForecastRequest(
    Dataset Dataset,
    int Origin,
    int Horizon,
    IReadOnlyList<double> Levels,
    IReadOnlyList<int>? SkuIndices = null)
{
    /// <summary>The SKU indices to forecast (all when <see cref="SkuIndices"/> is null).</summary>
    public IEnumerable<int> Targets => SkuIndices ?? Enumerable.Range(0, Dataset.Skus.Count);
}

/// <summary>
/// Forecast of one SKU from one origin: <c>Mean[h]</c> and <c>Quantiles[h][k]</c> for horizon
/// day h = 0..H-1 (day Origin + h) and level k of <see cref="Levels"/> (ascending, kept ordered).
/// </summary>
public sealed record SkuForecast(
    int SkuIndex,
    int Origin,
    double[] Mean,
    double[][] Quantiles,
    IReadOnlyList<double> Levels)
{
    /// <summary>
    /// From a forecaster that predicts sums directly (the LSTM's interval head): <c>IntervalQuantiles[h][k]</c> is
    /// the level-k quantile of total demand over horizon days 0..h; null otherwise.
    /// </summary>
    public double[][]? IntervalQuantiles { get; init; }
}

/// <summary>A demand forecaster. One class per algorithm, each with a unique <see cref="Name"/>.</summary>
public interface IForecaster
{
    string Name { get; }

    IReadOnlyList<SkuForecast> Forecast(ForecastRequest request);
}
