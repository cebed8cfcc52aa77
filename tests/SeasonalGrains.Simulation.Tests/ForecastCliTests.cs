using System.Globalization;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;
using static SeasonalGrains.Simulation.Tests.CliReplayTests;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>
/// <c>seasonal train</c>, <c>backtest</c> and <c>bench forecast</c> run in this process on a tiny generated
/// dataset (4 SKUs, one year from 2021-01-01) with tiny models (1 x 8 LSTM, 2 epochs).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ForecastCliTests : IDisposable
{
    private static readonly string[] TinyModel = ["--epochs", "2", "--hidden", "8", "--layers", "1", "--seed", "3"];
    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-forecast-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Train_writes_a_model_folder_that_loads_and_forecasts_every_sku()
    {
        var data = await Generate();
        var modelFolder = Path.Combine(_root, "models", "tiny");

        var (code, output, error) = await Run(["train", "--dataset", data, "--out", modelFolder, .. TinyModel]);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.Contains("Epoch 1/2", output);
        Assert.Contains("pinball loss", output);
        Assert.Contains("MAE of the median", output);
        Assert.True(File.Exists(Path.Combine(modelFolder, LstmModel.WeightsFile)));
        var history = File.ReadAllLines(Path.Combine(modelFolder, "training.csv"));
        Assert.Equal("epoch,train_loss,validation_loss,improved,elapsed_seconds", history[0]);
        Assert.InRange(history.Length, 2, 3); // header + 1 or 2 epochs (the time budget never cuts in here)

        using var model = LstmModel.Load(modelFolder);
        var dataset = DatasetReader.Read(data);
        Assert.Equal(365, model.Metadata.TrainEndDay);
        Assert.Equal(new DateOnly(2021, 1, 1), model.Metadata.DatasetStart);
        Assert.Equal(LstmOptions.TrainLevels, model.Quantiles);
        Assert.True(model.IsCalibrated);
        Assert.Contains("calibration", output);
        var forecasts = new LstmForecaster(model).Forecast(new ForecastRequest(dataset, 300, 28, [0.1, 0.5, 0.9]));
        Assert.Equal(4, forecasts.Count);
        Assert.All(forecasts, f =>
        {
            Assert.Equal(28, f.Mean.Length);
            Assert.All(f.Quantiles, q => Assert.True(q[0] >= 0 && q[0] <= q[1] && q[1] <= q[2]));
        });
    }

    [Fact]
    public async Task Train_with_level_scaling_saves_it_in_the_model()
    {
        var data = await Generate();
        var modelFolder = Path.Combine(_root, "models", "level");

        var (code, output, error) = await Run(["train", "--dataset", data, "--out", modelFolder, "--scaling", "level", .. TinyModel]);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.Contains("scaling level", output);
        using var model = LstmModel.Load(modelFolder);
        Assert.Equal(UnitScaling.Level, model.Schema.Scaling);
        Assert.Equal(UnitScaling.Level, model.Metadata.Hyperparameters.Scaling);
        Assert.Contains("\"scaling\": \"level\"", File.ReadAllText(Path.Combine(modelFolder, LstmModel.MetadataFile)));
    }

    [Fact]
    public async Task Train_reports_a_missing_dataset_and_bad_options_with_exit_code_2()
    {
        var data = await Generate();
        var models = Path.Combine(_root, "models");

        var missing = await Run(["train", "--dataset", Path.Combine(_root, "nowhere"), "--out", models]);
        var epochs = await Run(["train", "--dataset", data, "--out", models, "--epochs", "0"]);
        var budget = await Run(["train", "--dataset", data, "--out", models, "--time-budget", "soon"]);
        var trainEnd = await Run(["train", "--dataset", data, "--out", models, "--train-end", "2030-01-01"]);
        var tooShort = await Run(["train", "--dataset", data, "--out", models, "--train-end", "2021-02-01"]);
        var scaling = await Run(["train", "--dataset", data, "--out", models, "--scaling", "log"]);

        Assert.Equal(2, missing.Code);
        Assert.Contains("nowhere", missing.Error);
        Assert.Equal(2, epochs.Code);
        Assert.Contains("--epochs must be at least 1", epochs.Error);
        Assert.Equal(2, budget.Code);
        Assert.Contains("--time-budget", budget.Error);
        Assert.Equal(2, trainEnd.Code);
        Assert.Contains("2021-01-02..2022-01-01", trainEnd.Error);
        Assert.Equal(2, tooShort.Code);
        Assert.Contains("Too little data to train", tooShort.Error);
        Assert.Equal(2, scaling.Code);
        Assert.Contains("'log'", scaling.Error);
        Assert.Contains("'level'", scaling.Error);
        Assert.All(new[] { missing, epochs, budget, trainEnd, tooShort, scaling }, r => Assert.DoesNotContain("   at ", r.Error));
        Assert.False(Directory.Exists(models));
    }

    [Fact]
    public async Task Backtest_prints_a_row_per_forecaster_and_the_oracle_and_writes_the_details_summary_and_plots()
    {
        var data = await Generate();
        var outDir = Path.Combine(_root, "backtest");

        var (code, output, error) = await Run(
            ["backtest", "--dataset", data, "--forecasters", "seasonal-naive,ets", "--origins", "2", "--horizon", "14", "--out", outDir, "--plot-skus", "1"]);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.Contains("2 origins 14 days apart from 2021-12-04", output); // 365 - 14 - 14 = day 337
        foreach (var name in new[] { "seasonal-naive", "ets", "oracle" })
        {
            Assert.Contains("│ " + name, output);
        }

        Assert.Contains("exact negative binomial quantiles", output);
        var details = File.ReadAllLines(Path.Combine(outDir, "backtest.csv"));
        Assert.Equal("forecaster,sku,origin_date,h,date,actual,mean,q0.05,q0.1,q0.25,q0.5,q0.75,q0.9,q0.95", details[0]);
        Assert.Equal(1 + (3 * 4 * 2 * 14), details.Length);
        var summary = File.ReadAllLines(Path.Combine(outDir, "summary.csv"));
        Assert.Equal("forecaster,points,mae,rmse,mase,wmape,bias,relative_bias,mean_pinball,coverage80,seconds", summary[0]);
        Assert.Equal(["seasonal-naive", "ets", "oracle"], summary.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(summary.Skip(1), l => Assert.Equal("112", l.Split(',')[1]));
        Assert.Equal(2 + 1, Directory.GetFiles(Path.Combine(outDir, "plots"), "*.png").Length); // bands and the daily reliability diagram
        Assert.True(File.Exists(Path.Combine(outDir, "plots", "reliability.png")));
        var reliability = File.ReadAllLines(Path.Combine(outDir, "reliability.csv"));
        Assert.Equal("forecaster,kind,horizon,level,nominal,observed,observed_below,count", reliability[0]);
        Assert.Contains("oracle,daily,all,q0.995,0.995,", string.Join('\n', reliability));

        // the oracle's quantiles are whole numbers, so actuals tie with them: the console shows the share strictly below too
        var median = reliability.Single(l => l.StartsWith("oracle,daily,all,q0.5,", StringComparison.Ordinal)).Split(',');
        var (atOrBelow, below) = (double.Parse(median[5], CultureInfo.InvariantCulture), double.Parse(median[6], CultureInfo.InvariantCulture));
        Assert.True(below < atOrBelow, string.Join(',', median));
        var lines = output.Split('\n');
        var oracleRow = Array.FindLastIndex(lines, l => l.StartsWith("│ oracle ", StringComparison.Ordinal));
        Assert.StartsWith("│   strictly below", lines[oracleRow + 1]);
        Assert.Contains((below * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %", lines[oracleRow + 1]);
        Assert.False(File.Exists(Path.Combine(outDir, "importance.csv")), "importance explains an lstm: none here");
    }

    [Fact]
    public async Task Backtest_refuses_a_model_trained_past_the_first_origin_and_accepts_one_trained_before_it()
    {
        var data = await Generate();
        var late = Path.Combine(_root, "late");
        var early = Path.Combine(_root, "early");
        Assert.Equal(0, (await Run(["train", "--dataset", data, "--out", late, .. TinyModel])).Code);
        Assert.Equal(0, (await Run(["train", "--dataset", data, "--out", early, "--train-end", "2021-12-04", .. TinyModel])).Code);
        string[] backtest = ["backtest", "--dataset", data, "--forecasters", "seasonal-naive,lstm", "--origins", "2", "--horizon", "14", "--plot-skus", "0"];

        var refused = await Run([.. backtest, "--model", late, "--out", Path.Combine(_root, "refused")]);
        var accepted = await Run([.. backtest, "--model", early, "--out", Path.Combine(_root, "accepted")]);

        Assert.Equal(2, refused.Code);
        Assert.Contains("trained on data up to 2021-12-31", refused.Error);
        Assert.Contains("not before the first origin 2021-12-04", refused.Error);
        Assert.False(Directory.Exists(Path.Combine(_root, "refused")));
        Assert.True(accepted.Code == 0, $"exit {accepted.Code}\n{accepted.Output}\n{accepted.Error}");
        Assert.Contains("│ lstm", accepted.Output);
        Assert.Contains("MASE / seasonal-naive MASE", accepted.Output);
        var lstmRows = File.ReadLines(Path.Combine(_root, "accepted", "backtest.csv")).Count(l => l.StartsWith("lstm,", StringComparison.Ordinal));
        Assert.Equal(4 * 2 * 14, lstmRows);

        // the lstm's feature groups: 5 groups x (all SKUs "*" + 4 SKUs) rows, drawn and printed
        var importance = File.ReadAllLines(Path.Combine(_root, "accepted", "importance.csv"));
        Assert.Equal("forecaster,sku,group,importance", importance[0]);
        Assert.Equal(1 + (5 * (1 + 4)), importance.Length);
        Assert.Equal(5, importance.Count(l => l.StartsWith("lstm,*,", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(_root, "accepted", "plots", "importance.png")));
        Assert.Contains("permutation importance", accepted.Output);
    }

    [Fact]
    public async Task Bench_forecast_prints_the_configuration_and_a_row_per_batch_size()
    {
        // the default precision (auto) is bfloat16 on a processor that multiplies it natively: float32 is asked for
        var (code, output, error) = await Run(["bench", "forecast", "--batch-sizes", "1,8", "--seconds", "0.1", "--threads", "1", "--precision", "float32"]);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.Contains("untrained", output);
        Assert.Contains("precision float32", output);
        Assert.Contains("batcher workers 1", output);
        Assert.Contains("libtorch threads 1", output);
        var rows = output.Split('\n').Where(l => l.StartsWith("│ ", StringComparison.Ordinal)).Select(l => l.Split('│', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(["1", "8"], rows.Skip(1).Select(r => r[1]));
        Assert.All(rows.Skip(1), r => Assert.True(double.Parse(r[2], NumberStyles.Number, CultureInfo.InvariantCulture) > 0));

        var bad = await Run(["bench", "forecast", "--batch-sizes", "0"]);
        Assert.Equal(2, bad.Code);
        Assert.Contains("--batch-sizes", bad.Error);
    }

    private async Task<string> Generate()
    {
        var data = Path.Combine(_root, "data");
        var (code, _, error) = await Run(["generate", "--preset", "down-jackets", "--skus", "4", "--years", "1", "--seed", "3", "--out", data]);
        Assert.True(code == 0, error);
        return data;
    }
}
