namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>The run-of-days arithmetic every outlook shares: the range check and the sum of daily means.</summary>
internal static class OutlookDays
{
    /// <summary>Refuses a run that does not lie inside days 0..horizon-1 from the origin.</summary>
    public static void Check(int offset, int days, int horizon)
    {
        if (offset < 0 || days < 1 || offset + days > horizon)
        {
            throw new ArgumentOutOfRangeException(
                nameof(days), $"Asked for {days} day(s) from offset {offset}, but the forecast covers days 0..{horizon - 1} from its origin (days >= 1, offset >= 0). Forecast a longer horizon.");
        }
    }

    /// <summary>The sum of <paramref name="values"/> over the run, in day order.</summary>
    public static double Sum(double[] values, int offset, int days)
    {
        double sum = 0;
        for (var h = offset; h < offset + days; h++)
        {
            sum += values[h];
        }

        return sum;
    }
}
