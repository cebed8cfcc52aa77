namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>Naive: every horizon gets the last observed day's units.</summary>
public sealed class NaiveForecaster(int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : SeasonalNaiveFamilyForecaster("naive", [1], residualWindow);
