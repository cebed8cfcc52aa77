using SeasonalGrains.Data.Generation;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>Makes sure a scenario's dataset folder exists, generating it from the scenario's generate block when missing.</summary>
public static class DatasetProvisioner
{
    /// <summary>True when the folder was generated now.</summary>
    public static bool Ensure(Scenario scenario, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var folder = scenario.DatasetFolder;
        if (Directory.Exists(folder))
        {
            return false;
        }

        if (scenario.Generate is not { } g)
        {
            throw new ScenarioException(scenario.SourcePath, $"dataset: the folder '{folder}' does not exist (add a generate block to create it)");
        }

        if (!SeasonGenerator.Presets.Contains(g.Preset))
        {
            throw new ScenarioException(scenario.SourcePath, $"generate.preset: unknown preset '{g.Preset}' (known: {string.Join(", ", SeasonGenerator.Presets)})");
        }

        var options = new GeneratorOptions { Preset = g.Preset, Skus = g.Skus, Years = g.Years, Seed = g.Seed };
        SeasonGenerator.GenerateTo(g.Start is { } start ? options with { Start = start } : options, folder, progress);
        return true;
    }
}
