namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Moving average: every horizon gets the mean of the last <see cref="Window"/> days
/// (of all days seen when the history is shorter).
/// </summary>
public sealed class MovingAverageForecaster(int window = MovingAverageForecaster.DefaultWindow, int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : ResidualQuantileForecaster(residualWindow)
{
    public const int DefaultWindow = 28;

    public int Window { get; } = Valid(window, window >= 1, "The moving-average window must be at least 1 day.");

    public override string Name => "moving-average";

    protected override void ComputePaths(double[] history, int horizon, int firstOrigin, PathSink sink)
    {
        var prefix = new double[history.Length + 1];
        for (var t = 0; t < history.Length; t++)
        {
            prefix[t + 1] = prefix[t] + history[t];
        }

        var path = new double[horizon];
        for (var s = firstOrigin; s <= history.Length; s++)
        {
            var w = Math.Min(Window, s);
            Array.Fill(path, (prefix[s] - prefix[s - w]) / w);
            sink(s, path);
        }
    }
}
