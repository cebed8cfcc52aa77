using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;
using TorchSharp;

namespace SeasonalGrains.Forecasting.Tests;

[Collection(TorchCollection.Name)]
public sealed class LstmModelTests(LstmTrainedModelFixture fixture) : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("lstm-model-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Forecasts_have_one_mean_and_one_value_per_level_for_each_requested_day()
    {
        var forecaster = new LstmForecaster(fixture.Model);
        double[] levels = [0.05, 0.1, 0.5, 0.8, 0.95];

        var forecasts = forecaster.Forecast(new ForecastRequest(fixture.Dataset, 400, 5, levels, [3, 1]));

        Assert.Equal("lstm", forecaster.Name);
        Assert.Equal([3, 1], forecasts.Select(f => f.SkuIndex));
        Assert.All(forecasts, f =>
        {
            Assert.Equal(400, f.Origin);
            Assert.Equal(5, f.Mean.Length);
            Assert.Equal(5, f.Quantiles.Length);
            Assert.All(f.Quantiles, q => Assert.Equal(levels.Length, q.Length));
            Assert.Equal(levels, f.Levels);
        });

        var window = fixture.Model.BuildWindow(fixture.Dataset, 0, 400);
        Assert.Equal(14 * fixture.Model.Schema.PastFeatureCount, window.Past.Length);
        Assert.Equal(7 * (5 + 1 + 5), Assert.Single(fixture.Model.Predict([window])).Length); // quantiles, mean, interval quantiles
    }

    [Fact]
    public void Quantiles_ascend_with_the_level_and_nothing_is_negative()
    {
        var forecaster = new LstmForecaster(fixture.Model);
        double[] levels = [0.02, 0.1, 0.25, 0.4, 0.5, 0.75, 0.9, 0.99];
        foreach (var origin in new[] { 1, 15, 200, 380, fixture.Dataset.Days - 7 })
        {
            foreach (var forecast in forecaster.Forecast(new ForecastRequest(fixture.Dataset, origin, 7, levels)))
            {
                Assert.All(forecast.Mean, m => Assert.True(m >= 0));
                foreach (var day in forecast.Quantiles)
                {
                    Assert.True(day[0] >= 0);
                    for (var k = 1; k < day.Length; k++)
                    {
                        Assert.True(day[k] >= day[k - 1], $"origin {origin}: level {levels[k]} gives {day[k]} below {day[k - 1]}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Forecasts_ignore_units_and_weather_at_and_after_the_origin()
    {
        var forecaster = new LstmForecaster(fixture.Model);
        double[] levels = [0.1, 0.5, 0.9];
        const int Origin = 390;
        var before = forecaster.Forecast(new ForecastRequest(fixture.Dataset, Origin, 7, levels));

        var changed = LstmTestData.Copy(fixture.Dataset);
        for (var d = Origin; d < changed.Days; d++)
        {
            foreach (var series in changed.Series)
            {
                series.Units[d] = d % 2 == 0 ? 0 : 500;
            }

            foreach (var weather in changed.Weather!.Values)
            {
                weather.TempC[d] = 45;
                weather.PrecipMm[d] = 100;
            }
        }

        var after = forecaster.Forecast(new ForecastRequest(changed, Origin, 7, levels));
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].Mean, after[i].Mean);
            Assert.Equal(before[i].Quantiles, after[i].Quantiles);
        }

        // The day before the origin is history: changing it changes the forecast.
        changed.Series[0].Units[Origin - 1] += 50;
        var moved = forecaster.Forecast(new ForecastRequest(changed, Origin, 7, levels, [0]));
        Assert.NotEqual(before[0].Mean, moved[0].Mean);
    }

    [Fact]
    public void A_saved_and_loaded_model_gives_identical_outputs_and_metadata()
    {
        var windows = Enumerable.Range(0, 4).Select(s => fixture.Model.BuildWindow(fixture.Dataset, s, 395)).ToArray();
        var expected = fixture.Model.Predict(windows);

        fixture.Model.Save(_temp);
        using var loaded = LstmModel.Load(_temp);

        Assert.True(File.Exists(Path.Combine(_temp, LstmModel.WeightsFile)));
        Assert.Equal(expected, loaded.Predict(windows));
        Assert.Equal(fixture.Model.Metadata.TrainingDataSha256, loaded.Metadata.TrainingDataSha256);
        Assert.Equal(fixture.Model.Quantiles, loaded.Quantiles);
        Assert.Equal(fixture.Model.Schema.ToJson(), loaded.Schema.ToJson());
        Assert.Equal(fixture.Model.Metadata.Architecture, loaded.Metadata.Architecture);
        Assert.Equal(fixture.Model.Metadata.Validation.PinballLoss, loaded.Metadata.Validation.PinballLoss);
    }

    [Fact]
    public void A_model_json_without_scaling_loads_as_sku_scaled_with_the_same_outputs()
    {
        var windows = Enumerable.Range(0, 4).Select(s => fixture.Model.BuildWindow(fixture.Dataset, s, 395)).ToArray();
        var expected = fixture.Model.Predict(windows);
        fixture.Model.Save(_temp);
        var path = Path.Combine(_temp, LstmModel.MetadataFile);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal("sku", (string?)json["hyperparameters"]!["scaling"]);
        json["hyperparameters"]!.AsObject().Remove("scaling");
        foreach (var key in new[] { "scaling", "levelWindow", "levelFloor" })
        {
            json["schema"]!.AsObject().Remove(key);
        }

        File.WriteAllText(path, json.ToJsonString());
        using var loaded = LstmModel.Load(_temp);

        Assert.Equal(UnitScaling.Sku, loaded.Schema.Scaling);
        Assert.Equal(UnitScaling.Sku, loaded.Metadata.Hyperparameters.Scaling);
        Assert.Equal(expected, loaded.Predict(windows));
    }

    [Fact]
    public void A_level_scaled_model_saves_its_scaling_and_forecasts_in_units_of_the_level()
    {
        var model = fixture.LevelModel;
        model.Save(_temp);
        using var loaded = LstmModel.Load(_temp);
        Assert.Equal(UnitScaling.Level, loaded.Schema.Scaling);
        Assert.Equal(UnitScaling.Level, loaded.Metadata.Hyperparameters.Scaling);
        Assert.True(loaded.IsCalibrated);

        var windows = Enumerable.Range(0, 4).Select(s => model.BuildWindow(fixture.Dataset, s, 395)).ToArray();
        Assert.Equal(model.Predict(windows), loaded.Predict(windows));

        // each window's scale is its SKU's mean units over days 367..394, the 28 days before the origin
        for (var s = 0; s < windows.Length; s++)
        {
            var units = fixture.Dataset.Series[s].Units;
            var unitScale = model.Schema.Skus[fixture.Dataset.Skus[s].Sku].UnitScale;
            var level = Math.Max(units[367..395].Average(), Math.Max(0.5 * unitScale, 1));
            Assert.Equal((float)level, windows[s].Scale, 4);
        }

        var q = model.Quantiles.Count;
        foreach (var output in loaded.Predict(windows))
        {
            for (var h = 0; h < model.Horizon; h++)
            {
                var row = output.AsSpan(h * model.OutputsPerDay, q);
                Assert.True(row[0] >= 0);
                for (var k = 1; k < q; k++)
                {
                    Assert.True(row[k] >= row[k - 1], $"day {h}: level {k} below level {k - 1}");
                }
            }
        }
    }

    [Fact]
    public void Loading_a_folder_without_model_files_names_what_is_missing()
    {
        var error = Assert.Throws<FileNotFoundException>(() => LstmModel.Load(_temp));
        Assert.Contains("model.json", error.Message);
    }

    [Fact]
    public void Training_twice_with_the_same_seed_gives_identical_weights_and_losses()
    {
        var dataset = LstmTestData.Create(skus: 3, days: 300);
        var options = LstmTestData.SmallOptions with { MaxEpochs = 2, StepsPerEpoch = 6 };

        var first = LstmTrainer.Train(dataset, options);
        var second = LstmTrainer.Train(dataset, options);
        var otherSeed = LstmTrainer.Train(dataset, options with { Seed = options.Seed + 1 });
        try
        {
            Assert.Equal(first.History.Select(h => (h.TrainLoss, h.ValidationLoss)), second.History.Select(h => (h.TrainLoss, h.ValidationLoss)));
            Assert.Equal(Weights(first.Model), Weights(second.Model));
            Assert.NotEqual(Weights(first.Model), Weights(otherSeed.Model));
        }
        finally
        {
            first.Model.Dispose();
            second.Model.Dispose();
            otherSeed.Model.Dispose();
        }
    }

    [Fact]
    public void Validation_loss_falls_while_training_and_the_best_epoch_is_kept()
    {
        var history = fixture.Result.History;
        var metadata = fixture.Model.Metadata;

        Assert.True(history.Min(h => h.ValidationLoss) < history[0].ValidationLoss);
        var best = history.MinBy(h => h.ValidationLoss)!;
        Assert.Equal(best.Epoch, metadata.Training.BestEpoch);
        Assert.Equal(best.ValidationLoss, metadata.Validation.PinballLoss);
        Assert.Equal(5, metadata.Validation.Coverage.Count);
        // Coverage ascends with the level, as the quantiles do.
        Assert.Equal(metadata.Validation.Coverage.Order(), metadata.Validation.Coverage);
    }

    [Fact]
    public void The_model_records_its_training_range_and_the_hash_of_its_training_data()
    {
        var metadata = fixture.Model.Metadata;
        Assert.Equal(fixture.Dataset.Days, metadata.TrainEndDay);
        // 15% of 420 days (63) are held out for validation.
        Assert.Equal(420 - 63, metadata.ValidationStartDay);
        Assert.Equal(metadata.ValidationStartDay, fixture.Model.Schema.FitEndDay);
        Assert.Equal(LstmTrainer.TrainingDataHash(fixture.Dataset, 420), metadata.TrainingDataSha256);
        Assert.Matches("^[0-9a-f]{64}$", metadata.TrainingDataSha256);

        var changed = LstmTestData.Copy(fixture.Dataset);
        changed.Series[2].Units[100] += 1;
        Assert.NotEqual(metadata.TrainingDataSha256, LstmTrainer.TrainingDataHash(changed, 420));
        Assert.Equal(LstmTrainer.TrainingDataHash(fixture.Dataset, 100), LstmTrainer.TrainingDataHash(changed, 100));
    }

    [Fact]
    public void A_request_longer_than_the_model_horizon_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(
            () => new LstmForecaster(fixture.Model).Forecast(new ForecastRequest(fixture.Dataset, 300, 8, [0.5])));
        Assert.Contains("7 days", error.Message);
    }

    [Fact]
    public void Too_short_a_dataset_is_rejected_with_the_days_needed()
    {
        var error = Assert.Throws<ArgumentException>(
            () => LstmTrainer.Train(LstmTestData.Create(skus: 1, days: 20), LstmTestData.SmallOptions));
        // 7 days of minimum history + a 7-day horizon + 7 validation days (15% of 20 is 3, below a horizon).
        Assert.Contains("at least 21 days", error.Message);
    }

    private static float[][] Weights(LstmModel model)
    {
        using var scope = torch.NewDisposeScope();
        return [.. model.Network.parameters().Select(p => p.data<float>().ToArray())];
    }
}
