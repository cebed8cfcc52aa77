using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary><see cref="QuantileLstm.Finish"/>: the inference head's increments summed into forecasts, by hand.</summary>
public sealed class HeadFinishTests
{
    [Fact]
    public void Increments_sum_over_levels_and_days_then_scale()
    {
        // two levels with the interval head: per day [lowest, increment, mean, interval increment x 2]
        float[] increments =
        [
            1f, 0.5f, 2f, 0.25f, 0.25f,
            2f, 1f, 3f, 0.5f, 0.5f,
        ];
        var output = new float[10];

        QuantileLstm.Finish(increments, output, days: 2, quantiles: 2, interval: true, scale: 2f);

        // day 0: levels 1 and 1 + 0.5; the day's interval increments 0.25 and 0.25 + 0.25
        // day 1: levels 2 and 2 + 1; interval sums 0.25 + 0.5 and 0.5 + 1.0; everything times 2
        Assert.Equal([2f, 3f, 4f, 0.5f, 1f, 4f, 6f, 6f, 1.5f, 3f], output);
    }

    [Fact]
    public void Negative_levels_are_clamped_at_zero_and_without_the_interval_head_only_levels_and_mean_are_written()
    {
        float[] increments = [-3f, 1f, 0.5f];
        var output = new float[3];

        QuantileLstm.Finish(increments, output, days: 1, quantiles: 2, interval: false, scale: 1f);

        Assert.Equal([0f, 0f, 0.5f], output); // -3 and -3 + 1 are below zero
    }

    [Fact]
    public void A_forecast_that_is_not_finite_is_an_error()
    {
        float[] increments = [1f, float.NaN, 2f, 0.25f, 0.25f];
        var output = new float[5];

        var error = Assert.Throws<InvalidOperationException>(() => QuantileLstm.Finish(increments, output, 1, 2, true, 1f));
        Assert.Contains("not finite", error.Message, StringComparison.Ordinal);
    }
}
