using SeasonalGrains.Data.Model;
using SeasonalGrains.Data.Truth;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Ensemble;
using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Simulation.Replay;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// <c>seasonal backtest --dataset DIR --forecasters seasonal-naive,ets,croston,lstm</c>: a rolling-origin
/// backtest without look-ahead. The windows end on the dataset's last day. <c>lstm</c> uses <c>--model</c>,
/// which must have been trained only on days before the first origin, or else a model trained here on those
/// days (saved under OUT/model). With truth.csv in the dataset folder an oracle row is added. Writes
/// backtest.csv (every scored point), summary.csv (one row per forecaster) and PNG plots of actuals against
/// P10/P50/P90 for the SKUs with the most units.
/// </summary>
public sealed class BacktestCommand : CliCommand
{
    public const string DetailsFile = "backtest.csv";
    public const string SummaryFile = "summary.csv";
    public const string PlotsFolder = "plots";
    public const string ReliabilityFile = "reliability.csv";
    public const string ModelFolder = "model";
    public const string EnsembleFile = "ensemble.csv";
    public const string ImportanceFile = "importance.csv";

    private readonly Option<DirectoryInfo> _dataset = CliOptions.Dataset("The dataset folder (truth.csv in it adds the oracle row).");

    private readonly Option<string> _forecasters = new("--forecasters", "-f")
    {
        Description = $"Comma-separated forecasters: {string.Join(", ", ForecasterRegistry.Default.Names(ForecasterUses.Backtest))} ({ForecasterRegistry.LstmStateful}: the model run as stateful replays run it).",
        DefaultValueFactory = _ => "seasonal-naive,ets,croston,lstm",
    };

    private readonly Option<int> _origins = CliOptions.Defaulted("--origins", "Number of forecast origins.", 8);

    private readonly Option<int> _horizon = CliOptions.Defaulted("--horizon", "Days forecast from each origin.", 28);

    private readonly Option<int?> _step = CliOptions.Optional<int?>("--step", "Days between origins (default: the horizon, so windows do not overlap).");

    private readonly Option<DirectoryInfo?> _model = CliOptions.Optional<DirectoryInfo?>(
        "--model", "-m", "A trained model folder for lstm; its training range must end before the first origin. Default: train one here.");

    private readonly Option<int> _restartDays = CliOptions.Defaulted(
        "--restart-days", $"For {StatefulLstmForecaster.ForecasterName}: days between encoder restarts (0: never).", LstmTrackerOptions.DefaultRestartDays);

    private readonly Option<DirectoryInfo?> _out = CliOptions.Optional<DirectoryInfo?>("--out", "-o", "Output folder (default: runs/backtest-<dataset>-<timestamp>).");

    private readonly Option<bool> _force = OutputOptions.Force();

    private readonly Option<string?> _trainEnd = CliOptions.Optional<string?>(
        "--train-end", "For the lstm trained here: train on the days before this date (yyyy-MM-dd); at most the first origin, which is the default.");

    private readonly Option<int> _plotSkus = CliOptions.Defaulted("--plot-skus", "SKUs plotted per forecaster (those with the most units); 0 for no plots.", 4);

    private readonly TrainCommand.TrainingSymbols _training = new();

    public override IReadOnlyList<string> Path => ["backtest"];

    public override string Description => "Rolling-origin backtest of forecasters (and an oracle on generated data) without look-ahead.";

