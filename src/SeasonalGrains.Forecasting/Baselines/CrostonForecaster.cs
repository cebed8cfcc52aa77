namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Croston's method for intermittent demand: exponential smoothing, with the same alpha, of the
/// non-zero demand sizes z and of the intervals p between them, updated only on days with demand;
/// every horizon gets z / p.
/// </summary>
/// <remarks>
/// Initialisation: at the first day t with demand, z = y[t] and p = t + 1 (the interval counted
/// from the day before the history starts). At each later demand day t, with q days since the
/// previous demand: z += alpha (y[t] - z), p += alpha (q - p). Before any demand the forecast is 0.
/// </remarks>
public sealed class CrostonForecaster(double alpha = CrostonForecaster.DefaultAlpha, int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : ResidualQuantileForecaster(residualWindow)
{
    public const double DefaultAlpha = 0.1;

    public double Alpha { get; } = Valid(alpha, alpha > 0 && alpha <= 1, "Croston's alpha must be inside (0, 1].");

    public override string Name => "croston";

    protected override void ComputePaths(double[] history, int horizon, int firstOrigin, PathSink sink)
    {
        var path = new double[horizon];
        double size = 0, interval = 0;
        var lastDemand = -1;
        for (var s = 0; s <= history.Length; s++)
        {
            // State after days 0..s-1: emit the forecast from origin s, then take in day s.
            if (s >= firstOrigin)
            {
                Array.Fill(path, lastDemand < 0 ? 0 : size / interval);
                sink(s, path);
            }

            if (s == history.Length || history[s] <= 0)
            {
                continue;
            }

            if (lastDemand < 0)
            {
                size = history[s];
                interval = s + 1;
            }
            else
            {
                size += Alpha * (history[s] - size);
                interval += Alpha * ((s - lastDemand) - interval);
            }

            lastDemand = s;
        }
    }
}
