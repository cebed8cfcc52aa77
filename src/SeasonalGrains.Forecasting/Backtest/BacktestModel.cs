namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>Settings of a rolling-origin backtest.</summary>
public sealed record BacktestOptions
{
    /// <summary>Levels scored by default: 5%, 10%, 25%, 50%, 75%, 90%, 95%.</summary>
    public static readonly IReadOnlyList<double> DefaultLevels = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];

    /// <summary>The M5 competition's uncertainty levels (the medians and the 50%, 67%, 95% and 99% central intervals).</summary>
    public static readonly IReadOnlyList<double> M5Levels = [0.005, 0.025, 0.165, 0.25, 0.5, 0.75, 0.835, 0.975, 0.995];

    /// <summary>Number of forecast origins.</summary>
    public int Origins { get; init; } = 4;

    /// <summary>Days forecast from each origin.</summary>
    public int Horizon { get; init; } = 28;

    /// <summary>Days between consecutive origins; null means <see cref="Horizon"/> (non-overlapping windows).</summary>
    public int? Step { get; init; }

    /// <summary>Quantile levels requested and scored (strictly ascending). 80% coverage needs 0.1 and 0.9.</summary>
    public IReadOnlyList<double> Levels { get; init; } = DefaultLevels;

    /// <summary>
    /// Levels the reliability table (<see cref="BacktestResult.Reliability"/>) counts besides <see cref="Levels"/>:
    /// forecasters are asked for both; pinball loss, coverage and backtest.csv stay at <see cref="Levels"/>.
    /// </summary>
    public IReadOnlyList<double> ReliabilityLevels { get; init; } = M5Levels;

    /// <summary>Period m of the seasonal naive whose in-sample MAE scales MASE.</summary>
    public int SeasonalPeriod { get; init; } = 7;

    /// <summary>SKUs to evaluate (all when null).</summary>
    public IReadOnlyList<int>? SkuIndices { get; init; }
}

/// <summary>Accuracy of one forecaster over all scored SKU-days of a backtest.</summary>
/// <param name="Points">Number of scored (SKU, origin, horizon) points, out-of-stock days left out; the same for every forecaster.</param>
/// <param name="Mae">Mean absolute error of the median forecast (<see cref="Metrics.ForecastMetrics.AbsoluteErrorLevel"/>).</param>
/// <param name="Rmse">Root mean squared error of the mean forecast.</param>
/// <param name="Mase">Mean over (SKU, origin) windows of the window's MASE (the median's absolute errors); windows whose training scale is 0 or undefined are left out for every forecaster alike.</param>
/// <param name="WMape">Sum of the median's absolute errors over the sum of actuals.</param>
/// <param name="Bias">Mean of the mean forecast minus actual, in units.</param>
/// <param name="RelativeBias">Sum of the mean forecast minus actual over sum of actuals.</param>
/// <param name="MeanPinball">Pinball loss averaged over points and levels.</param>
/// <param name="Coverage80">Share of actuals within [q0.1, q0.9]; NaN when those levels are not requested.</param>
/// <param name="Elapsed">Wall time spent inside the forecaster.</param>
public sealed record BacktestRow(
    string Forecaster,
    int Points,
    double Mae,
    double Rmse,
    double Mase,
    double WMape,
    double Bias,
    double RelativeBias,
    double MeanPinball,
    double Coverage80,
    TimeSpan Elapsed);

/// <summary>One scored point: a forecaster's forecast of one SKU for day Origin + H - 1.</summary>
/// <param name="H">Horizon, 1-based: H = 1 is the origin day itself.</param>
/// <param name="Quantiles">Forecast quantiles at <see cref="BacktestResult.Levels"/>.</param>
public sealed record BacktestPoint(
    string Forecaster,
    int SkuIndex,
    string Sku,
    int Origin,
    DateOnly OriginDate,
    int H,
    int Day,
    DateOnly Date,
    double Actual,
    double Mean,
    double[] Quantiles);

/// <summary>Progress of a backtest, reported after each (forecaster, origin) forecast.</summary>
public sealed record BacktestProgress(int Completed, int Total, string Forecaster, int Origin, DateOnly OriginDate);

/// <summary>The outcome of a backtest: one row per forecaster (in the order given) and every scored point.</summary>
public sealed record BacktestResult(
    Dataset Dataset,
    IReadOnlyList<int> Origins,
    int Horizon,
    IReadOnlyList<double> Levels,
    IReadOnlyList<int> SkuIndices,
    IReadOnlyList<BacktestRow> Rows,
    IReadOnlyList<BacktestPoint> Points)
{
    /// <summary>
    /// Per forecaster, the shares of actuals at or below its quantiles at <see cref="ReliabilityLevels"/>: daily
    /// quantiles per horizon day, and for forecasters that predict sums (<see cref="SkuForecast.IntervalQuantiles"/>)
    /// the quantiles of the sums of days 1..n; each also pooled over horizons.
    /// </summary>
    public IReadOnlyList<ReliabilityRow> Reliability { get; init; } = [];

    /// <summary>
    /// SKU-days of the backtest's windows (per forecaster) left out of scoring because the SKU was out of stock; 0
    /// when the dataset says nothing about stock.
    /// </summary>
    public int CensoredExcluded { get; init; }

    /// <summary>The levels of <see cref="Reliability"/>: the scored levels and <see cref="BacktestOptions.ReliabilityLevels"/>.</summary>
    public IReadOnlyList<double> ReliabilityLevels { get; init; } = Levels;

    /// <summary>The row of the forecaster named <paramref name="forecaster"/>.</summary>
    public BacktestRow Row(string forecaster) =>
        Rows.FirstOrDefault(r => r.Forecaster == forecaster)
        ?? throw new ArgumentException(
            $"No forecaster '{forecaster}' in this backtest. Present: {string.Join(", ", Rows.Select(r => r.Forecaster))}.",
            nameof(forecaster));
}
