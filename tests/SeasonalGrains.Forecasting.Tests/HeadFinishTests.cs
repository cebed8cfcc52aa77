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
    public void With_counts_each_quantile_becomes_the_nearest_whole_number_and_the_mean_stays()
    {
        // three levels with the interval head, scale 1: per day [lowest, 2 increments, mean, 3 interval increments]
        float[] increments =
        [
            0.25f, 1.25f, 1.25f, 1.75f, 0.25f, 1.25f, 1.0f,
            1.25f, 0.25f, 2.0f, 2.25f, 0.75f, 0.25f, 1.5f,
        ];
        var output = new float[14];

        QuantileLstm.Finish(increments, output, days: 2, quantiles: 3, interval: true, scale: 1f, counts: true);

        // day 0: levels 0.25, 1.5, 2.75 -> ceil(q - 0.5) = 0, 1, 3 (a half rounds down); mean 1.75 as it is;
        // interval sums 0.25, 1.5, 2.5 -> 0, 1, 2
        // day 1: levels 1.25, 1.5, 3.5 -> 1, 1, 3; mean 2.25; sums 0.25 + 0.75, 1.5 + 1, 2.5 + 2.5 -> 1, 2, 5
        Assert.Equal([0f, 1f, 3f, 1.75f, 0f, 1f, 2f, 1f, 1f, 3f, 2.25f, 1f, 2f, 5f], output);
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

    [Fact]
    public void A_model_with_integer_quantiles_forecasts_whole_numbers_and_one_without_does_not()
    {
        var dataset = LstmTestData.Create();
        var options = LstmTestData.SmallOptions with { Scaling = Features.UnitScaling.Level };
        using var counted = LstmModel.Untrained(Features.FeatureSchema.Fit(dataset, 14, 7, 300, options.Scaling, integerQuantiles: true), options);
        using var continuous = LstmModel.Untrained(Features.FeatureSchema.Fit(dataset, 14, 7, 300, options.Scaling), options);
        var quantiles = options.Quantiles.Count;
        var perDay = counted.OutputsPerDay;

        float[] Levels(LstmModel model)
        {
            var output = model.Predict([.. Enumerable.Range(0, 4).Select(s => model.BuildWindow(dataset, s, 350))]);
            return [.. output.SelectMany(o => Enumerable.Range(0, o.Length).Where(i => i % perDay < quantiles).Select(i => o[i]))];
        }

        Assert.All(Levels(counted), q => Assert.Equal(MathF.Round(q), q));
        Assert.Contains(Levels(continuous), q => MathF.Round(q) != q);
    }
}
