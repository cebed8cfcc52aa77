using System.Globalization;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Data;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Simulation.Reports;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>A replay to run: the scenario file and command-line overrides.</summary>
public sealed record ReplayRequest
{
    public required string ScenarioPath { get; init; }

    /// <summary>The output folder; null = runs/&lt;scenario&gt;-&lt;timestamp&gt; under the current directory.</summary>
    public string? OutDir { get; init; }

    /// <summary>Only these policy labels (all when empty).</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>Days per grain call; overrides the scenario's chunkDays.</summary>
    public int? ChunkDays { get; init; }

    public StateWrites StateWrites { get; init; } = StateWrites.Never;
}

/// <summary>The stages of a replay, for progress display.</summary>
public enum ReplayStage
{
    Generating,
    Reading,
    Replaying,
    Writing,
}

public readonly record struct ReplayStatus(ReplayStage Stage, double Fraction, string Detail);

/// <summary>A scenario whose dataset is loaded, validated and cleaned, with the replay's input built.</summary>
public sealed record PreparedReplay(Scenario Scenario, Dataset Dataset, CleaningReport Cleaning, ReplayWindow Window, ReplayInput Input, int ChunkDays);

/// <summary>
/// Runs a scenario end to end: dataset (generated if missing), validation, cleaning, per-SKU setups,
/// the replay through the grains, and the result files.
/// </summary>
public static class ReplayRunner
{
    /// <summary>Everything before the grains: throws <see cref="ScenarioException"/> or <see cref="DatasetLoadException"/> for bad input.</summary>
    public static PreparedReplay Prepare(ReplayRequest request, IProgress<ReplayStatus>? progress = null, PolicyCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scenario = ScenarioLoader.Load(request.ScenarioPath, catalog);
        var chunkDays = request.ChunkDays ?? scenario.ChunkDays ?? ReplayDriverOptions.DefaultChunkDays;
        if (chunkDays < 1)
        {
            throw new ScenarioException(scenario.SourcePath, $"chunkDays: must be at least 1 (got {chunkDays})");
        }

        DatasetProvisioner.Ensure(scenario, progress is null ? null : new Progress<double>(f => progress.Report(new(ReplayStage.Generating, f, scenario.DatasetFolder))));
        progress?.Report(new(ReplayStage.Reading, 0, scenario.DatasetFolder));
        var dataset = DatasetLoadException.Read(
            scenario.DatasetFolder,
            progress is null ? null : new Progress<double>(f => progress.Report(new(ReplayStage.Reading, f, scenario.DatasetFolder))));
        var (cleaned, cleaning) = DatasetCleaner.Clean(dataset, scenario.Cleaning);
        var window = ReplayWindow.Resolve(scenario.Window, scenario.HistoryDays, cleaned, scenario.SourcePath);
        var input = ReplayInputBuilder.Build(scenario, cleaned, window, request.Policies, catalog, request.StateWrites);
        progress?.Report(new(ReplayStage.Reading, 1, scenario.DatasetFolder));
        return new PreparedReplay(scenario, cleaned, cleaning, window, input, chunkDays);
    }

    /// <summary>Replays a prepared scenario through the grains.</summary>
    public static async Task<ReplayReport> ReplayAsync(
        PreparedReplay prepared, IGrainFactory grains, IProgress<ReplayStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var runId = NewRunId(prepared.Scenario.Name);
        var driver = new ReplayDriver(grains, new ReplayDriverOptions { ChunkDays = prepared.ChunkDays });
        var outcome = await driver.RunAsync(
            runId,
            prepared.Input,
            progress is null ? null : new Progress<ReplayProgress>(p => progress.Report(new(ReplayStage.Replaying, p.Fraction, $"{p.SkuDaysDone:N0} / {p.SkuDaysTotal:N0} SKU-days"))),
            cancellationToken);
        return ReplayReport.Build(prepared.Scenario, prepared.Window, prepared.Input, outcome, prepared.ChunkDays);
    }

    /// <summary>Prepare, replay and write; returns the report and the folder written.</summary>
    public static async Task<(ReplayReport Report, string OutDir)> RunAsync(
        ReplayRequest request, IGrainFactory grains, IProgress<ReplayStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        var prepared = Prepare(request, progress);
        cancellationToken.ThrowIfCancellationRequested();
        var report = await ReplayAsync(prepared, grains, progress, cancellationToken);
        var outDir = request.OutDir ?? DefaultOutDir(prepared.Scenario.Name);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new(ReplayStage.Writing, 0, outDir));
        ResultWriter.Write(report, outDir);
        progress?.Report(new(ReplayStage.Writing, 1, outDir));
        return (report, outDir);
    }

    public static string DefaultOutDir(string scenarioName) =>
        Path.Combine("runs", $"{scenarioName}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");

    /// <summary>A run id unique enough to keep runs on one silo apart: name, UTC time, random suffix.</summary>
    public static string NewRunId(string scenarioName) =>
        $"{scenarioName}-{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";
}