    public override IEnumerable<Symbol> Symbols =>
        [_dataset, _forecasters, _origins, _horizon, _step, _model, _restartDays, _out, _force, _trainEnd, _plotSkus, .. _training.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var folder = parse.GetRequiredValue(_dataset).FullName;
        var entries = ParseNames(parse.GetRequiredValue(_forecasters));
        var originCount = parse.GetValue(_origins);
        var horizon = parse.GetValue(_horizon);
        var step = parse.GetValue(_step) ?? horizon;
        var plotSkus = parse.GetValue(_plotSkus);
        var modelFolder = parse.GetValue(_model)?.FullName;
        var trainEndText = parse.GetValue(_trainEnd);
        var force = parse.GetValue(_force);
        if (parse.GetValue(_out) is { } givenOut)
        {
            OutputFolder.Check(givenOut.FullName, force);
        }

        if (plotSkus < 0)
        {
            throw new UserInputException($"--plot-skus must not be negative (got {plotSkus}).");
        }

        if (horizon is < 1 or > Forecasting.Features.FeatureSchema.MaxHorizon)
        {
            throw new UserInputException($"--horizon must be within 1..{Forecasting.Features.FeatureSchema.MaxHorizon} (got {horizon}).");
        }

        var wantsLstm = entries.Any(e => e.Needs is ForecasterNeeds.Model or ForecasterNeeds.ModelWhenGiven);
        if (!wantsLstm && (modelFolder is not null || trainEndText is not null))
        {
            throw new UserInputException("--model and --train-end are for the lstm forecaster; add lstm (or ensemble) to --forecasters or drop them.");
        }

        if (modelFolder is not null && trainEndText is not null)
        {
            throw new UserInputException("--train-end applies to the model trained here; with --model the model's own training range is checked instead.");
        }

        var trainingOptions = wantsLstm && modelFolder is null ? _training.Resolve(parse) : null;
        var restartDays = parse.GetValue(_restartDays);
        if (restartDays < 0)
        {
            throw new UserInputException($"--restart-days must be 0 or more (got {restartDays}).");
        }

        var dataset = await TrainCommand.LoadCleanAsync(folder, cancellationToken);
        IReadOnlyList<int> origins;
        try
        {
            origins = BacktestRunner.OriginsFor(dataset.Days, originCount, horizon, step);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message);
        }

        var firstOrigin = origins[0];
        var firstOriginDate = dataset.DateOf(firstOrigin);
        var outFolder = parse.GetValue(_out)?.FullName
            ?? System.IO.Path.GetFullPath(System.IO.Path.Combine(
                "runs", $"backtest-{Safe(dataset.Info.Name)}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}"));
        var c = context.Console;
        c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Backtest of {dataset.Info.Name}: {dataset.Skus.Count:N0} SKUs, {origins.Count} origins {step} days apart from {firstOriginDate:yyyy-MM-dd}, horizon {horizon} days (last day {dataset.End:yyyy-MM-dd}).")));

