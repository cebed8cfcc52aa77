namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>Naive: every horizon gets the last observed day's units.</summary>
public sealed class NaiveForecaster(int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : ResidualQuantileForecaster(residualWindow)
{
    public override string Name => "naive";

    protected override void ComputePaths(double[] history, int horizon, int firstOrigin, PathSink sink) =>
        SeasonalNaivePaths.Emit(history, horizon, firstOrigin, [1], (s, path) => sink(s, path));
}
