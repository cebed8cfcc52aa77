using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>The validation split and the time budget of the trainer, on the small LSTM test data (420 days, window 14, horizon 7).</summary>
[Collection(TorchCollection.Name)]
public sealed class BacktestBarsTrainingTests
{
    private static readonly LstmOptions OneEpoch = LstmTestData.SmallOptions with { MaxEpochs = 1, StepsPerEpoch = 2 };

    [Fact]
    public void Validation_holds_out_the_last_days_of_a_seeded_share_of_skus_and_the_others_train_to_the_end()
    {
        var dataset = LstmTestData.Create(skus: 10);

        using var model = LstmTrainer.Train(dataset, OneEpoch with { ValidationSkuFraction = 0.3 }).Model;

        // 63 validation days (15% of 420) start on day 357. The 3 held-out SKUs train on origins 7..350
        // (344 windows) and validate on origins 357..413 (57 windows); the other 7 train on origins 7..413 (407).
        var m = model.Metadata;
        Assert.Equal(357, m.ValidationStartDay);
        Assert.Equal(3, m.ValidationSkus);
        Assert.Equal((3 * 344) + (7 * 407), m.Training.TrainingWindows);
        Assert.Equal(3 * 57, m.Validation.Windows);
        Assert.True(double.IsFinite(m.Validation.MedianMae) && double.IsFinite(m.Validation.MeanMae));
    }

    [Fact]
    public void Fewer_than_five_skus_validate_on_all_of_them_with_a_pure_time_split()
    {
        var dataset = LstmTestData.Create(skus: 4);

        using var model = LstmTrainer.Train(dataset, OneEpoch with { ValidationSkuFraction = 0.5 }).Model;

        var m = model.Metadata;
        Assert.Equal(4, m.ValidationSkus);
        Assert.Equal(4 * 344, m.Training.TrainingWindows);
        Assert.Equal(4 * 57, m.Validation.Windows);
    }

    [Theory]
    [InlineData(20, 400, 28)]   // one pass: 1,376 windows / 50 a minibatch = 27.5, so 28 steps
    [InlineData(40, 400, 40)]   // one pass is fewer than the minimum: the epoch draws 40 minibatches
    [InlineData(5, 12, 12)]     // ... and more than the maximum: 12
    public void An_epoch_is_one_pass_over_the_windows_within_the_minimum_and_maximum_steps(int min, int max, int steps)
    {
        var dataset = LstmTestData.Create(skus: 4);
        var options = LstmTestData.SmallOptions with
        {
            MaxEpochs = 2, Patience = 2, BatchSize = 50, StepsPerEpoch = null, MinStepsPerEpoch = min, MaxStepsPerEpoch = max,
        };

        using var model = LstmTrainer.Train(dataset, options).Model;

        // 4 SKUs x 344 training windows (the split above); two epochs
        Assert.Equal(4 * 344, model.Metadata.Training.TrainingWindows);
        Assert.Equal(2, model.Metadata.Training.EpochsRun);
        Assert.Equal(2 * steps, model.Metadata.Training.Steps);
    }

    [Fact]
    public void With_weight_averaging_the_saved_weights_are_the_average_after_the_first_step()
    {
        // One step: the average starts at the initial weights and moves by 1 - 0.75, so the saved weights are
        // 0.75 x initial + 0.25 x the weights after the step (what training without averaging saves: same seed,
        // same minibatch, same dropout draws).
        var dataset = LstmTestData.Create(skus: 2);
        var options = LstmTestData.SmallOptions with { MaxEpochs = 1, StepsPerEpoch = 1 };

        using var plain = LstmTrainer.Train(dataset, options).Model;
        using var averaged = LstmTrainer.Train(dataset, options with { WeightAverageDecay = 0.75 }).Model;
        TorchSharp.torch.manual_seed(options.Seed);
        using var initial = new QuantileLstm(plain.Metadata.Architecture);

        var after = plain.Network.parameters().ToArray();
        var saved = averaged.Network.parameters().ToArray();
        var start = initial.parameters().ToArray();
        Assert.Equal(start.Length, saved.Length);
        var moved = 0;
        for (var i = 0; i < saved.Length; i++)
        {
            var s = saved[i].data<float>().ToArray();
            var a = after[i].data<float>().ToArray();
            var w = start[i].data<float>().ToArray();
            for (var j = 0; j < s.Length; j++)
            {
                Assert.Equal((0.75 * w[j]) + (0.25 * a[j]), s[j], 5e-6);
                moved += a[j] != w[j] ? 1 : 0;
            }
        }

        Assert.True(moved > 0, "the step changed no weight, so the check above would not tell the average from either end");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    public void A_weight_average_decay_outside_0_to_1_is_refused(double decay)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => (LstmTestData.SmallOptions with { WeightAverageDecay = decay }).Validate());

        Assert.Contains("WeightAverageDecay must be within [0, 1)", error.Message);
    }

    [Fact]
    public void A_minimum_above_the_maximum_steps_is_refused()
    {
        var options = LstmTestData.SmallOptions with { MinStepsPerEpoch = 500, MaxStepsPerEpoch = 400 };

        var error = Assert.ThrowsAny<ArgumentException>(() => options.Validate());

        Assert.Contains("MinStepsPerEpoch (500) must not exceed MaxStepsPerEpoch (400)", error.Message);
    }

    [Fact]
    public void A_time_budget_shorter_than_an_epoch_stops_training_after_the_first_epoch()
    {
        var dataset = LstmTestData.Create(skus: 2);
        var options = LstmTestData.SmallOptions with { MaxEpochs = 3, Patience = 3, StepsPerEpoch = 2, TimeBudget = TimeSpan.FromMilliseconds(1) };

        var result = LstmTrainer.Train(dataset, options);
        using var model = result.Model;

        Assert.Single(result.History);
        Assert.Equal(1, model.Metadata.Training.EpochsRun);
        Assert.Contains("time budget", model.Metadata.Training.StopReason);
        Assert.Equal(TimeSpan.Zero, result.History[0].EstimatedRemaining);
    }
}
