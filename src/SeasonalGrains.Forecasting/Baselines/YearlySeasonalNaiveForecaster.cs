namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Yearly seasonal naive with a period of 364 days (52 weeks), so each forecast day copies the same
/// weekday of the same week one year earlier: weekday effects stay aligned, at the cost of a one-day
/// drift per year against the calendar date (two in leap years). With less than 364 days of
/// history it falls back to the weekly seasonal naive, and with less than 7 days to naive.
/// </summary>
public sealed class YearlySeasonalNaiveForecaster(int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : SeasonalNaiveFamilyForecaster("seasonal-naive-yearly", [Period, SeasonalNaiveForecaster.Period, 1], residualWindow)
{
    /// <summary>The season length in days.</summary>
    public const int Period = 364;
}
