using System.Text;
using SeasonalGrains.Data.Cleaning;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Simulation.Replay;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// <c>seasonal train --dataset DIR --out models/NAME</c>: cleans the dataset, trains the global quantile LSTM on
/// the days before <c>--train-end</c> (default: all), shows each epoch's losses and the time left, saves the
/// model folder (weights.bin, model.json, training.csv) and prints the kept epoch's validation figures.
/// </summary>
public sealed class TrainCommand : CliCommand
{
    /// <summary>Name of the per-epoch history written beside the model files.</summary>
    public const string HistoryFile = "training.csv";

    /// <summary>The trainer's defaults, predicting the levels a backtest scores (5% to 95%).</summary>
    private static readonly LstmOptions Defaults = LstmOptions.TrainDefaults;

    private readonly Option<DirectoryInfo> _dataset = CliOptions.Dataset();

    private readonly Option<DirectoryInfo> _out = CliOptions.Required<DirectoryInfo>(
        "--out", "-o", "The model folder to write (weights.bin, model.json, training.csv).");

    private readonly Option<bool> _force = OutputOptions.Force();

    private readonly Option<string?> _trainEnd = CliOptions.Optional<string?>(
        "--train-end", "Train on the days before this date (yyyy-MM-dd); default: every day of the dataset.");

    private readonly TrainingSymbols _training = new();

    public override IReadOnlyList<string> Path => ["train"];

    public override string Description => "Train the global quantile LSTM on a dataset folder and save the model folder.";

