using SeasonalGrains.Forecasting.Inference;

namespace SeasonalGrains.Forecasting.Tests;

public sealed class ErrorRecordTests
{
    [Fact]
    public void Errors_of_origins_before_the_window_drop_out_and_the_rest_give_the_sample_sd()
    {
        var record = new ErrorRecord();
        record.Add(1, 10);
        record.Add(1, -10);
        record.Add(2, 1);
        record.Add(3, 3);

        record.DropBefore(2);

        Assert.Equal(2, record.Count);
        Assert.Equal(Math.Sqrt(2), record.StandardDeviation(), 12); // 1 and 3: mean 2, squares 1 + 1, over n - 1 = 1
    }

    [Fact]
    public void The_ring_grows_past_its_first_size_and_keeps_the_order()
    {
        var record = new ErrorRecord();
        for (var origin = 1; origin <= 100; origin++)
        {
            record.Add(origin, origin % 2 == 0 ? 1 : -1); // +1 and -1 alternating
            record.DropBefore(origin - 39); // keeps origins origin - 39 .. origin: 40 of them once there are
        }

        Assert.Equal(40, record.Count);
        Assert.Equal(Math.Sqrt(40.0 / 39), record.StandardDeviation(), 12); // 20 of each: mean 0, squares 40
        record.Clear();
        Assert.Equal(0, record.Count);
        Assert.Throws<InvalidOperationException>(() => record.StandardDeviation());
    }
}
