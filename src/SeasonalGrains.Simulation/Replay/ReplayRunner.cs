using SeasonalGrains.Data.Cleaning;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Simulation.Compare;
using SeasonalGrains.Simulation.Reports;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>A replay to run: the scenario file and command-line overrides.</summary>
public sealed record ReplayRequest
{
    public required string ScenarioPath { get; init; }

    /// <summary>The output folder; null = runs/&lt;scenario&gt;-&lt;timestamp&gt; under the current directory.</summary>
    public string? OutDir { get; init; }

    /// <summary>Only these policy labels (all when empty).</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>Days per grain call; overrides the scenario's chunkDays (default 365, or 30 with state written every chunk).</summary>
    public int? ChunkDays { get; init; }

    public StateWrites StateWrites { get; init; } = StateWrites.Never;
}

/// <summary>The stages of a replay, for progress display.</summary>
public enum ReplayStage
{
    Generating,
    Reading,

    /// <summary>Training the scenario's LSTM model on first use.</summary>
    Training,
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
        var chunkDays = request.ChunkDays ?? scenario.ChunkDays
            ?? (request.StateWrites == StateWrites.EveryChunk ? ReplayDriverOptions.DefaultCheckpointChunkDays : ReplayDriverOptions.DefaultChunkDays);
        if (chunkDays < 1)
        {
            throw new ScenarioException(scenario.SourcePath, $"chunkDays: must be at least 1 (got {chunkDays})");
        }

        DatasetProvisioner.Ensure(scenario, progress is null ? null : new SynchronousProgress<double>(f => progress.Report(new(ReplayStage.Generating, f, scenario.DatasetFolder))));
        progress?.Report(new(ReplayStage.Reading, 0, scenario.DatasetFolder));
        var dataset = DatasetLoadException.Read(
            scenario.DatasetFolder,
            progress is null ? null : new SynchronousProgress<double>(f => progress.Report(new(ReplayStage.Reading, f, scenario.DatasetFolder))));
        var (cleaned, cleaning) = DatasetCleaner.Clean(dataset, scenario.Cleaning);
        var window = ReplayWindow.Resolve(scenario.Window, scenario.HistoryDays, cleaned, scenario.SourcePath);
        var input = ReplayInputBuilder.Build(scenario, cleaned, window, request.Policies, catalog, request.StateWrites);
        if (request.ChunkDays is null && scenario.ChunkDays is null && input.Policies.Any(p => p.Setups.Any(s => s.Forecast is not null)))
        {
            // forecast policies forecast inside the grain calls, which must end within the silo's response timeout: short calls
            chunkDays = ScenarioForecasts.ChunkDays(scenario);
        }

