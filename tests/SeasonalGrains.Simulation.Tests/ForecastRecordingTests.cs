using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Grains.Forecasting;

namespace SeasonalGrains.Simulation.Tests;

public sealed class ForecastRecordingTests
{
    [Fact]
    public void Each_review_records_its_interval_forecast_and_the_realised_interval_demand_once_its_last_day_is_run()
    {
        // lead time 1 + review period 2: intervals of 3 days from the reviews on days 0, 2 and 4 of a 6-day window
        var recorder = new ReviewForecastRecorder(windowDays: 6, reviewPeriodDays: 2, leadTimeDays: 1);
        var outlook = new FlatOutlook(2);
        double[] demand = [1, 2, 3, 4, 5, 6];
        for (var day = 0; day < 6; day++)
        {
            if (day % 2 == 0)
            {
                recorder.Review(day, outlook);
            }

            recorder.Observe(day, demand[day]);
        }

        var log = recorder.Snapshot();

        Assert.Equal([0, 2, 4], log.ReviewDays);
        Assert.Equal([3, 3, 3], log.IntervalDays);
        Assert.Equal([6.0, 6, 6], log.IntervalMean);
        Assert.Equal([3.0, 3, 3], log.IntervalLower);
        Assert.Equal([4.5, 4.5, 4.5], log.IntervalMedian);
        Assert.Equal([9.0, 9, 9], log.IntervalUpper);

        // 1 + 2 + 3 and 3 + 4 + 5; the last interval (days 4..6) runs past the window
        Assert.Equal(6, log.IntervalActual[0]);
        Assert.Equal(12, log.IntervalActual[1]);
        Assert.True(double.IsNaN(log.IntervalActual[2]));

        // each day's forecast comes from the newest review: mean 2 and median 1.5 a day, band 1..3
        Assert.Equal([2.0, 2, 2, 2, 2, 2], log.DayMean);
        Assert.Equal([1.5, 1.5, 1.5, 1.5, 1.5, 1.5], log.DayMedian!);
        Assert.Equal([1.0, 1, 1, 1, 1, 1], log.DayLower);
        Assert.Equal([3.0, 3, 3, 3, 3, 3], log.DayUpper);
    }

    [Fact]
    public void Forecast_accuracy_is_the_mean_absolute_error_bias_and_band_coverage_of_the_recorded_forecasts()
    {
        var recorder = new ReviewForecastRecorder(windowDays: 6, reviewPeriodDays: 2, leadTimeDays: 1);
        double[] demand = [1, 2, 3, 4, 5, 6];
        for (var day = 0; day < 6; day++)
        {
            if (day % 2 == 0)
            {
                recorder.Review(day, new FlatOutlook(2));
            }

            recorder.Observe(day, demand[day]);
        }

        var a = ForecastLogAccuracy.Of([recorder.Snapshot()]);

        // intervals: median 4.5 (mean 6) against 6 (inside 3..9) and 12 (outside): absolute errors of the median 1.5 and
        // 7.5, errors of the mean 0 and -6
        Assert.Equal(2, a.Count);
        Assert.Equal(4.5, a.IntervalMae, 12);
        Assert.Equal(-3, a.IntervalBias, 12);
        Assert.Equal(9.0 / 18, a.IntervalWape, 12);
        Assert.Equal(0.5, a.IntervalCoverage, 12);

        // days: median 1.5 against 1..6: absolute errors 0.5, 0.5, 1.5, 2.5, 3.5, 4.5; the mean 2 errs by -9 in all;
        // inside 1..3: days with 1, 2, 3
        Assert.Equal(13.0 / 6, a.DayMae, 12);
        Assert.Equal(-9.0 / 6, a.DayBias, 12);
        Assert.Equal(0.5, a.DayCoverage, 12);
        Assert.Equal((0.05, 0.95), (a.LowerLevel, a.UpperLevel));

        // a log saved before day medians were recorded scores its days on the mean: errors 1, 0, 1, 2, 3, 4
        var before = ForecastLogAccuracy.Of([recorder.Snapshot() with { DayMedian = null }]);
        Assert.Equal(11.0 / 6, before.DayMae, 12);
        Assert.Equal(4.5, before.IntervalMae, 12);
    }

