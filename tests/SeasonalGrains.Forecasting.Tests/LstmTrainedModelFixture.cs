using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>Small models trained once (SKU and level scaling) and shared by the tests of the Torch collection.</summary>
public sealed class LstmTrainedModelFixture : IDisposable
{
    private readonly Lazy<LstmModel> _levelModel;

    public LstmTrainedModelFixture()
    {
        Dataset = LstmTestData.Create();
        Result = LstmTrainer.Train(Dataset, LstmTestData.SmallOptions);
        _levelModel = new(() => LstmTrainer.Train(Dataset, LstmTestData.SmallOptions with { Scaling = UnitScaling.Level }).Model);
    }

    public Dataset Dataset { get; }

    public LstmTrainingResult Result { get; }

    public LstmModel Model => Result.Model;

    /// <summary>The same options with <see cref="UnitScaling.Level"/>, trained on first use.</summary>
    public LstmModel LevelModel => _levelModel.Value;

    public LstmModel ModelOf(UnitScaling scaling) => scaling == UnitScaling.Level ? LevelModel : Model;

    public void Dispose()
    {
        Result.Model.Dispose();
        if (_levelModel.IsValueCreated)
        {
            _levelModel.Value.Dispose();
        }
    }
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