        // everything (the model trained here included) is written to a temporary folder that replaces --out at the end
        using var output = OutputFolder.Create(outFolder, force);
        var written = output.Temporary;
        LstmModel? model = null;
        try
        {
            if (wantsLstm)
            {
                model = modelFolder is not null
                    ? LoadChecked(modelFolder, dataset, firstOrigin, horizon)
                    : await TrainHere(context, dataset, trainingOptions!, trainEndText, firstOrigin, horizon, written, outFolder, cancellationToken);
                c.MarkupLine(Markup.Escape($"The lstm model is {model.CalibrationDescription}."));
            }

            var resources = new ForecasterResources { Model = model, RestartDays = restartDays };
            var forecasters = entries.Select(e => e.Create(resources)).ToList();

            var truthTable = TruthReader.Read(folder, dataset);
            TruthTableDemandTruth? truth = null;
            if (truthTable is not null)
            {
                truth = await Task.Run(() => TruthTableDemandTruth.Create(truthTable), cancellationToken);
                c.MarkupLine(Markup.Escape($"truth.csv found: an oracle row is added with {truth.Describe()}."));
            }

            var runner = new BacktestRunner(forecasters, truth);
            var options = new BacktestOptions { Origins = originCount, Horizon = horizon, Step = step };
            var result = await CliProgress.RunAsync(context, report => Task.Run(
                () => runner.Run(
                    dataset,
                    options,
                    new SynchronousProgress<BacktestProgress>(p => report("Backtesting", p.Completed / (double)p.Total)),
                    cancellationToken),
                cancellationToken));

            Print(context, result);
            BacktestCsv.WriteDetails(result, System.IO.Path.Combine(written, DetailsFile));
            BacktestCsv.WriteSummary(result, System.IO.Path.Combine(written, SummaryFile));
            BacktestCsv.WriteReliability(result, System.IO.Path.Combine(written, ReliabilityFile));
            var ensembles = forecasters.OfType<EnsembleForecaster>().ToList();
            foreach (var ensemble in ensembles)
            {
                PrintEnsemble(context, ensemble, dataset);
                BacktestCsv.WriteEnsemble(ensemble, dataset, System.IO.Path.Combine(written, EnsembleFile));
            }
            var plots = 0;
            IReadOnlyList<ImportanceRow> importance = [];
            if (model is not null)
            {
                // the lstm's reliance on each feature group, on the backtest's own (held-out) windows
                importance = await Task.Run(() => PermutationImportance.Compute(model, dataset, result.Origins, result.SkuIndices, horizon, result.Levels), cancellationToken);
                BacktestCsv.WriteImportance(importance, System.IO.Path.Combine(written, ImportanceFile));
                plots += BacktestPlots.SaveImportance(importance, System.IO.Path.Combine(written, PlotsFolder, "importance.png")) ? 1 : 0;
                c.MarkupLine(Markup.Escape($"lstm feature groups by permutation importance (increase of mean pinball loss when permuted across the windows; per SKU in {ImportanceFile}): {PermutationImportance.Describe(importance)}."));
            }

            foreach (var (kind, file) in new[] { (ReliabilityKind.Daily, "reliability.png"), (ReliabilityKind.Interval, "reliability-interval.png") })
            {
                plots += BacktestPlots.SaveReliability(result, kind, System.IO.Path.Combine(written, PlotsFolder, file)) ? 1 : 0;
            }

            if (plotSkus > 0)
            {
                foreach (var row in result.Rows.Where(r => r.Forecaster != "oracle"))
                {
                    plots += BacktestPlots.SaveBands(result, row.Forecaster, System.IO.Path.Combine(written, PlotsFolder), Math.Min(plotSkus, result.SkuIndices.Count)).Count;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            output.Commit();
            c.MarkupLine(Markup.Escape($"Wrote {System.IO.Path.Combine(outFolder, DetailsFile)}, {SummaryFile}, {ReliabilityFile}" +
                (ensembles.Count > 0 ? $", {EnsembleFile}" : "") +
                (importance.Count > 0 ? $", {ImportanceFile}" : "") +
                (plots > 0 ? $" and {plots} plots in {PlotsFolder}/" : "") + "."));
            return SeasonalCli.Ok;
        }
        finally
        {
            model?.Dispose();
        }
    }

    /// <summary>
    /// Loads a model folder and refuses it unless its training data ended before the first origin (no
    /// look-ahead) and it forecasts at least the horizon.
    /// </summary>
    internal static LstmModel LoadChecked(string folder, Dataset dataset, int firstOrigin, int horizon)
    {
        LstmModel model;
        try
        {
            model = LstmModel.Load(folder);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
        {
            throw new UserInputException($"--model: {e.Message}");
        }

        var m = model.Metadata;
        var firstOriginDate = dataset.DateOf(firstOrigin);
        string? problem = null;
        if (m.TrainEndDay < 1)
        {
            problem = $"the model in {folder} is untrained.";
        }
        else
        {
            var lastTrained = m.DatasetStart.AddDays(m.TrainEndDay - 1);
            if (lastTrained >= firstOriginDate)
            {
                problem = $"the model in {folder} was trained on data up to {lastTrained:yyyy-MM-dd} ({LstmModel.MetadataFile}: dataset start {m.DatasetStart:yyyy-MM-dd}, train end day {m.TrainEndDay}), " +
                    $"which is not before the first origin {firstOriginDate:yyyy-MM-dd}: its forecasts would have seen the days they are scored on. " +
                    $"Train it with --train-end {firstOriginDate:yyyy-MM-dd} or earlier, or leave out --model to train one here.";
            }
            else if (model.Horizon < horizon)
            {
                problem = $"the model in {folder} forecasts {model.Horizon} days; the backtest horizon is {horizon}.";
            }
        }

        if (problem is not null)
        {
            model.Dispose();
            throw new UserInputException(problem);
        }

        return model;
    }

    private static async Task<LstmModel> TrainHere(
        CliContext context,
        Dataset dataset,
        LstmOptions options,
        string? trainEndText,
        int firstOrigin,
        int horizon,
        string writeFolder,
        string outFolder,
        CancellationToken cancellationToken)
    {
        var trainEnd = firstOrigin;
        if (trainEndText is not null)
        {
            var date = TrainCommand.ParseDate(trainEndText, "--train-end");
            trainEnd = date.DayNumber - dataset.Start.DayNumber;
            if (trainEnd > firstOrigin)
            {
                throw new UserInputException(
                    $"--train-end {trainEndText} is after the first origin {dataset.DateOf(firstOrigin):yyyy-MM-dd}: the model would see the days it is scored on.");
            }

            if (trainEnd < 1)
            {
                throw new UserInputException($"--train-end {trainEndText} is not after the dataset's first day {dataset.Start:yyyy-MM-dd}.");
            }
        }

        options = options with { TrainEndDay = trainEnd, Horizon = horizon };
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Training lstm on {dataset.Start:yyyy-MM-dd}..{dataset.DateOf(trainEnd - 1):yyyy-MM-dd} (before the first origin): " +
            $"{options.Layers} x {options.HiddenSize}, horizon {options.Horizon}, at most {options.MaxEpochs} epochs{(options.TimeBudget is { } b ? $" within {b:hh\\:mm\\:ss}" : "")}, seed {options.Seed}.")));
        var result = await TrainCommand.TrainAsync(context, dataset, options, cancellationToken);
        var modelFolder = System.IO.Path.Combine(outFolder, ModelFolder);
        try
        {
            result.Model.Save(System.IO.Path.Combine(writeFolder, ModelFolder));
        }
        catch
        {
            result.Model.Dispose();
            throw;
        }

