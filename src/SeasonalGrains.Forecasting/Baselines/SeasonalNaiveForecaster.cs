namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Weekly seasonal naive: day s-1+h gets the units of the last observed day with the same
/// weekday, so the forecast repeats the last 7 days. With less than a week of history it is naive.
/// </summary>
public sealed class SeasonalNaiveForecaster(int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : SeasonalNaiveFamilyForecaster("seasonal-naive", [Period, 1], residualWindow)
{
    /// <summary>The season length in days.</summary>
    public const int Period = 7;
}
