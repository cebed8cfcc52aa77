namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Moving average: every horizon gets the mean of the last <see cref="Window"/> days
/// (of all days seen when the history is shorter).
/// </summary>
public sealed class MovingAverageForecaster : ResidualQuantileForecaster
{
    public const int DefaultWindow = 28;

    public MovingAverageForecaster(int window = DefaultWindow, int residualWindow = DefaultResidualWindow)
        : base(residualWindow)
    {
        if (window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The moving-average window must be at least 1 day.");
        }

        Window = window;
    }

    public int Window { get; }

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