    [Fact]
    public void A_restored_log_continues_as_if_the_season_had_not_stopped()
    {
        double[] demand = [4, 0, 7, 1, 2, 9, 3, 3];
        var straight = new ReviewForecastRecorder(8, 3, 2);
        var first = new ReviewForecastRecorder(8, 3, 2);
        for (var day = 0; day < 8; day++)
        {
            var target = day < 4 ? first : null;
            foreach (var r in new[] { straight, target }.OfType<ReviewForecastRecorder>())
            {
                if (day % 3 == 0)
                {
                    r.Review(day, new FlatOutlook(day + 1));
                }

                r.Observe(day, demand[day]);
            }
        }

        var resumed = new ReviewForecastRecorder(8, 3, 2);
        resumed.Load(first.Snapshot());
        for (var day = 4; day < 8; day++)
        {
            if (day % 3 == 0)
            {
                resumed.Review(day, new FlatOutlook(day + 1));
            }

            resumed.Observe(day, demand[day]);
        }

        var expected = straight.Snapshot();
        var actual = resumed.Snapshot();
        Assert.Equal(expected.ReviewDays, actual.ReviewDays);
        Assert.Equal(expected.IntervalMean, actual.IntervalMean);
        Assert.Equal(expected.IntervalActual, actual.IntervalActual);
        Assert.Equal(expected.DayMean, actual.DayMean);
        Assert.Equal(expected.DayMedian, actual.DayMedian);

        // a log saved before day medians were recorded loads, with no median for its days
        var old = new ReviewForecastRecorder(8, 3, 2);
        old.Load(first.Snapshot() with { DayMedian = null });
        Assert.All(old.Snapshot().DayMedian!, m => Assert.True(double.IsNaN(m)));

        // the review on day 3 covers days 3..7: 1 + 2 + 9 + 3 + 3
        Assert.Equal(18, actual.IntervalActual[1]);
    }

    [Theory]
    [InlineData("forecast-order-up-to:ets", "forecast-order-up-to", "ets", false)]
    [InlineData("forecast-order-up-to:perfect-foresight", "forecast-order-up-to", "oracle", false)]
    [InlineData("season-aware:seasonal-naive-yearly", "season-aware", "seasonal-naive-yearly", false)]
    [InlineData("sS", "sS", null, false)]
    [InlineData("sS-tuned", "sS", null, true)]
    [InlineData("rule-tuned", "rule", null, true)]
    [InlineData("forecast-lookahead-tuned:lstm", "forecast-lookahead", "lstm", true)]
    [InlineData("forecast-sS-tuned:ets", "forecast-sS", "ets", true)]
    public void A_policy_name_splits_into_policy_forecaster_and_tuning(string text, string policy, string? forecaster, bool tuned)
    {
        var name = PolicyName.Parse(text, ForecastPolicyCatalog.All);

        Assert.Equal(new PolicyName(policy, forecaster, tuned), name);
        Assert.Equal(text.Replace("perfect-foresight", "oracle", StringComparison.Ordinal), name.ToString());
    }

    [Theory]
    [InlineData("SS-TUNED", "sS", null, true)]
    [InlineData("Forecast-Order-Up-To:ETS", "forecast-order-up-to", "ets", false)]
    [InlineData("forecast-ss:Perfect-Foresight", "forecast-sS", "oracle", false)]
    public void Policy_and_forecaster_names_are_read_ignoring_case_and_kept_as_registered(string text, string policy, string? forecaster, bool tuned)
    {
        var name = PolicyName.Parse(text, ForecastPolicyCatalog.All);

        Assert.Equal(new PolicyName(policy, forecaster, tuned), name);
    }

    [Theory]
    [InlineData("forecast-order-up-to:lstm-stateful", "forecaster 'lstm-stateful' in 'forecast-order-up-to:lstm-stateful' cannot be used by a forecast policy of a replay")]
    [InlineData("forecast-order-up-to:prophet", "unknown forecaster 'prophet'")]
    [InlineData("forecast-order-up-to", "name the forecaster, as in 'forecast-order-up-to:ets'")]
    [InlineData("sS:ets", "policy 'sS' does not use a forecast")]
    [InlineData("RS-tuned", "'RS' cannot be tuned")]
    [InlineData("season-aware-tuned:ets", "'season-aware' cannot be tuned")]
    [InlineData("forecast-lookahead-tuned", "name the forecaster")]
    [InlineData("magic", "unknown policy 'magic'")]
    public void A_bad_policy_name_says_what_is_wrong(string text, string reason)
    {
        Assert.Null(PolicyName.TryParse(text, ForecastPolicyCatalog.All, out var error));
        Assert.Contains(reason, error);
    }

    /// <summary>Demand of <c>perDay</c> a day; quantiles below the median at half the mean, above at 1.5 times it.</summary>
    private sealed class FlatOutlook(double perDay) : IDemandOutlook
    {
        public double Mean(int offset, int days) => perDay * days;

        public double Quantile(double level, int offset, int days) =>
            perDay * days * (level < 0.5 ? 0.5 : level > 0.5 ? 1.5 : 0.75); // the median below the mean, as for skewed demand
    }
}