        progress?.Report(new(ReplayStage.Reading, 1, scenario.DatasetFolder));
        var forecasters = input.Policies.SelectMany(p => p.Setups).Select(s => s.Forecast?.Source).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        ModelProvisioner.Ensure(
            scenario,
            cleaned,
            window,
            forecasters,
            progress is null ? null : new SynchronousProgress<double>(f => progress.Report(new(ReplayStage.Training, f, scenario.Forecasters[ForecasterRegistry.Lstm].Model ?? ""))));
        return new PreparedReplay(scenario, cleaned, cleaning, window, input, chunkDays);
    }

    /// <summary>
    /// Replays a prepared scenario through the grains under <paramref name="runId"/> (default: a new one), each SKU's row
    /// going to <paramref name="output"/> (from <see cref="ResultWriter.Open"/>) as it finishes; the caller commits the
    /// output with the report. The run's plan carries the forecasters of its forecast policies, so the silos of a cluster
    /// reached as a client (<paramref name="forecasts"/> null) build them where the SKU grains activate; a silo in this
    /// process gets the sources built here over the loaded dataset, registered with its <paramref name="forecasts"/> for
    /// the run. When every SKU writes its state every chunk, the run is recorded with checkpoints (scenario path and
    /// hashes, policies, progress) and <see cref="ResumeAsync"/> can finish it after a crash.
    /// </summary>
    public static async Task<ReplayReport> ReplayAsync(
        PreparedReplay prepared,
        IGrainFactory grains,
        ReplayForecastService? forecasts,
        ReplayOutput output,
        IProgress<ReplayStatus>? progress = null,
        CancellationToken cancellationToken = default,
        string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(output);
        runId ??= NewRunId(prepared.Scenario.Name);
        var forecasters = ScenarioForecasts.Plan(prepared);
        using var registration = ScenarioForecasts.Register(prepared, forecasters, forecasts, runId);
        var checkpoints = HasCheckpoints(prepared.Input);
        var driver = new ReplayDriver(grains, new ReplayDriverOptions { ChunkDays = prepared.ChunkDays, Checkpoints = checkpoints });
        var source = checkpoints && File.Exists(prepared.Scenario.SourcePath) ? ReplayFingerprint.Source(prepared) : null;
        var outcome = await driver.RunAsync(runId, ReplaySkuSource.Of(prepared.Input), source, ReplayProgressOf(progress), cancellationToken, forecasters, output);
        return ReplayReport.Build(prepared.Scenario, prepared.Window, prepared.Input, outcome, prepared.ChunkDays, output.Traces);
    }

    /// <summary>True when every SKU of every policy writes its state every chunk (the condition for a run with checkpoints).</summary>
    public static bool HasCheckpoints(ReplayInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Skus.Count > 0 && input.Policies.All(p => p.Setups.All(s => s.StateWrites == StateWrites.EveryChunk));
    }

    /// <summary>
    /// Rebuilds the input of a recorded run from its scenario file (with the run's policies and chunk size) and checks
    /// that the scenario file and the input are the ones the run started with.
    /// </summary>
    /// <exception cref="ScenarioException">The run records no scenario, or the scenario or its dataset changed since.</exception>
    public static PreparedReplay PrepareResume(ReplayRecord record, IProgress<ReplayStatus>? progress = null, PolicyCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var source = record.Plan.Source
            ?? throw new ScenarioException(record.RunId, "the run records no scenario file, so it cannot be rebuilt");
        if (!File.Exists(source.ScenarioPath))
        {
            throw new ScenarioException(source.ScenarioPath, $"run '{record.RunId}' was started from this file, which no longer exists");
        }

        if (!string.Equals(ReplayFingerprint.OfFile(source.ScenarioPath), source.ScenarioSha256, StringComparison.Ordinal))
        {
            throw new ScenarioException(source.ScenarioPath, $"the file changed since run '{record.RunId}' started (SHA-256 {source.ScenarioSha256[..12]}...); a resumed run must replay the same scenario");
        }

        var prepared = Prepare(
            new ReplayRequest
            {
                ScenarioPath = source.ScenarioPath,
                Policies = record.Plan.Policies,
                ChunkDays = record.Plan.ChunkDays,
                StateWrites = StateWrites.EveryChunk,
            },
            progress,
            catalog);
        if (!string.Equals(ReplayFingerprint.OfInput(prepared.Input), source.InputSha256, StringComparison.Ordinal))
        {
            throw new ScenarioException(source.ScenarioPath, $"the dataset {prepared.Scenario.DatasetFolder} changed since run '{record.RunId}' started; a resumed run must replay the same days");
        }

        return prepared;
    }

    /// <summary>
    /// Finishes a run recorded with checkpoints (see <see cref="ReplayDriver.ResumeAsync"/>); <paramref name="prepared"/> comes
    /// from <see cref="PrepareResume"/>. The silos of a cluster (<paramref name="forecasts"/> null) build the forecasters from
    /// the recorded plan; a silo in this process gets them built here.
    /// </summary>
    public static async Task<ReplayReport> ResumeAsync(
        PreparedReplay prepared,
        IGrainFactory grains,
        ReplayForecastService? forecasts,
        string runId,
        ReplayOutput output,
        IProgress<ReplayStatus>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(output);
        using var registration = ScenarioForecasts.Register(prepared, ScenarioForecasts.Plan(prepared), forecasts, runId);
        var driver = new ReplayDriver(grains, new ReplayDriverOptions { ChunkDays = prepared.ChunkDays, Checkpoints = true });
        var outcome = await driver.ResumeAsync(runId, prepared.Input, ReplayProgressOf(progress), cancellationToken, output);
        return ReplayReport.Build(prepared.Scenario, prepared.Window, prepared.Input, outcome, prepared.ChunkDays, output.Traces);
    }

    private static SynchronousProgress<ReplayProgress>? ReplayProgressOf(IProgress<ReplayStatus>? progress) =>
        progress is null ? null : new SynchronousProgress<ReplayProgress>(p => progress.Report(new(ReplayStage.Replaying, p.Fraction, $"{p.SkuDaysDone:N0} / {p.SkuDaysTotal:N0} SKU-days")));

    /// <summary>Prepare, replay and write; returns the report and the folder written.</summary>
    public static async Task<(ReplayReport Report, string OutDir)> RunAsync(
        ReplayRequest request, IGrainFactory grains, ReplayForecastService forecasts, IProgress<ReplayStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        if (request.OutDir is { } given)
        {
            OutputFolder.Check(given, replace: false); // before any work: an existing file or a non-empty folder is refused
        }

        var prepared = Prepare(request, progress);
        cancellationToken.ThrowIfCancellationRequested();
        var runId = NewRunId(prepared.Scenario.Name);
        var outDir = request.OutDir ?? DefaultOutDir(runId);
        using var output = ResultWriter.Open(outDir);
        var report = await ReplayAsync(prepared, grains, forecasts, output, progress, cancellationToken, runId);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new(ReplayStage.Writing, 0, outDir));
        output.Commit(report);
        progress?.Report(new(ReplayStage.Writing, 1, outDir));
        return (report, outDir);
    }

    /// <summary>Where a run writes unless told: runs/&lt;run id&gt;, so the folder is named as the run.</summary>
    public static string DefaultOutDir(string runId) => Path.Combine("runs", runId);

    /// <summary>A run id unique enough to keep runs on one silo apart: name, UTC time, random suffix.</summary>
    public static string NewRunId(string scenarioName) =>
        $"{scenarioName}-{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";
}
