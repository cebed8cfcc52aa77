using SeasonalGrains.Forecasting.Lstm;
using static SeasonalGrains.Simulation.Tests.CliReplayTests;

namespace SeasonalGrains.Simulation.Tests;

/// <summary><c>seasonal calibrate</c>: a new calibration of a saved model's weights, written to another folder.</summary>
[Collection(CliCollection.Name)]
public sealed class CalibrateCliTests(TinyLiveModel tiny) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("seasonal-calibrate-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Calibrate_writes_the_same_weights_with_the_new_calibration_and_refuses_other_data()
    {
        var spreadFolder = Path.Combine(_temp, "spread");
        var rawFolder = Path.Combine(_temp, "raw");

        var spread = await Run(["calibrate", "--model", tiny.Model, "--dataset", tiny.Data, "--out", spreadFolder, "--calibration-mode", "spread"]);
        var raw = await Run(["calibrate", "--model", tiny.Model, "--dataset", tiny.Data, "--out", rawFolder, "--calibrate", "false"]);

        Assert.True(spread.Code == 0, spread.Output + spread.Error);
        Assert.True(raw.Code == 0, raw.Output + raw.Error);
        Assert.Contains("spread calibration on", spread.Output, StringComparison.Ordinal);
        Assert.Contains("the same weights without a calibration", raw.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(tiny.Model, LstmModel.WeightsFile)), File.ReadAllBytes(Path.Combine(spreadFolder, LstmModel.WeightsFile)));
        using (var original = LstmModel.Load(tiny.Model))
        using (var calibrated = LstmModel.Load(spreadFolder))
        using (var uncalibrated = LstmModel.Load(rawFolder))
        {
            Assert.Equal(LstmCalibrationMode.Spread, calibrated.Metadata.Calibration!.Mode);
            Assert.Equal(original.Metadata.Calibration!.Windows, calibrated.Metadata.Calibration.Windows);
            Assert.Null(uncalibrated.Metadata.Calibration);
            Assert.False(uncalibrated.IsCalibrated);
        }

        // another dataset (other SKUs and days), the model folder as --out, a folder that is no model: exit 2, nothing written
        var other = Path.Combine(_temp, "other-data");
        Assert.Equal(0, (await Run(["generate", "--preset", "down-jackets", "--skus", "4", "--years", "1", "--seed", "9", "--out", other])).Code);
        var wrongData = await Run(["calibrate", "--model", tiny.Model, "--dataset", other, "--out", Path.Combine(_temp, "x")]);
        var inPlace = await Run(["calibrate", "--model", tiny.Model, "--dataset", tiny.Data, "--out", tiny.Model]);
        var noModel = await Run(["calibrate", "--model", tiny.Data, "--dataset", tiny.Data, "--out", Path.Combine(_temp, "y")]);
        Assert.Equal(2, wrongData.Code);
        Assert.Contains("is not the data the model was trained on", wrongData.Error, StringComparison.Ordinal);
        Assert.Equal(2, inPlace.Code);
        Assert.Equal(2, noModel.Code);
        Assert.Contains("seasonal train", noModel.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temp, "x")));
    }
}
