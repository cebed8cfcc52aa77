using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

[Collection(TorchCollection.Name)]
public sealed class InferenceBatcherTests(LstmTrainedModelFixture fixture)
{
    [Fact]
    public async Task Batcher_returns_the_same_values_as_a_direct_batch_call()
    {
        var windows = Windows(40);
        var direct = fixture.Model.Predict(windows);

        await using var batcher = new ForecastBatcher(fixture.Model);
        var viaBatcher = await Task.WhenAll(windows.Select(w => batcher.SubmitAsync(w)));

        Assert.Equal(direct.Length, viaBatcher.Length);
        for (var i = 0; i < direct.Length; i++)
        {
            Assert.Equal(direct[i].Length, viaBatcher[i].Length);
            for (var j = 0; j < direct[i].Length; j++)
            {
                // Rows of a batch are computed independently; only summation order may differ by batch size.
                Assert.Equal(direct[i][j], viaBatcher[i][j], 1e-4f);
            }
        }
    }

    [Fact]
    public async Task A_batcher_with_two_workers_in_bfloat16_matches_direct_bfloat16_calls_and_stays_near_float32()
    {
        var windows = Windows(64);
        var exact = fixture.Model.Predict(windows);
        var direct = fixture.Model.Predict(windows, InferencePrecision.BFloat16);

        var options = new ForecastBatcherOptions { Workers = 2, MaxBatchSize = 16, Precision = InferencePrecision.BFloat16 };
        await using var batcher = new ForecastBatcher(fixture.Model, options);
        var viaBatcher = await Task.WhenAll(windows.Select(w => batcher.SubmitAsync(w)));

        var worst = 0.0;
        for (var i = 0; i < windows.Length; i++)
        {
            for (var j = 0; j < exact[i].Length; j++)
            {
                Assert.Equal(direct[i][j], viaBatcher[i][j], 0.02f);
                // bfloat16 keeps 8 significant bits: relative rounding up to 2^-8 per operation.
                worst = Math.Max(worst, Math.Abs(direct[i][j] - exact[i][j]) / Math.Max(1.0, exact[i][j]));
            }
        }

        Assert.InRange(worst, 0.0, 0.03);
        Assert.True(batcher.Batches >= 4);
    }

    [Fact]
    public async Task A_full_batch_is_flushed_at_once_without_waiting_for_the_delay()
    {
        var options = new ForecastBatcherOptions { MaxBatchSize = 4, MaxDelay = TimeSpan.FromMinutes(5) };
        await using var batcher = new ForecastBatcher(fixture.Model, options);

        var results = await Task.WhenAll(Windows(8).Select(w => batcher.SubmitAsync(w))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(8, results.Length);
        Assert.Equal(8, batcher.Forecasts);
        Assert.Equal(2, batcher.Batches);
    }

    [Fact]
    public async Task A_partial_batch_is_flushed_after_the_delay()
    {
        var options = new ForecastBatcherOptions { MaxBatchSize = 256, MaxDelay = TimeSpan.FromMilliseconds(50) };
        await using var batcher = new ForecastBatcher(fixture.Model, options);

        var results = await Task.WhenAll(Windows(3).Select(w => batcher.SubmitAsync(w))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, results.Length);
        Assert.Equal(1, batcher.Batches);
    }

    [Fact]
    public async Task A_window_of_the_wrong_shape_is_rejected_when_submitted()
    {
        await using var batcher = new ForecastBatcher(fixture.Model);
        var good = Windows(1)[0];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => batcher.SubmitAsync(good with { Past = new float[10] }));
        Assert.Contains("10 past", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => batcher.SubmitAsync(good with { Category = 99 }));
        Assert.Equal(0, batcher.Batches);
    }

    [Fact]
    public async Task A_disposed_batcher_refuses_new_requests()
    {
        var batcher = new ForecastBatcher(fixture.Model);
        var window = Windows(1)[0];
        Assert.Equal(fixture.Model.OutputLength, (await batcher.SubmitAsync(window)).Length);

        await batcher.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.SubmitAsync(window));
    }

    [Fact]
    public void The_bench_measures_every_batch_size_and_one_caller_makes_batches_of_one()
    {
        var results = ForecastBench.Run(fixture.Model, [1, 16], TimeSpan.FromMilliseconds(100));

        Assert.Equal([1, 16], results.Select(r => r.BatchSize));
        Assert.All(results, r => Assert.True(r.DirectForecastsPerSecond > 0 && r.BatcherForecastsPerSecond > 0));
        Assert.Equal(1.0, results[0].BatcherMeanBatch);
        Assert.InRange(results[1].BatcherMeanBatch, 1.0, 16.0);
    }

    private ForecastWindow[] Windows(int count) =>
        [.. Enumerable.Range(0, count).Select(i => fixture.Model.BuildWindow(fixture.Dataset, i % 4, 300 + i))];
}
