using SeasonalGrains.Forecasting.Outlook;

namespace SeasonalGrains.Forecasting.Tests;

public sealed class IntervalQuantileOutlookTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    private static IntervalQuantileOutlook ThreeDays(out SamplePathOutlook paths)
    {
        // daily medians 2, 3, 4; the head's sums of days 0..h: medians 2, 5.2, 9.5
        double[] mean = [2, 3, 4];
        QuantileCurve[] days = [new(Levels, [1, 2, 3]), new(Levels, [1.5, 3, 4.5]), new(Levels, [2, 4, 6])];
        QuantileCurve[] sums = [new(Levels, [1.1, 2, 2.9]), new(Levels, [3, 5.2, 7.5]), new(Levels, [6, 9.5, 13])];
        var fallback = new SamplePathOutlook(mean, days, new SamplePathSettings(512, 0.2), 42, 1.25);
        paths = fallback;
        return IntervalQuantileOutlook.FromCurves(mean, days, sums, 1.25, () => fallback);
    }

    [Fact]
    public void Runs_from_the_origin_read_the_sums_curve_of_their_last_day()
    {
        var outlook = ThreeDays(out _);

        Assert.Equal(9.5, outlook.Quantile(0.5, 0, 3), 12);
        Assert.Equal(13, outlook.Quantile(0.9, 0, 3), 12);
        Assert.Equal(5.2, outlook.Quantile(0.5, 0, 2), 12);
        Assert.Equal(2, outlook.Quantile(0.5, 0, 1), 12);

        // halfway between the 0.5 and 0.9 knots in normal score: z = 0.6408 -> 9.5 + 3.5 / 2
        Assert.Equal(11.25, outlook.Quantile(0.7391658153933758, 0, 3), 6);
        Assert.Equal(9, outlook.Mean(0, 3), 12);
        Assert.Equal(1.25, outlook.ErrorStandardDeviation);
    }

    [Fact]
    public void One_later_day_reads_its_daily_curve_and_longer_later_runs_use_sample_paths()
    {
        var outlook = ThreeDays(out var paths);

        Assert.Equal(3, outlook.Quantile(0.5, 1, 1), 12);
        Assert.Equal(6, outlook.Quantile(0.9, 2, 1), 12);
        Assert.Equal(7, outlook.Mean(1, 2), 12);
        Assert.Equal(paths.Quantile(0.8, 1, 2), outlook.Quantile(0.8, 1, 2), 12);
        Assert.Equal(paths.Quantile(1, 0, 3), outlook.Quantile(1, 0, 3), 12); // level 1: the largest path sum
    }

    [Fact]
    public void Runs_past_the_horizon_and_levels_outside_zero_to_one_are_rejected()
    {
        var outlook = ThreeDays(out _);

        Assert.Throws<ArgumentOutOfRangeException>(() => outlook.Quantile(0.5, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => outlook.Mean(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => outlook.Quantile(1.5, 0, 1));
    }

    [Fact]
    public void Rows_at_one_score_equal_each_curve_read_alone()
    {
        // two curves of three quantiles, each row of 5 floats: [q10 q50 q90 x x]
        double[] scores = [-1.2815515655446004, 0, 1.2815515655446004];
        float[] values = [1, 2, 4, -7, -7, 3, 5, 9, -7, -7];
        Span<double> rows = stackalloc double[2];

        QuantileCurve.AtScoreRows(scores, values, 0, 5, 0.6407757827723002, rows); // halfway from the median to q90
        Assert.Equal(3, rows[0], 12);
        Assert.Equal(7, rows[1], 12);

        foreach (var z in new[] { -3.0, -1.2815515655446004, -0.3, 0, 0.9, 2.5 })
        {
            QuantileCurve.AtScoreRows(scores, values, 0, 5, z, rows);
            Assert.Equal(QuantileCurve.AtScore(scores, values.AsSpan(0, 3), z), rows[0]);
            Assert.Equal(QuantileCurve.AtScore(scores, values.AsSpan(5, 3), z), rows[1]);
        }

        Assert.Throws<ArgumentException>(() => QuantileCurve.AtScoreRows(scores, values, 0, 5, 0, new double[3]));
    }
}
