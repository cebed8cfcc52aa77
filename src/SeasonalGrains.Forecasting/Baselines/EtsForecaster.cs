namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Exponential smoothing: additive Holt-Winters with a damped trend and weekly seasonality,
/// fitted per SKU and origin by minimising the in-sample one-step squared error with Nelder-Mead.
/// Series shorter than two weeks get simple exponential smoothing (alpha by grid search), a
/// single day of history gets naive.
/// </summary>
/// <remarks>
/// <para>Model (period m = 7), with state (level l, trend b, seasonal s by weekday):
/// one-step forecast l + phi b + s; updates
/// l' = alpha (y - s) + (1 - alpha)(l + phi b),
/// b' = beta (l' - l) + (1 - beta) phi b,
/// s' = gamma (y - l - phi b) + (1 - gamma) s;
/// the h-step forecast is l + (phi + ... + phi^h) b + s of that weekday.</para>
/// <para>Parameters: alpha in [0.0001, 0.9999], beta in [0, alpha], gamma in [0, 1 - alpha] and
/// phi in [0.8, 1] (phi = 1 is the undamped Holt-Winters, so a straight trend is kept).</para>
/// <para>Initial state, from the first min(4, n / 7) whole weeks: a straight line a + b t fitted by
/// least squares to the weekly means placed at the weeks' centres; level a - b and trend b stand
/// before day 0, and each weekday's seasonal is its mean deviation from the line, centred to sum
/// to zero.</para>
/// </remarks>
public sealed class EtsForecaster(int maxEvaluations = EtsForecaster.DefaultMaxEvaluations, int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : ResidualQuantileForecaster(residualWindow)
{
    /// <summary>The season length in days.</summary>
    public const int Period = 7;

    public const int DefaultMaxEvaluations = 400;

    private static readonly double[] Lower = [0.0001, 0, 0, 0.8];
    private static readonly double[] Upper = [0.9999, 1, 1, 1];
    private static readonly double[] Start = [0.2, 0.05, 0.1, 0.98];
    private static readonly double[] Step = [0.15, 0.05, 0.1, 0.02];

    /// <summary>Most evaluations of the in-sample error allowed to one fit.</summary>
    public int MaxEvaluations { get; } = Valid(maxEvaluations, maxEvaluations >= 10, "ETS needs at least 10 objective evaluations to fit.");

    public override string Name => "ets";

    protected override void ComputePaths(double[] history, int horizon, int firstOrigin, PathSink sink)
    {
        var n = history.Length;
        if (n >= 2 * Period)
        {
            var init = HoltWintersInit.Fit(history, Period);
            var (best, _) = NelderMead.Minimize(
                x => RunHoltWinters(history, Admissible(x), init, 0, null),
                Start,
                Step,
                Lower,
                Upper,
                MaxEvaluations);
            RunHoltWinters(history, Admissible(best), init, horizon, (s, path) =>
            {
                if (s >= firstOrigin)
                {
                    sink(s, path);
                }
            });
        }
        else if (n >= 2)
        {
            var bestAlpha = 0.01;
            var bestSse = double.PositiveInfinity;
            for (var i = 1; i <= 99; i++)
            {
                var alpha = i / 100.0;
                var sse = RunSimple(history, alpha, 0, null);
                if (sse < bestSse)
                {
                    (bestAlpha, bestSse) = (alpha, sse);
                }
            }

            RunSimple(history, bestAlpha, horizon, (s, path) =>
            {
                if (s >= firstOrigin)
                {
                    sink(s, path);
                }
            });
        }
        else
        {
            var path = new double[horizon];
            Array.Fill(path, history[0]);
            sink(1, path);
        }
    }

    private static (double Alpha, double Beta, double Gamma, double Phi) Admissible(double[] x)
    {
        var alpha = x[0];
        return (alpha, Math.Min(x[1], alpha), Math.Min(x[2], 1 - alpha), x[3]);
    }

    /// <summary>Runs the filter over the history; returns the one-step SSE and emits paths from origins 1..n when asked.</summary>
    private static double RunHoltWinters(
        double[] y,
        (double Alpha, double Beta, double Gamma, double Phi) p,
        HoltWintersInit init,
        int horizon,
        Action<int, double[]>? emit)
    {
        var m = init.Seasonal.Length;
        var seasonal = (double[])init.Seasonal.Clone();
        var level = init.Level;
        var trend = init.Trend;
        var path = emit is null ? [] : new double[horizon];
        var sse = 0.0;
        for (var t = 0; t <= y.Length; t++)
        {
            if (emit is not null && t >= 1)
            {
                var damped = 0.0;
                var power = 1.0;
                for (var h = 1; h <= horizon; h++)
                {
                    power *= p.Phi;
                    damped += power;
                    path[h - 1] = level + (damped * trend) + seasonal[(t - 1 + h) % m];
                }

                emit(t, path);
            }

            if (t == y.Length)
            {
                break;
            }

            var phase = t % m;
            var baseline = level + (p.Phi * trend);
            var error = y[t] - (baseline + seasonal[phase]);
            sse += error * error;
            var newLevel = (p.Alpha * (y[t] - seasonal[phase])) + ((1 - p.Alpha) * baseline);
            trend = (p.Beta * (newLevel - level)) + ((1 - p.Beta) * p.Phi * trend);
            seasonal[phase] = (p.Gamma * (y[t] - baseline)) + ((1 - p.Gamma) * seasonal[phase]);
            level = newLevel;
            if (!double.IsFinite(sse))
            {
                return double.PositiveInfinity;
            }
        }

        return sse;
    }

    /// <summary>Simple exponential smoothing from level y[0]; returns the one-step SSE over days 1..n-1.</summary>
    private static double RunSimple(double[] y, double alpha, int horizon, Action<int, double[]>? emit)
    {
        var level = y[0];
        var path = emit is null ? [] : new double[horizon];
        var sse = 0.0;
        for (var t = 1; t <= y.Length; t++)
        {
            if (emit is not null)
            {
                Array.Fill(path, level);
                emit(t, path);
            }

            if (t == y.Length)
            {
                break;
            }

            var error = y[t] - level;
            sse += error * error;
            level += alpha * error;
        }

        return sse;
    }

    private sealed record HoltWintersInit(double Level, double Trend, double[] Seasonal)
    {
        public static HoltWintersInit Fit(double[] y, int m)
        {
            // A line through the weekly means (free of the weekly pattern) against the weeks' centres.
            var cycles = Math.Min(4, y.Length / m);
            var count = cycles * m;
            var centres = new double[cycles];
            var means = new double[cycles];
            for (var c = 0; c < cycles; c++)
            {
                centres[c] = (c * m) + ((m - 1) / 2.0);
                for (var j = 0; j < m; j++)
                {
                    means[c] += y[(c * m) + j] / m;
                }
            }

            double meanX = centres.Average(), meanY = means.Average(), sxy = 0, sxx = 0;
            for (var c = 0; c < cycles; c++)
            {
                sxy += (centres[c] - meanX) * (means[c] - meanY);
                sxx += (centres[c] - meanX) * (centres[c] - meanX);
            }

            var slope = sxy / sxx;
            var intercept = meanY - (slope * meanX);
            var seasonal = new double[m];
            for (var t = 0; t < count; t++)
            {
                seasonal[t % m] += (y[t] - (intercept + (slope * t))) / cycles;
            }

            var centre = seasonal.Average();
            for (var j = 0; j < m; j++)
            {
                seasonal[j] -= centre;
            }

            return new HoltWintersInit(intercept - slope, slope, seasonal);
        }
    }
}
