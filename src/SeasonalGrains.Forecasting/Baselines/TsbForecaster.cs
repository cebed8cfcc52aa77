namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Teunter-Syntetos-Babai method for intermittent demand: the probability d that a day has demand
/// is smoothed every day with beta, the non-zero demand size z only on demand days with alpha;
/// every horizon gets d * z. Unlike Croston's, the forecast decays while no demand occurs.
/// </summary>
/// <remarks>
/// Initialisation: at the first day t with demand, z = y[t] and d = 1 / (t + 1) (one demand in the
/// t + 1 days seen). On each later day t: d += beta (1[y[t] &gt; 0] - d), and on demand days also
/// z += alpha (y[t] - z). Before any demand the forecast is 0.
/// </remarks>
public sealed class TsbForecaster(
    double alpha = TsbForecaster.DefaultAlpha, double beta = TsbForecaster.DefaultBeta, int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : ResidualQuantileForecaster(residualWindow)
{
    public const double DefaultAlpha = 0.1;
    public const double DefaultBeta = 0.1;

    public double Alpha { get; } = Valid(alpha, alpha > 0 && alpha <= 1, "TSB's alpha must be inside (0, 1].");

    public double Beta { get; } = Valid(beta, beta > 0 && beta <= 1, "TSB's beta must be inside (0, 1].");

    public override string Name => "tsb";

    protected override void ComputePaths(double[] history, int horizon, int firstOrigin, PathSink sink)
    {
        var path = new double[horizon];
        double size = 0, probability = 0;
        var seenDemand = false;
        for (var s = 0; s <= history.Length; s++)
        {
            if (s >= firstOrigin)
            {
                Array.Fill(path, seenDemand ? probability * size : 0);
                sink(s, path);
            }

            if (s == history.Length)
            {
                break;
            }

            var hasDemand = history[s] > 0;
            if (!seenDemand)
            {
                if (hasDemand)
                {
                    seenDemand = true;
                    size = history[s];
                    probability = 1.0 / (s + 1);
                }

                continue;
            }

            probability += Beta * ((hasDemand ? 1 : 0) - probability);
            if (hasDemand)
            {
                size += Alpha * (history[s] - size);
            }
        }
    }
}