    public override IEnumerable<Symbol> Symbols => [_dataset, _out, _force, _trainEnd, .. _training.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var folder = parse.GetRequiredValue(_dataset).FullName;
        var force = parse.GetValue(_force);
        var outFolder = OutputFolder.Check(parse.GetRequiredValue(_out).FullName, force);
        var options = _training.Resolve(parse);
        var dataset = await LoadCleanAsync(folder, cancellationToken);
        var trainEnd = dataset.Days;
        if (parse.GetValue(_trainEnd) is { } text)
        {
            var date = ParseDate(text, "--train-end");
            trainEnd = date.DayNumber - dataset.Start.DayNumber;
            if (trainEnd < 1 || trainEnd > dataset.Days)
            {
                throw new UserInputException(
                    $"--train-end {text} must be within {dataset.Start.AddDays(1):yyyy-MM-dd}..{dataset.End.AddDays(1):yyyy-MM-dd} (the dataset covers {dataset.Start:yyyy-MM-dd}..{dataset.End:yyyy-MM-dd}).");
            }
        }

        options = options with { TrainEndDay = trainEnd };
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Training on {dataset.Skus.Count:N0} SKUs, {dataset.Start:yyyy-MM-dd}..{dataset.DateOf(trainEnd - 1):yyyy-MM-dd} ({trainEnd:N0} days): " +
            $"LSTM {options.Layers} x {options.HiddenSize}, dropout {options.Dropout:0.##}, window {options.Window}, horizon {options.Horizon}, " +
            $"at most {options.MaxEpochs} epochs{(options.TimeBudget is { } b ? $" within {b:hh\\:mm\\:ss}" : "")}, seed {options.Seed}, scaling {UnitScalings.Name(options.Scaling)}, seasonal alignment {JsonEnumNames<SeasonalAlignment>.Name(options.SeasonalAlignment)}.")));
        var result = await TrainAsync(context, dataset, options, cancellationToken);
        using var model = result.Model;
        cancellationToken.ThrowIfCancellationRequested();
        OutputFolder.Write(outFolder, force, folder =>
        {
            model.Save(folder);
            WriteHistory(result.History, System.IO.Path.Combine(folder, HistoryFile));
        });
        PrintSummary(context, model.Metadata);
        context.Console.MarkupLine(Markup.Escape($"Wrote {outFolder} ({LstmModel.WeightsFile}, {LstmModel.MetadataFile}, {HistoryFile})."));
        return SeasonalCli.Ok;
    }

    /// <summary>Reads, validates and cleans (interpolates missing units) a dataset folder.</summary>
    internal static async Task<Dataset> LoadCleanAsync(string folder, CancellationToken cancellationToken)
    {
        var dataset = await Task.Run(() => DatasetLoadException.Read(folder), cancellationToken);
        return DatasetCleaner.Clean(dataset).Cleaned;
    }

    internal static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UserInputException($"{option}: '{text}' is not a date (expected yyyy-MM-dd).");

    /// <summary>
    /// Trains with a live display: on a terminal a bar over the epochs whose label shows the epoch, train and
    /// validation loss and the time left; otherwise one line per epoch. Bad options or too little data are
    /// reported as <see cref="UserInputException"/>.
    /// </summary>
    internal static async Task<LstmTrainingResult> TrainAsync(
        CliContext context, Dataset dataset, LstmOptions options, CancellationToken cancellationToken)
    {
        if (!context.Interactive)
        {
            return await Task.Run(
                () => Train(dataset, options, p =>
                {
                    context.Output.WriteLine(EpochLine(p));
                    context.Output.Flush();
                }, cancellationToken),
                cancellationToken);
        }

        return await context.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape($"Training: epoch 1/{options.MaxEpochs} running..."), maxValue: options.MaxEpochs);
                var result = await Task.Run(
                    () => Train(dataset, options, p =>
                    {
                        task.Description = Markup.Escape(EpochLine(p));
                        task.Value = p.Epoch;
                    }, cancellationToken),
                    cancellationToken);
                task.Value = task.MaxValue;
                return result;
            });
    }

    private static LstmTrainingResult Train(Dataset dataset, LstmOptions options, Action<LstmEpochProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            return LstmTrainer.Train(dataset, options, progress, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message);
        }
    }

    private static string EpochLine(LstmEpochProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"Epoch {p.Epoch}/{p.MaxEpochs}: train loss {p.TrainLoss:0.0000}, validation loss {p.ValidationLoss:0.0000}{(p.Improved ? " (best)" : "")}, " +
        $"{p.Elapsed.TotalSeconds:0} s elapsed, at most {p.EstimatedRemaining.TotalSeconds:0} s left");

    /// <summary>The kept epoch's validation figures and the training summary as two tables.</summary>
    internal static void PrintSummary(CliContext context, LstmModelMetadata metadata)
    {
        var v = metadata.Validation;
        var t = metadata.Training;
        var c = context.Console;
        c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Validation: {metadata.DatasetStart.AddDays(metadata.ValidationStartDay):yyyy-MM-dd}..{metadata.DatasetStart.AddDays(metadata.TrainEndDay - 1):yyyy-MM-dd}, {v.Windows:N0} windows of {metadata.Horizon} days (kept epoch {t.BestEpoch}).")));
        var table = new Table().AddColumns("metric", "value");
        table.Columns[1].RightAligned();
        table.AddRow("pinball loss (scaled units)", F(v.PinballLoss, "0.0000"));
        for (var k = 0; k < metadata.Quantiles.Count; k++)
        {
            table.AddRow(
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"share of actuals <= raw P{metadata.Quantiles[k] * 100:0.#}")),
                F(v.Coverage.Count > k ? v.Coverage[k] : double.NaN, "P1"));
        }

        table.AddRow("MAE of the median (units)", F(v.MedianMae, "0.000"));
        table.AddRow("MAE of the mean (units)", F(v.MeanMae, "0.000"));
        table.AddRow("wMAPE of the mean", F(v.MeanWape, "P1"));
        table.AddRow("epochs run", t.EpochsRun.ToString(CultureInfo.InvariantCulture));
        table.AddRow("stopped by", Markup.Escape(t.StopReason));
        table.AddRow("training windows", t.TrainingWindows.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("training time", F(t.ElapsedSeconds, "0.0") + " s");
        table.AddRow("calibration", metadata.Calibration is { } cal
            ? Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{LstmCalibrationModes.Name(cal.Mode)} on {cal.Windows:N0} windows from {metadata.DatasetStart.AddDays(cal.FirstOriginDay):yyyy-MM-dd}; day 1 levels {string.Join(" ", cal.Daily[0].Select(l => l.ToString("0.###", CultureInfo.InvariantCulture)))}"))
            : "none");
        c.Write(table);
    }

    private static void WriteHistory(IReadOnlyList<LstmEpochProgress> history, string path)
    {
        var text = new StringBuilder("epoch,train_loss,validation_loss,improved,elapsed_seconds\n");
        foreach (var p in history)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{p.Epoch},{p.TrainLoss:0.######},{p.ValidationLoss:0.######},{(p.Improved ? 1 : 0)},{p.Elapsed.TotalSeconds:0.###}\n"));
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }

    private static string F(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>The training options shared by <c>train</c> and <c>backtest</c> (for the model it trains in-process).</summary>
    internal sealed class TrainingSymbols
    {
        private readonly Option<int> _epochs = CliOptions.Defaulted(
            "--epochs", "Most epochs (training stops earlier when the validation loss stops improving).", Defaults.MaxEpochs);

        private readonly Option<int> _hidden = CliOptions.Defaulted("--hidden", "LSTM hidden size.", Defaults.HiddenSize);

        private readonly Option<int> _layers = CliOptions.Defaulted("--layers", "Stacked LSTM layers.", Defaults.Layers);

        private readonly Option<double> _dropout = CliOptions.Defaulted(
            "--dropout", "Dropout between LSTM layers and in the shared layer, in [0, 1).", Defaults.Dropout);

        private readonly Option<double> _weightAverage = CliOptions.Defaulted(
            "--weight-average", "Decay per step of the moving average of the weights that validation, early stopping and the saved model use, in [0, 1); 0 keeps the last step's weights.", Defaults.WeightAverageDecay);

        private readonly Option<long> _seed = CliOptions.Defaulted<long>("--seed", "Random seed (same seed, data and threads: same model).", 1);

        private readonly Option<string> _timeBudget = CliOptions.Defaulted(
            "--time-budget", "Stop before an epoch that would end past this time (hh:mm:ss).", "00:05:00");

        private readonly Option<bool> _calibrate = CliOptions.Defaulted(
            "--calibrate", "Fit the split-conformal calibration on the validation range and save it in the model (true or false).", Defaults.Calibrate);

        private readonly Option<int?> _calibrationDays = CliOptions.Optional<int?>(
            "--calibration-days", "Days of origins the calibration is fitted on, ending with the validation range (default: the validation range; longer reaches into training days, which are not held out).");

        private readonly Option<string> _calibrationMode = CalibrationModeOption(Defaults.CalibrationMode);

        private readonly Option<string> _scaling = CreateScaling();

        private readonly Option<string> _seasonalAlignment = CreateSeasonalAlignment();

        private readonly Option<bool> _integerQuantiles = new("--integer-quantiles")
        {
            Description = "Forecast whole-number quantiles (the nearest whole number to each, for demand counted in whole units; refused for a dataset with a fractional unit), see docs/researchers/calibration.md.",
            DefaultValueFactory = _ => Defaults.IntegerQuantiles,
        };

        public IEnumerable<Symbol> Symbols => [_epochs, _hidden, _layers, _dropout, _weightAverage, _seed, _timeBudget, _calibrate, _calibrationDays, _calibrationMode, _scaling, _seasonalAlignment, _integerQuantiles];

        /// <summary>The <c>--calibration-mode</c> option of <c>train</c>, <c>backtest</c> and <c>calibrate</c>.</summary>
        internal static Option<string> CalibrationModeOption(LstmCalibrationMode defaultMode)
        {
            var option = new Option<string>("--calibration-mode")
            {
                Description = "What the calibration corrects: conformal (location and spread) or spread (the widths around the model's own median, see docs/researchers/calibration.md).",
                DefaultValueFactory = _ => LstmCalibrationModes.Name(defaultMode),
            };
            option.AcceptOnlyFromAmong(LstmCalibrationModes.Names);
            return option;
        }

        private static Option<string> CreateScaling()
        {
            var option = new Option<string>("--scaling")
            {
                Description = "How units are scaled: sku (by the SKU's mean over the training days) or level (by its mean over the 28 days before each day and origin, see docs/researchers.md).",
                DefaultValueFactory = _ => UnitScalings.Name(Defaults.Scaling),
            };
            option.AcceptOnlyFromAmong(UnitScalings.Names);
            return option;
        }

        private static Option<string> CreateSeasonalAlignment()
        {
            var option = new Option<string>("--seasonal-alignment")
            {
                Description = "Where the seasonal index looks a year back: holidays (364 days, or near a holiday whose date moves, such as Spring Festival, the same days from its earlier occurrence) or date (always 364 days), see docs/researchers.md.",
                DefaultValueFactory = _ => JsonEnumNames<SeasonalAlignment>.Name(Defaults.SeasonalAlignment),
            };
            option.AcceptOnlyFromAmong(JsonEnumNames<SeasonalAlignment>.Names);
            return option;
        }

        /// <summary>The LSTM options from the command line; invalid values are reported as <see cref="UserInputException"/>.</summary>
        public LstmOptions Resolve(ParseResult parse)
        {
            var text = parse.GetRequiredValue(_timeBudget);
            if (!TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"h\:mm\:ss", @"d\.hh\:mm\:ss"], CultureInfo.InvariantCulture, out var budget) || budget <= TimeSpan.Zero)
            {
                throw new UserInputException($"--time-budget: '{text}' is not a positive duration (expected hh:mm:ss, such as 00:05:00).");
            }

            var options = Defaults with
            {
                MaxEpochs = parse.GetValue(_epochs),
                HiddenSize = parse.GetValue(_hidden),
                Layers = parse.GetValue(_layers),
                Dropout = parse.GetValue(_dropout),
                Seed = parse.GetValue(_seed),
                TimeBudget = budget,
                Calibrate = parse.GetValue(_calibrate),
                CalibrationDays = parse.GetValue(_calibrationDays),
                CalibrationMode = LstmCalibrationModes.Parse(parse.GetRequiredValue(_calibrationMode)),
                Scaling = UnitScalings.Parse(parse.GetRequiredValue(_scaling)),
                SeasonalAlignment = JsonEnumNames<SeasonalAlignment>.Parse(parse.GetRequiredValue(_seasonalAlignment), "seasonal alignment"),
                IntegerQuantiles = parse.GetValue(_integerQuantiles),
                WeightAverageDecay = parse.GetValue(_weightAverage),
            };
            Check(options.MaxEpochs >= 1, $"--epochs must be at least 1 (got {options.MaxEpochs}).");
            Check(options.HiddenSize is >= 1 and <= 4096, $"--hidden must be within 1..4096 (got {options.HiddenSize}).");
            Check(options.Layers is >= 1 and <= 16, $"--layers must be within 1..16 (got {options.Layers}).");
            Check(
                options.WeightAverageDecay is >= 0 and < 1,
                $"--weight-average must be within [0, 1) (got {options.WeightAverageDecay.ToString(CultureInfo.InvariantCulture)}).");
            Check(
                options.Dropout is >= 0 and < 1,
                $"--dropout must be within [0, 1) (got {options.Dropout.ToString(CultureInfo.InvariantCulture)}).");
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UserInputException(e.Message);
            }

            return options;
        }

        private static void Check(bool condition, string message)
        {
            if (!condition)
            {
                throw new UserInputException(message);
            }
        }
    }
}
