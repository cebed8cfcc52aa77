using SeasonalGrains.Data;
using SeasonalGrains.Forecasting.Lstm;
using Xunit;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>One small model trained once and shared by the tests of the Torch collection.</summary>
public sealed class LstmTrainedModelFixture : IDisposable
{
    public LstmTrainedModelFixture()
    {
        Dataset = LstmTestData.Create();
        Result = LstmTrainer.Train(Dataset, LstmTestData.SmallOptions);
    }

    public Dataset Dataset { get; }

    public LstmTrainingResult Result { get; }

    public LstmModel Model => Result.Model;

    public void Dispose() => Result.Model.Dispose();
}

/// <summary>
/// Tests that use libtorch run one at a time: its random seed and thread count are process-wide, so
/// trainings in parallel would not be reproducible.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchCollection : ICollectionFixture<LstmTrainedModelFixture>
{
    public const string Name = "Torch";
}
