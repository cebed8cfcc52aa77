using SeasonalGrains.Domain.Statistics;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary><see cref="LstmCalibration"/> and <see cref="LstmCalibrationMap"/> on data whose distribution is known.</summary>
public sealed class CalibrationTests
{
    private static readonly IReadOnlyList<double> Levels = LstmOptions.TrainLevels;

    [Fact]
    public void Split_conformal_calibration_brings_too_narrow_normal_quantiles_to_their_levels_on_fresh_data()
    {
        // Actuals are normal with mean 10 and sd 2; the forecaster's quantiles are those of sd 1 (half as wide).
        // Calibrated on 20,000 held-out actuals, scored on 20,000 fresh ones. The share at or below a quantile of
        // level p has a standard deviation of sqrt(p (1 - p) / 20,000) <= 0.0035 on the fresh sample, and the
        // calibrated level carries about as much again from the calibration sample (plus at most 1 / 20,001):
        // together at most about 0.005. A tolerance of 0.02 is four of those, and the seed is fixed.
        const int n = 20_000;
        var random = new Random(5);
        var curve = Levels.Select(p => (float)(10 + Normal.InverseCdf(p))).ToArray();
        var calibration = Draws(random, n);
        var fresh = Draws(random, n);

        var before = Shares(curve, fresh);
        var fitted = LstmCalibration.FitLevels(Levels, [.. Enumerable.Repeat(curve, n)], calibration);
        var map = new LstmCalibrationMap(new LstmCalibration { Windows = n, FirstOriginDay = 0, LastOriginDay = 0, Daily = [fitted] }, Levels);
        var calibrated = new float[curve.Length];
        map.Daily(0, curve, calibrated);
        var after = Shares(calibrated, fresh);

        // the raw quantiles are far off in the tails: P0.5% holds about 10% (Phi(-2.576 / 2)), P99.5% about 90%
        Assert.InRange(before[0], 0.08, 0.12);
        Assert.InRange(before[^1], 0.88, 0.92);
        for (var k = 0; k < Levels.Count; k++)
        {
            Assert.True(Math.Abs(after[k] - Levels[k]) <= 0.02, $"level {Levels[k]}: share {after[k]:0.0000} after calibration");
        }

        // and the calibrated quantiles are those of sd 2: each is an order statistic of the calibration sample, whose
        // standard deviation at P99.5% is sqrt(0.995 x 0.005 / 20,000) / density = 0.0005 / 0.0072 = 0.07 units
        for (var k = 0; k < Levels.Count; k++)
        {
            Assert.InRange(calibrated[k] - (10 + (2 * Normal.InverseCdf(Levels[k]))), -0.25, 0.25);
        }
    }

    [Fact]
    public void The_score_is_the_level_at_which_the_curve_reaches_the_actual_linear_between_and_beyond_the_levels()
    {
        double[] levels = [0.1, 0.5, 0.9];
        float[] curve = [1f, 2f, 4f];

        Assert.Equal(0.3, LstmCalibration.Score(levels, curve, 1.5), 12); // halfway from 1 to 2
        Assert.Equal(0.7, LstmCalibration.Score(levels, curve, 3), 12); // halfway from 2 to 4
        Assert.Equal(1.1, LstmCalibration.Score(levels, curve, 5), 12); // the last segment extended: 0.2 per unit
        Assert.Equal(0.0, LstmCalibration.Score(levels, curve, 0.75), 12); // the first extended: 0.4 per unit
        Assert.Equal(levels[^1] + LstmCalibration.MaxExtrapolation, LstmCalibration.Score(levels, curve, 1e6), 12);
    }

    [Fact]
    public void Spread_calibration_moves_the_actuals_by_the_median_miss_so_only_the_widths_are_fitted()
    {
        // every curve reads 10 (level - 0.5): P10 -4, P50 0, P90 4; the actuals 1..9 lie 5 above a perfectly placed sample
        double[] levels = [0.1, 0.5, 0.9];
        var curves = Enumerable.Repeat(new[] { -4f, 0f, 4f }, 9).ToList();
        var actuals = Enumerable.Range(1, 9).Select(y => (double)y).ToList();

        // conformal: the scores are 0.5 + y / 10 = 0.6..1.4; ranks ceil(10 p) = 1, 5, 9 read 0.6, 1.0, 1.4
        var conformal = LstmCalibration.FitLevels(levels, curves, actuals);
        Assert.Equal([0.6, 1.0, 1.4], conformal.Select(l => Math.Round(l, 12)));

        // spread: the median miss is 5, the moved actuals -4..4 score 0.1..0.9: the model's levels as they are
        Assert.Equal(5, LstmCalibration.MedianMiss(levels, curves, actuals), 12);
        var spread = LstmCalibration.FitLevels(levels, curves, actuals, LstmCalibrationMode.Spread);
        Assert.Equal([0.1, 0.5, 0.9], spread.Select(l => Math.Round(l, 12)));

        // twice the spread (actuals 2, 4, .., 18, median miss 10): the levels widen, the median stays
        var wide = LstmCalibration.FitLevels(levels, curves, [.. actuals.Select(y => 10 + (2 * (y - 5)))], LstmCalibrationMode.Spread);
        Assert.Equal([-0.3, 0.5, 1.3], wide.Select(l => Math.Round(l, 12)));
    }

