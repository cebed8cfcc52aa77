namespace SeasonalGrains.Forecasting.Baselines;

/// <summary>
/// Yearly seasonal naive with a period of 364 days (52 weeks), so each forecast day copies the same
/// weekday of the same week one year earlier: weekday effects stay aligned, at the cost of a one-day
/// drift per year against the calendar date (two in leap years). With less than 364 days of
/// history it falls back to the weekly seasonal naive, and with less than 7 days to naive.
/// </summary>
public sealed class YearlySeasonalNaiveForecaster(int residualWindow = ResidualQuantileForecaster.DefaultResidualWindow)
    : ResidualQuantileForecaster(residualWindow)
{
    /// <summary>The season length in days.</summary>
    public const int Period = 364;

    public override string Name => "seasonal-naive-yearly";

    protected override void ComputePaths(double[] history, int horizon, int firstOrigin, PathSink sink) =>
        SeasonalNaivePaths.Emit(history, horizon, firstOrigin, [Period, SeasonalNaiveForecaster.Period, 1], (s, path) => sink(s, path));
}
