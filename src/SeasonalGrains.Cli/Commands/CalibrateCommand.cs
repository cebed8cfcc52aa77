using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// <c>seasonal calibrate --model DIR --dataset DIR --out DIR</c>: fits a new calibration of a trained model's weights
/// (<see cref="LstmTrainer.Recalibrate"/>) on the dataset it was trained on and writes a copy of the model folder with
/// it; <c>--calibrate false</c> writes the copy without any calibration (the raw model).
/// </summary>
public sealed class CalibrateCommand : CliCommand
{
    private readonly Option<DirectoryInfo> _model = CliOptions.Required<DirectoryInfo>("--model", "-m", "The trained model folder to calibrate (it is not changed).");

    private readonly Option<DirectoryInfo> _dataset = CliOptions.Dataset("The dataset folder the model was trained on.");

    private readonly Option<DirectoryInfo> _out = CliOptions.Required<DirectoryInfo>(
        "--out", "-o", "The model folder to write: the same weights with the new calibration.");

    private readonly Option<bool> _force = OutputOptions.Force();

    private readonly Option<bool> _calibrate = CliOptions.Defaulted(
        "--calibrate", "Fit a calibration (true) or write the model without one (false).", true);

    private readonly Option<int?> _calibrationDays = CliOptions.Optional<int?>(
        "--calibration-days", "Days of origins the calibration is fitted on, ending with the validation range (default: the validation range).");

    private readonly Option<string> _mode = TrainCommand.TrainingSymbols.CalibrationModeOption(LstmOptions.TrainDefaults.CalibrationMode);

    public override IReadOnlyList<string> Path => ["calibrate"];

    public override string Description => "Fit a new calibration of a trained model's weights on the dataset it was trained on and write the model folder with it.";

    public override IEnumerable<Symbol> Symbols => [_model, _dataset, _out, _force, _calibrate, _calibrationDays, _mode];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var source = parse.GetRequiredValue(_model).FullName;
        var force = parse.GetValue(_force);
        var outFolder = OutputFolder.Check(parse.GetRequiredValue(_out).FullName, force);
        if (string.Equals(System.IO.Path.GetFullPath(outFolder).TrimEnd('/'), System.IO.Path.GetFullPath(source).TrimEnd('/'), StringComparison.Ordinal))
        {
            throw new UserInputException("--out must be another folder than --model: the model folder is not changed.");
        }

        var days = parse.GetValue(_calibrationDays);
        var mode = LstmCalibrationModes.Parse(parse.GetRequiredValue(_mode));
        using var model = Load(source);
        LstmCalibration? calibration = null;
        if (parse.GetValue(_calibrate))
        {
            var dataset = await TrainCommand.LoadCleanAsync(parse.GetRequiredValue(_dataset).FullName, cancellationToken);
            context.Console.MarkupLine(Markup.Escape($"Calibrating {source} ({LstmCalibrationModes.Name(mode)}) on {dataset.Info.Name}..."));
            try
            {
                calibration = await Task.Run(() => LstmTrainer.Recalibrate(dataset, model, mode, days, cancellationToken), cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw new UserInputException(e.Message);
            }
        }

        OutputFolder.Write(outFolder, force, folder =>
        {
            model.SaveRecalibrated(folder, calibration);
            var history = System.IO.Path.Combine(source, TrainCommand.HistoryFile);
            if (File.Exists(history))
            {
                File.Copy(history, System.IO.Path.Combine(folder, TrainCommand.HistoryFile));
            }
        });
        context.Console.MarkupLine(Markup.Escape(calibration is { } c
            ? string.Create(CultureInfo.InvariantCulture,
                $"Wrote {outFolder}: {LstmCalibrationModes.Name(c.Mode)} calibration on {c.Windows:N0} windows from {model.Metadata.DatasetStart.AddDays(c.FirstOriginDay):yyyy-MM-dd} to {model.Metadata.DatasetStart.AddDays(c.LastOriginDay):yyyy-MM-dd}; day 1 levels {string.Join(" ", c.Daily[0].Select(l => l.ToString("0.###", CultureInfo.InvariantCulture)))}.")
            : $"Wrote {outFolder}: the same weights without a calibration."));
        return SeasonalCli.Ok;
    }

    private static LstmModel Load(string folder)
    {
        try
        {
            return LstmModel.Load(folder);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
        {
            throw new UserInputException($"--model: {e.Message} Make one with `seasonal train --dataset DIR --out DIR`.");
        }
    }
}
