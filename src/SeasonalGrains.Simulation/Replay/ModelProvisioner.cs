using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>
/// Makes sure the LSTM model folder a scenario names exists: with <c>forecasters.lstm.trainIfMissing</c>, a missing
/// folder is trained on the scenario's (cleaned) dataset on the days before the window, with the training defaults
/// and the scenario's <c>forecasters.lstm.scaling</c> (deterministic by seed), and kept, as a missing generated dataset is generated
/// and kept; for <c>lstm</c> and for the ensemble, which has the LSTM as a member when the scenario names its model.
/// </summary>
public static class ModelProvisioner
{
    /// <summary>True when a model was trained now. Progress is the share of the most epochs run.</summary>
    public static bool Ensure(Scenario scenario, Dataset dataset, ReplayWindow window, IEnumerable<string> forecasters, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(forecasters);
        if (!forecasters.Any(f => f == ForecasterRegistry.Lstm || ForecasterRegistry.Default.Find(f)?.Needs == ForecasterNeeds.ModelWhenGiven)
            || !scenario.Forecasters.TryGetValue(ForecasterRegistry.Lstm, out var lstm)
            || lstm.Model is not { } folder
            || File.Exists(Path.Combine(folder, LstmModel.MetadataFile)))
        {
            return false;
        }

        if (!lstm.TrainIfMissing)
        {
            throw new ScenarioException(scenario.SourcePath, string.Create(CultureInfo.InvariantCulture,
                $"forecasters.lstm.model: '{folder}' holds no model. Train one with: seasonal train --dataset {scenario.DatasetFolder} --out {folder} --train-end {window.Start:yyyy-MM-dd}{(lstm.Scaling == LstmOptions.TrainDefaults.Scaling ? string.Empty : $" --scaling {UnitScalings.Name(lstm.Scaling)}")} (or set \"trainIfMissing\": true to train it on first use)"));
        }

        var options = LstmOptions.TrainDefaults with { TrainEndDay = window.StartIndex, Scaling = lstm.Scaling };
        LstmTrainingResult result;
        try
        {
            result = LstmTrainer.Train(dataset, options, p => progress?.Report((double)p.Epoch / p.MaxEpochs), cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new ScenarioException(scenario.SourcePath, $"forecasters.lstm: the model cannot be trained on the days before the window: {e.Message}");
        }

        using var model = result.Model;
        cancellationToken.ThrowIfCancellationRequested();

        // written beside the folder and moved in whole, so an interrupted run never leaves half a model
        OutputFolder.Write(folder, replace: false, model.Save);
        progress?.Report(1);
        return true;
    }
}
