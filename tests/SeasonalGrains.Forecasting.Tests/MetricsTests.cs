using SeasonalGrains.Forecasting.Baselines;
using SeasonalGrains.Forecasting.Metrics;

namespace SeasonalGrains.Forecasting.Tests;

public class MetricsTests
{
    // Actuals 1, 2, 3, 4 forecast flat at 2: errors f - y = 1, 0, -1, -2.
    private static readonly double[] Actual = [1, 2, 3, 4];
    private static readonly double[] Flat = [2, 2, 2, 2];

    [Fact]
    public void Mae_is_the_mean_absolute_error() =>
        Assert.Equal(1.0, ForecastMetrics.Mae(Actual, Flat), 12); // (1 + 0 + 1 + 2) / 4

    [Fact]
    public void Rmse_is_the_root_of_the_mean_squared_error() =>
        Assert.Equal(Math.Sqrt(1.5), ForecastMetrics.Rmse(Actual, Flat), 12); // sqrt((1 + 0 + 1 + 4) / 4)

    [Fact]
    public void Wmape_divides_total_absolute_error_by_total_actual()
    {
        Assert.Equal(0.4, ForecastMetrics.WMape(Actual, Flat), 12); // 4 / 10
        Assert.True(double.IsNaN(ForecastMetrics.WMape([0, 0], [1, 1])));
    }

    [Fact]
    public void Bias_is_forecast_minus_actual_in_units_and_relative_to_volume()
    {
        Assert.Equal(-0.5, ForecastMetrics.Bias(Actual, Flat), 12); // -2 / 4
        Assert.Equal(-0.2, ForecastMetrics.RelativeBias(Actual, Flat), 12); // -2 / 10
        Assert.Equal(1.0, ForecastMetrics.Bias([1, 1], [2, 2]), 12);
    }

    [Fact]
    public void Mase_scales_mae_by_the_in_sample_seasonal_naive_mae()
    {
        double[] training = [1, 3, 2, 4, 3];

        // Period 1: |3-1|, |2-3|, |4-2|, |3-4| = 2, 1, 2, 1 -> 1.5; MAE 1 -> 2/3.
        Assert.Equal(1.5, ForecastMetrics.SeasonalNaiveScale(training, 1), 12);
        Assert.Equal(2.0 / 3, ForecastMetrics.Mase(Actual, Flat, training, 1), 12);

        // Period 2: |2-1|, |4-3|, |3-2| = 1, 1, 1 -> 1; MAE 1 -> 1.
        Assert.Equal(1.0, ForecastMetrics.Mase(Actual, Flat, training, 2), 12);
    }

    [Fact]
    public void Mase_is_undefined_for_short_or_constant_training_data()
    {
        Assert.True(double.IsNaN(ForecastMetrics.Mase(Actual, Flat, [1, 2], 7)));
        Assert.True(double.IsNaN(ForecastMetrics.Mase(Actual, Flat, [5, 5, 5, 5], 1)));
    }

    [Fact]
    public void Pinball_weights_under_forecasts_by_the_level_and_over_forecasts_by_one_minus_it()
    {
        Assert.Equal(1.8, ForecastMetrics.Pinball(10, 8, 0.9), 12);  // 0.9 * (10 - 8)
        Assert.Equal(0.2, ForecastMetrics.Pinball(10, 12, 0.9), 12); // 0.1 * (12 - 10)
        Assert.Equal(0.0, ForecastMetrics.Pinball(7, 7, 0.3), 12);
    }

    [Fact]
    public void Mean_pinball_averages_over_points_and_levels()
    {
        // Point 1, y = 10: q0.1 = 8 -> 0.1 * 2 = 0.2; q0.9 = 12 -> 0.1 * 2 = 0.2.
        // Point 2, y = 0: q0.1 = 1 -> 0.9 * 1 = 0.9; q0.9 = 1 -> 0.1 * 1 = 0.1. Mean 1.4 / 4.
        var loss = ForecastMetrics.MeanPinball([10, 0], [[8, 12], [1, 1]], [0.1, 0.9]);
        Assert.Equal(0.35, loss, 12);
    }

    [Fact]
    public void Coverage_counts_actuals_inside_the_closed_interval()
    {
        // 1 in [0, 2], 5 on the bound of [0, 5], 10 above [0, 9], 3 below [4, 6]: 2 of 4.
        Assert.Equal(0.5, ForecastMetrics.Coverage([1, 5, 10, 3], [0, 0, 0, 4], [2, 5, 9, 6]), 12);
    }

    [Fact]
    public void Central_interval_finds_the_two_levels_of_a_nominal_coverage()
    {
        Assert.Equal((1, 3), ForecastMetrics.CentralInterval([0.05, 0.1, 0.5, 0.9], 0.8));
        Assert.Equal((0, 4), ForecastMetrics.CentralInterval([0.025, 0.1, 0.5, 0.9, 0.975], 0.95));
        Assert.Null(ForecastMetrics.CentralInterval([0.1, 0.5], 0.8));
    }

    [Fact]
    public void Empirical_quantile_interpolates_between_order_statistics()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(2.5, EmpiricalQuantile.OfSorted(sorted, 0.5), 12); // position 1.5
        Assert.Equal(1.3, EmpiricalQuantile.OfSorted(sorted, 0.1), 12); // position 0.3
        Assert.Equal(1.0, EmpiricalQuantile.OfSorted(sorted, 0), 12);
        Assert.Equal(4.0, EmpiricalQuantile.OfSorted(sorted, 1), 12);
        Assert.Equal(7.0, EmpiricalQuantile.OfSorted([7], 0.9), 12);
    }

    [Fact]
    public void Empty_or_misaligned_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => ForecastMetrics.Mae([], []));
        Assert.Throws<ArgumentException>(() => ForecastMetrics.Rmse([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => ForecastMetrics.MeanPinball([1], [[1, 2]], [0.5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ForecastMetrics.Pinball(1, 1, 1.0));
    }
}