    [Fact]
    public void Zero_actuals_score_uniformly_below_the_level_where_the_curve_crosses_zero()
    {
        // the curve crosses 0 at level 0.3 (halfway from -1 to 1); a floored forecast covers a zero at every level,
        // and the randomized transform spreads its score over [0, 0.3]: the median of 10,000 of them is near
        // 0.15 (standard deviation of the sample median 0.3 x 0.5 / sqrt(10,000) = 0.0015)
        double[] levels = [0.1, 0.5, 0.9];
        float[] curve = [-1f, 1f, 3f];
        const int n = 10_000;

        var fitted = LstmCalibration.FitLevels(levels, [.. Enumerable.Repeat(curve, n)], [.. Enumerable.Repeat(0.0, n)]);

        Assert.InRange(fitted[0], 0.03 - 0.005, 0.03 + 0.005);
        Assert.InRange(fitted[1], 0.15 - 0.005, 0.15 + 0.005);
        Assert.InRange(fitted[2], 0.27 - 0.005, 0.27 + 0.005);
    }

    [Fact]
    public void The_map_reads_each_calibrated_level_from_a_fixed_segment_of_the_raw_curve()
    {
        double[] levels = [0.1, 0.5, 0.9];
        var calibration = new LstmCalibration { Windows = 1, FirstOriginDay = 0, LastOriginDay = 0, Daily = [[0.0, 0.3, 1.1]] };
        var map = new LstmCalibrationMap(calibration, levels);
        var output = new float[3];

        map.Daily(0, [1f, 2f, 4f], output);

        // level 0.0: 1 - 0.25 x (2 - 1); 0.3: halfway from 1 to 2; 1.1: 2 + 1.5 x (4 - 2)
        Assert.Equal(0.75f, output[0], 5);
        Assert.Equal(1.5f, output[1], 5);
        Assert.Equal(5f, output[2], 5);
    }

    [Fact]
    public void After_calibration_quantiles_ascend_with_the_level_and_sums_with_the_days()
    {
        // two levels with the interval head, three days; day 1's interval levels are far above day 2's and 3's,
        // which would make its sums larger than theirs
        double[] levels = [0.25, 0.75];
        var calibration = new LstmCalibration
        {
            Windows = 1,
            FirstOriginDay = 0,
            LastOriginDay = 0,
            Daily = [[0.25, 0.75], [0.25, 0.75], [0.25, 0.75]],
            Interval = [[1.5, 1.75], [0.25, 0.3], [0.25, 0.3]],
        };
        calibration.Validate(3, 2, interval: true);
        var map = new LstmCalibrationMap(calibration, levels);

        // per day [lowest, increment, mean, interval increment x 2]: every day adds 1 and 2 to the sums
        float[] increments = [1f, 1f, 1.5f, 1f, 1f, 1f, 1f, 1.5f, 1f, 1f, 1f, 1f, 1.5f, 1f, 1f];
        var output = new float[15];
        QuantileLstm.Finish(increments, output, days: 3, quantiles: 2, interval: true, scale: 1f, calibration: map);

        for (var d = 0; d < 3; d++)
        {
            var day = output.AsSpan(d * 5, 5);
            Assert.True(day[0] <= day[1], $"day {d}: daily quantiles cross");
            Assert.True(day[3] <= day[4], $"day {d}: interval quantiles cross");
            if (d > 0)
            {
                Assert.True(output[((d - 1) * 5) + 3] <= day[3] && output[((d - 1) * 5) + 4] <= day[4], $"day {d}: a sum fell");
            }
        }

        // day 1: raw sums 1 and 2 read at levels 1.5 and 1.75 (slope 2 per level): 1 + 2.5 = 3.5 and 4; day 2's raw
        // sums 2 and 4 read at 0.25 and 0.3 would be 2 and 2.2, so they stay at day 1's
        Assert.Equal([3.5f, 4f], output.AsSpan(3, 2).ToArray());
        Assert.Equal([3.5f, 4f], output.AsSpan(8, 2).ToArray());
    }

    [Fact]
    public void A_calibration_whose_shape_does_not_match_the_model_is_rejected()
    {
        var calibration = new LstmCalibration { Windows = 1, FirstOriginDay = 0, LastOriginDay = 0, Daily = [[0.1, 0.5]] };

        Assert.Throws<InvalidDataException>(() => calibration.Validate(horizon: 2, quantiles: 2, interval: false));
        Assert.Throws<InvalidDataException>(() => calibration.Validate(horizon: 1, quantiles: 2, interval: true));
        Assert.Throws<InvalidDataException>(() => (calibration with { Daily = [[0.5, 0.1]] }).Validate(1, 2, false));
    }

    private static double[] Draws(Random random, int n) =>
        [.. Enumerable.Range(0, n).Select(_ => 10 + (2 * Normal.InverseCdf(Math.Clamp(random.NextDouble(), 1e-12, 1 - 1e-12))))];

    private static double[] Shares(float[] quantiles, double[] actuals) =>
        [.. quantiles.Select(q => actuals.Count(a => a <= q) / (double)actuals.Length)];
}
