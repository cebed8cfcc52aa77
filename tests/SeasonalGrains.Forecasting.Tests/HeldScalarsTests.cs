using SeasonalGrains.Forecasting.Lstm;
using TorchSharp;
using static TorchSharp.torch;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>
/// Runs alone: while a test here forces collections, another test's libtorch call with a temporary Scalar could
/// have it freed under it (the failure these tests guard against).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CollectionPressureCollection
{
    public const string Name = "collection pressure";
}

/// <summary>
/// <see cref="HeldScalars"/> and <see cref="LstmAdam"/>: the numbers the LSTM hands to libtorch stay alive while
/// garbage collections run, and the optimizer computes what torch.optim.Adam computes.
/// </summary>
[Collection(CollectionPressureCollection.Name)]
public sealed class HeldScalarsTests
{
    [Fact]
    public void Adam_first_step_moves_each_weight_by_the_learning_rate_against_its_gradient()
    {
        TorchRuntime.EnsureInitialized();
        using var weights = new TorchSharp.Modules.Parameter(tensor(new[] { 1f, -2f, 3f }));
        using var slopes = tensor(new[] { 2f, -0.5f, 4f });
        using var adam = new LstmAdam([weights], learningRate: 0.01);

        (weights * slopes).sum().backward(); // gradient = slopes
        adam.Step();

        // step 1: m = 0.1 g, v = 0.001 g^2, so the update is lr x (m / 0.1) / (sqrt(v / 0.001) + eps) = lr x g / (|g| + eps)
        var after = weights.data<float>().ToArray();
        Assert.Equal(0.99, after[0], 6);
        Assert.Equal(-1.99, after[1], 6);
        Assert.Equal(2.99, after[2], 6);
    }

    [Fact]
    public void Adam_gives_the_weights_of_torch_optim_Adam_bit_for_bit()
    {
        TorchRuntime.EnsureInitialized();
        using var ours = new TorchSharp.Modules.Parameter(tensor(new[] { 0.5f, -1.5f, 2.5f, 4f }));
        using var theirs = new TorchSharp.Modules.Parameter(tensor(new[] { 0.5f, -1.5f, 2.5f, 4f }));
        using var target = tensor(new[] { 1f, 1f, -1f, 0.25f });
        using var adam = new LstmAdam([ours], learningRate: 0.05);
        using var reference = optim.Adam([theirs], lr: 0.05);

        for (var step = 0; step < 40; step++)
        {
            if (step == 20)
            {
                // a plateau lowers the learning rate
                adam.LearningRate = 0.02;
                foreach (var group in reference.ParamGroups)
                {
                    group.LearningRate = 0.02;
                }
            }

            using var scope = NewDisposeScope();
            adam.ZeroGrad();
            (ours - target).pow(HeldScalars.Two).sum().backward();
            adam.Step();
            reference.zero_grad();
            (theirs - target).pow(HeldScalars.Two).sum().backward();
            reference.step();
        }

        Assert.Equal(theirs.data<float>().ToArray(), ours.data<float>().ToArray());
        Assert.NotEqual(new[] { 0.5f, -1.5f, 2.5f, 4f }, ours.data<float>().ToArray());
    }

    [Fact]
    public async Task Held_scalars_stay_valid_while_collections_run_during_libtorch_calls()
    {
        TorchRuntime.EnsureInitialized();
        using var weights = new TorchSharp.Modules.Parameter(zeros(8));
        using var adam = new LstmAdam([weights], learningRate: 1e-3);
        using var zero = zeros(4);
        var softplusOfZero = 0f;
        var range = Array.Empty<long>();

        await UnderCollections(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                using var scope = NewDisposeScope();
                adam.ZeroGrad();
                weights.sum().backward(); // gradient 1 everywhere: every step moves each weight by -lr
                adam.Step();
                softplusOfZero = HeldScalars.Softplus(zero).data<float>()[3];
                range = HeldScalars.Range(5, CPU).data<long>().ToArray();
            }
        });

        Assert.Equal(Math.Log(2), softplusOfZero, 6);
        Assert.Equal([0L, 1, 2, 3, 4], range);
        Assert.All(weights.data<float>().ToArray(), w => Assert.Equal(-20.0, w, 2)); // 20,000 x -1e-3
    }

    [Fact]
    public async Task A_training_and_its_forecasts_while_collections_run_are_those_without()
    {
        var dataset = LstmTestData.Create(skus: 3, days: 300);
        var options = LstmTestData.SmallOptions with { MaxEpochs = 2, StepsPerEpoch = 20 };

        var quiet = LstmTrainer.Train(dataset, options);
        LstmTrainingResult? pressed = null;
        await UnderCollections(() => pressed = LstmTrainer.Train(dataset, options));

        using var first = quiet.Model;
        using var second = pressed!.Model;
        Assert.Equal(quiet.History.Select(h => h.ValidationLoss), pressed.History.Select(h => h.ValidationLoss));
        Assert.Equal(Weights(first), Weights(second));

        // forecasts too: the same outputs while collections run as without
        var windows = Enumerable.Range(0, 3).Select(s => first.BuildWindow(dataset, s, 250)).ToArray();
        var expected = first.Predict(windows);
        var outputs = new List<float[][]>();
        await UnderCollections(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                outputs.Add(first.Predict(windows));
            }
        });
        Assert.All(outputs, output => Assert.Equal(expected, output));
    }

    private static float[] Weights(LstmModel model) =>
        [.. model.Network.parameters().SelectMany(p => p.data<float>().ToArray())];

    /// <summary>Runs <paramref name="work"/> while another thread collects garbage and runs finalizers without pause.</summary>
    private static async Task UnderCollections(Action work)
    {
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        try
        {
            await Task.Run(work);
        }
        finally
        {
            await stop.CancelAsync();
            await collector;
        }
    }
}
