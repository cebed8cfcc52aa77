using System.Text.Json.Nodes;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Tests;

/// <summary>The calibration a trained model carries: fitted, saved, loaded, applied; older folders load uncalibrated.</summary>
[Collection(TorchCollection.Name)]
public sealed class LstmCalibrationModelTests(LstmTrainedModelFixture fixture) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("lstm-calibration-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Training_fits_a_calibration_per_horizon_day_and_level_for_both_heads()
    {
        var model = fixture.Model;
        var calibration = Assert.IsType<LstmCalibration>(model.Metadata.Calibration);

        Assert.True(model.IsCalibrated);
        Assert.Equal(LstmModelMetadata.CurrentFormatVersion, model.Metadata.FormatVersion);
        Assert.Equal(model.Horizon, calibration.Daily.Length);
        Assert.Equal(model.Horizon, calibration.Interval!.Length);
        Assert.All(calibration.Daily.Concat(calibration.Interval), row => Assert.Equal(model.Quantiles.Count, row.Length));
        Assert.Equal(model.Metadata.ValidationStartDay, calibration.FirstOriginDay);
        Assert.Equal(model.Metadata.TrainEndDay - model.Horizon, calibration.LastOriginDay);
        Assert.Contains("calibrated", model.CalibrationDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrated_forecasts_ascend_with_the_level_and_interval_sums_with_the_days()
    {
        var model = fixture.Model;
        var q = model.Quantiles.Count;
        var windows = Enumerable.Range(0, 4).SelectMany(s => new[] { 300, 350, 395 }.Select(o => model.BuildWindow(fixture.Dataset, s, o))).ToArray();

        foreach (var output in model.Predict(windows))
        {
            for (var h = 0; h < model.Horizon; h++)
            {
                var day = output.AsSpan(h * model.OutputsPerDay, model.OutputsPerDay);
                for (var k = 1; k < q; k++)
                {
                    Assert.True(day[k - 1] <= day[k], $"h {h}: daily quantiles cross");
                    Assert.True(day[q + k] <= day[q + 1 + k], $"h {h}: interval quantiles cross");
                }

                if (h > 0)
                {
                    var before = output.AsSpan(((h - 1) * model.OutputsPerDay) + q + 1, q);
                    for (var k = 0; k < q; k++)
                    {
                        Assert.True(before[k] <= day[q + 1 + k], $"h {h}: the sum fell at level {k}");
                    }
                }
            }
        }
    }

    [Fact]
    public void The_calibration_round_trips_through_model_json()
    {
        var windows = Enumerable.Range(0, 4).Select(s => fixture.Model.BuildWindow(fixture.Dataset, s, 395)).ToArray();
        fixture.Model.Save(_temp);

        using var loaded = LstmModel.Load(_temp);

        var saved = fixture.Model.Metadata.Calibration!;
        var read = loaded.Metadata.Calibration!;
        Assert.Equal(saved.Daily, read.Daily);
        Assert.Equal(saved.Interval, read.Interval);
        Assert.Equal(saved.Windows, read.Windows);
        Assert.True(loaded.IsCalibrated);
        Assert.Equal(fixture.Model.Predict(windows), loaded.Predict(windows));
    }

    [Fact]
    public void A_version_3_folder_loads_uncalibrated_and_says_so()
    {
        var windows = Enumerable.Range(0, 4).Select(s => fixture.Model.BuildWindow(fixture.Dataset, s, 395)).ToArray();
        fixture.Model.Save(_temp);
        var path = Path.Combine(_temp, LstmModel.MetadataFile);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["formatVersion"] = 3;
        var calibration = json["calibration"];
        json.Remove("calibration");
        File.WriteAllText(path, json.ToJsonString());

        using var old = LstmModel.Load(_temp);

        Assert.False(old.IsCalibrated);
        Assert.Null(old.Metadata.Calibration);
        Assert.Contains("not calibrated", old.CalibrationDescription, StringComparison.Ordinal);
        Assert.Contains("version 3", old.CalibrationDescription, StringComparison.Ordinal);

        // the same weights without calibration give other forecasts (the raw quantiles)
        Assert.NotEqual(fixture.Model.Predict(windows)[0], old.Predict(windows)[0]);

        // and a version 3 file that claims a calibration is refused
        json["calibration"] = calibration!.DeepClone();
        File.WriteAllText(path, json.ToJsonString());
        var error = Assert.Throws<InvalidDataException>(() => LstmModel.Load(_temp));
        Assert.Contains("version 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recalibrating_the_weights_on_their_training_data_gives_the_training_calibration_and_other_data_is_refused()
    {
        var trained = fixture.Model.Metadata.Calibration!;

        var again = LstmTrainer.Recalibrate(fixture.Dataset, fixture.Model, LstmCalibrationMode.Conformal, calibrationDays: null);
        Assert.Equal(trained.Windows, again.Windows);
        Assert.Equal(trained.FirstOriginDay, again.FirstOriginDay);
        Assert.Equal(trained.Daily, again.Daily);
        Assert.Equal(trained.Interval, again.Interval);

        // spread: the same windows, other levels, the mode saved and read back
        var spread = LstmTrainer.Recalibrate(fixture.Dataset, fixture.Model, LstmCalibrationMode.Spread, calibrationDays: null);
        Assert.Equal(LstmCalibrationMode.Spread, spread.Mode);
        Assert.Equal(trained.Windows, spread.Windows);
        Assert.NotEqual(trained.Daily, spread.Daily);
        fixture.Model.SaveRecalibrated(_temp, spread);
        using (var loaded = LstmModel.Load(_temp))
        {
            Assert.Equal(LstmCalibrationMode.Spread, loaded.Metadata.Calibration!.Mode);
            Assert.Equal(spread.Daily, loaded.Metadata.Calibration.Daily);
        }

        // a conformal calibration writes no mode: model.json reads as it did before modes existed
        fixture.Model.Save(_temp);
        Assert.DoesNotContain("\"mode\"", File.ReadAllText(Path.Combine(_temp, LstmModel.MetadataFile)), StringComparison.Ordinal);

        var other = LstmTestData.Create(skus: 3, days: 300);
        var error = Assert.Throws<ArgumentException>(() => LstmTrainer.Recalibrate(other, fixture.Model, LstmCalibrationMode.Conformal, null));
        Assert.Contains("not the data the model was trained on", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrating_sets_its_own_libtorch_threads_and_leaves_the_process_as_it_found_it()
    {
        var before = TorchRuntime.Threads;
        try
        {
            TorchRuntime.SetThreads(1);
            Assert.Equal(2, fixture.Model.Metadata.Hyperparameters.Threads);

            LstmTrainer.Recalibrate(fixture.Dataset, fixture.Model, LstmCalibrationMode.Conformal, calibrationDays: null);

            Assert.Equal(1, TorchRuntime.Threads);
        }
        finally
        {
            TorchRuntime.SetThreads(before);
        }
    }
}
