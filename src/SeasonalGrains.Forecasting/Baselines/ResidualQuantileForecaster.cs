using System.Runtime.CompilerServices;

namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Base of the statistical baselines. A subclass gives point forecasts for horizons 1..H from
/// every in-sample origin; this class turns them into the forecast at the request's origin plus
/// quantiles from the empirical distribution of the model's own in-sample h-step errors.
/// </summary>
/// <remarks>
/// <para>
/// Point forecasts are clamped at 0 (demand is never negative), both the one returned and those
/// used to measure in-sample errors. For horizon h the residuals are
/// <c>y[s+h-1] - f_s(h)</c> over in-sample origins s in the last <see cref="ResidualWindow"/> days
/// (origin s sees days 0..s-1). The quantile at level p is
/// <c>max(0, mean + Q_p(residuals of h))</c>, where Q_p is the linear-interpolation empirical
/// quantile (<see cref="EmpiricalQuantile.OfSorted"/>), so quantiles are ascending in p.
/// When fewer than <see cref="MinResiduals"/> h-step residuals exist (short history), the one-step
/// residuals scaled by sqrt(h) stand in; with no residual at all every quantile equals the mean.
/// </para>
/// <para>Only units before the origin are read; forecasts of different SKUs run in parallel.</para>
/// </remarks>
public abstract class ResidualQuantileForecaster : IForecaster
{
    /// <summary>Default number of most recent in-sample origins whose errors shape the quantiles.</summary>
    public const int DefaultResidualWindow = 364;

    /// <summary>Fewest h-step residuals used as they are before falling back to scaled one-step ones.</summary>
    public const int MinResiduals = 8;

    protected ResidualQuantileForecaster(int residualWindow) =>
        ResidualWindow = Valid(residualWindow, residualWindow >= 1, "The residual window must be at least 1 day.");

    /// <summary>
    /// A forecaster's setting <paramref name="value"/> when it is <paramref name="valid"/>; otherwise throws
    /// <see cref="ArgumentOutOfRangeException"/> naming the setting, with <paramref name="message"/>.
    /// </summary>
    protected static T Valid<T>(T value, bool valid, string message, [CallerArgumentExpression(nameof(value))] string name = "") =>
        valid ? value : throw new ArgumentOutOfRangeException(name, value, message);

    /// <summary>Receives the point forecast path (horizons 1..H) from one origin.</summary>
    protected delegate void PathSink(int origin, ReadOnlySpan<double> path);

    public abstract string Name { get; }

    /// <summary>Number of most recent in-sample origins whose errors shape the quantiles.</summary>
    public int ResidualWindow { get; }

    public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request)
    {
        ForecastRequestChecks.Validate(request, Name);
        var targets = request.Targets.ToArray();
        var histories = targets.Select(sku => ForecastRequestChecks.History(request, sku, Name)).ToArray();
        var results = new SkuForecast[targets.Length];
        var options = new ParallelOptions { TaskScheduler = TaskScheduler.Default };
        Parallel.For(0, targets.Length, options, i =>
        {
            var (mean, quantiles) = ForecastSeries(histories[i], request.Horizon, request.Levels);
            results[i] = new SkuForecast(targets[i], request.Origin, mean, quantiles, request.Levels);
        });
        return results;
    }

    /// <summary>
    /// Forecast of a single cleaned series: mean[h] and quantiles[h][k] for the day right after
    /// <paramref name="history"/> plus h. Levels must be strictly ascending in (0, 1).
    /// </summary>
    public (double[] Mean, double[][] Quantiles) ForecastSeries(double[] history, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Length < 1)
        {
            throw new ArgumentException($"{Name}: a forecast needs at least one day of history.", nameof(history));
        }

        if (horizon < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"{Name}: horizon must be at least 1 day.");
        }

        ForecastRequestChecks.ValidateLevels(levels, Name);

        var n = history.Length;
        var firstOrigin = Math.Max(1, n - ResidualWindow);
        var residuals = new List<double>[horizon];
        for (var h = 0; h < horizon; h++)
        {
            residuals[h] = [];
        }

        double[]? mean = null;
        ComputePaths(history, horizon, firstOrigin, (origin, path) =>
        {
            if (path.Length != horizon)
            {
                throw new InvalidOperationException($"{Name}: a forecast path has {path.Length} days, expected {horizon}.");
            }

            if (origin == n)
            {
                mean = new double[horizon];
                for (var h = 0; h < horizon; h++)
                {
                    mean[h] = Math.Max(0, path[h]);
                }

                return;
            }

            if (origin < firstOrigin || origin > n)
            {
                return;
            }

            var last = Math.Min(horizon, n - origin);
            for (var h = 1; h <= last; h++)
            {
                residuals[h - 1].Add(history[origin + h - 1] - Math.Max(0, path[h - 1]));
            }
        });

        if (mean is null)
        {
            throw new InvalidOperationException($"{Name}: no forecast was produced from origin {n}.");
        }

        return (mean, QuantilesFromResiduals(mean, residuals, levels));
    }

    /// <summary>
    /// Emits, through <paramref name="sink"/>, the point forecast path for horizons 1..H from every
    /// origin s in <paramref name="firstOrigin"/>..history.Length (origin s may read history[0..s-1]
    /// only). The path from origin history.Length is the forecast returned to the caller and must be
    /// emitted; others may be skipped where the model has no forecast yet.
    /// </summary>
    protected abstract void ComputePaths(double[] history, int horizon, int firstOrigin, PathSink sink);

    private static double[][] QuantilesFromResiduals(double[] mean, List<double>[] residuals, IReadOnlyList<double> levels)
    {
        var horizon = mean.Length;
        var oneStep = residuals[0].ToArray();
        Array.Sort(oneStep);
        var quantiles = new double[horizon][];
        for (var h = 0; h < horizon; h++)
        {
            double[] sorted;
            double scale;
            if (residuals[h].Count >= MinResiduals || residuals[h].Count >= oneStep.Length)
            {
                sorted = residuals[h].ToArray();
                Array.Sort(sorted);
                scale = 1;
            }
            else
            {
                sorted = oneStep;
                scale = Math.Sqrt(h + 1);
            }

            var row = new double[levels.Count];
            for (var k = 0; k < levels.Count; k++)
            {
                var offset = sorted.Length == 0 ? 0 : scale * EmpiricalQuantile.OfSorted(sorted, levels[k]);
                row[k] = Math.Max(0, mean[h] + offset);
                if (k > 0 && row[k] < row[k - 1])
                {
                    row[k] = row[k - 1];
                }
            }

            quantiles[h] = row;
        }

        return quantiles;
    }
}