        TrainCommand.PrintSummary(context, result.Model.Metadata);
        context.Console.MarkupLine(Markup.Escape($"The model is saved to {modelFolder} with the results."));
        return result.Model;
    }

    /// <summary>The forecasters of <c>--forecasters</c>, resolved through <see cref="ForecasterRegistry"/>, in the order given.</summary>
    private static List<ForecasterEntry> ParseNames(string text)
    {
        var written = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (written.Length == 0)
        {
            throw new UserInputException("--forecasters: name at least one forecaster.");
        }

        var entries = new List<ForecasterEntry>();
        foreach (var name in written)
        {
            if (ForecasterRegistry.Default.Find(name)?.Needs == ForecasterNeeds.Truth)
            {
                throw new UserInputException($"--forecasters: '{ForecasterRegistry.Oracle}' is added by itself when the dataset folder has truth.csv.");
            }

            entries.Add(ForecasterRegistry.Default.TryResolve(name, ForecasterUses.Backtest, out var error)
                ?? throw new UserInputException($"--forecasters: {error}."));
        }

        var repeated = entries.GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            throw new UserInputException($"--forecasters: given more than once: {string.Join(", ", repeated)}.");
        }

        return entries;
    }

    /// <summary>
    /// The pooled rows of the reliability table: per forecaster and kind, the share of actuals at or below each level, and
    /// under it, where ties make it differ, the share strictly below (demand is a count: a calibrated forecaster of it puts
    /// each level between the two).
    /// </summary>
    private static void PrintReliability(CliContext context, BacktestResult result)
    {
        var pooled = result.Reliability.Where(r => r.Horizon is null).ToList();
        if (pooled.Count == 0)
        {
            return;
        }

        var levels = result.ReliabilityLevels;
        var table = new Table().AddColumn("share of actuals <= quantile");
        foreach (var level in levels)
        {
            table.AddColumn(new TableColumn(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"P{level * 100:0.#}"))).RightAligned());
        }

        foreach (var group in pooled.GroupBy(r => (r.Forecaster, r.Kind)))
        {
            string[] Row(string label, Func<ReliabilityRow, double> share) =>
                [label, .. levels.Select(l => group.FirstOrDefault(r => r.Level == l) is { } r ? F(share(r), "P1") : "")];

            table.AddRow(Row(Markup.Escape(group.Key.Kind == ReliabilityKind.Daily ? group.Key.Forecaster : $"{group.Key.Forecaster} (sums of days 1..n)"), r => r.Observed));
            if (group.Any(r => Math.Abs(r.Observed - r.ObservedBelow) >= 0.0005))
            {
                table.AddRow(Row("  strictly below", r => r.ObservedBelow));
            }
        }

        context.Console.Write(table);
    }

    /// <summary>One line: what the ensemble chose at the last origin, and over all origins.</summary>
    private static void PrintEnsemble(CliContext context, EnsembleForecaster ensemble, Dataset dataset)
    {
        var choices = ensemble.Choices();
        if (choices.Count == 0)
        {
            return;
        }

        var last = choices[^1].Origin;
        var origins = choices.Select(ch => ch.Origin).Distinct().Count();
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{ensemble.Name}: {EnsembleForecaster.Describe(choices.Where(ch => ch.Origin == last))} at the last origin {dataset.DateOf(last):yyyy-MM-dd}; " +
            $"over the {origins} origins: {EnsembleForecaster.Describe(choices, "SKU-origins")} (members {string.Join(", ", ensemble.MemberNames)}; per SKU and origin in {EnsembleFile}).")));
    }

    private static void Print(CliContext context, BacktestResult result)
    {
        var c = context.Console;
        var table = new Table().AddColumns("forecaster", "MAE", "RMSE", "MASE", "wMAPE", "bias", "mean pinball", "80% coverage", "seconds");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var r in result.Rows)
        {
            table.AddRow(
                Markup.Escape(r.Forecaster),
                F(r.Mae, "0.000"),
                F(r.Rmse, "0.000"),
                F(r.Mase, "0.000"),
                F(r.WMape, "P1"),
                F(r.Bias, "+0.000;-0.000;0.000"),
                F(r.MeanPinball, "0.0000"),
                F(r.Coverage80, "P1"),
                F(r.Elapsed.TotalSeconds, "0.0"));
        }

        c.Write(table);
        PrintReliability(context, result);
        c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{result.Rows[0].Points:N0} points per forecaster ({result.SkuIndices.Count:N0} SKUs x {result.Origins.Count} origins x {result.Horizon} days); " +
            $"MAE, MASE and wMAPE score the median forecast, RMSE and bias the mean; MASE is scaled by the in-sample seasonal naive (period 7) of each window; pinball is the mean over levels {string.Join(", ", result.Levels.Select(l => l.ToString(CultureInfo.InvariantCulture)))}.")));
        if (result.Dataset.HasStockInformation)
        {
            c.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{result.CensoredExcluded:N0} SKU-days of the windows were out of stock and are not scored (their sales understate demand); the points above are the in-stock ones.")));
        }
        var lstm = result.Rows.FirstOrDefault(r => r.Forecaster == LstmForecaster.ForecasterName);
        if (lstm is null)
        {
            return;
        }

        var parts = new List<string>();
        if (result.Rows.FirstOrDefault(r => r.Forecaster == "seasonal-naive") is { } naive && naive.Mase > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"MASE / seasonal-naive MASE = {lstm.Mase / naive.Mase:0.000}"));
        }

        if (result.Rows.FirstOrDefault(r => r.Forecaster == "oracle") is { } oracle && oracle.MeanPinball > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"mean pinball / oracle's = {lstm.MeanPinball / oracle.MeanPinball:0.000}"));
        }

        parts.Add(string.Create(CultureInfo.InvariantCulture, $"80% interval coverage = {lstm.Coverage80:P1}"));
        c.MarkupLine(Markup.Escape("lstm: " + string.Join("; ", parts) + "."));
    }

    private static string F(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Safe(string name) =>
        new([.. name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_')]);
}
