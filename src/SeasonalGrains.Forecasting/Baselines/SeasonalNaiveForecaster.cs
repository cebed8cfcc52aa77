namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Weekly seasonal naive: day s-1+h gets the units of the last observed day with the same
/// weekday, so the forecast repeats the last 7 days. With less than a week of history it is naive.
/// </summary>
public sealed class SeasonalNaiveForecaster(int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : ResidualQuantileForecaster(residualWindow)
{
    /// <summary>The season length in days.</summary>
    public const int Period = 7;

    public override string Name => "seasonal-naive";

    protected override void ComputePaths(double[] history, int horizon, int firstOrigin, PathSink sink) =>
        SeasonalNaivePaths.Emit(history, horizon, firstOrigin, [Period, 1], (s, path) => sink(s, path));
}
