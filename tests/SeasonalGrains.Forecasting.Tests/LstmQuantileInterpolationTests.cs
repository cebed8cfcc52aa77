using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

public sealed class LstmQuantileInterpolationTests
{
    private static readonly double[] ModelLevels = [0.1, 0.25, 0.5, 0.75, 0.9];
    private static readonly float[] Values = [2, 5, 10, 20, 26];

    [Fact]
    public void Model_levels_keep_their_values()
    {
        Assert.Equal([2.0, 5, 10, 20, 26], QuantileInterpolation.At(ModelLevels, Values, ModelLevels));
    }

    [Fact]
    public void Levels_between_model_levels_are_interpolated_linearly()
    {
        // 0.3 lies a fifth of the way from 0.25 (5) to 0.5 (10); 0.8 a third of the way from 0.75 (20) to 0.9 (26).
        var result = QuantileInterpolation.At(ModelLevels, Values, [0.3, 0.8]);
        Assert.Equal(6.0, result[0], 9);
        Assert.Equal(22.0, result[1], 9);
    }

    [Fact]
    public void Levels_outside_the_model_range_extend_the_outer_segments_and_stop_at_zero()
    {
        // Slope above 0.9: (26 - 20) / 0.15 = 40 per unit level, so 0.95 gives 28; below 0.1: 3 / 0.15 = 20.
        var result = QuantileInterpolation.At(ModelLevels, Values, [0.01, 0.05, 0.95]);
        Assert.Equal(0.2, result[0], 9);
        Assert.Equal(1.0, result[1], 9);
        Assert.Equal(28.0, result[2], 9);
        Assert.Equal([0.0], QuantileInterpolation.At(ModelLevels, [1, 5, 10, 20, 26], [0.01]));
    }
}
