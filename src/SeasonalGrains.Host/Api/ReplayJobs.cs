using System.Collections.Concurrent;
using SeasonalGrains.Grains.Forecasting;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Reports;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Host.Api;

/// <summary>
/// Replays started over HTTP, run in this process through the silo's grains (<see cref="ReplayRunner"/>).
/// A replay belongs to the host that started it; the last <see cref="Kept"/> finished ones are kept in memory.
/// </summary>
public sealed class ReplayJobs(
    IGrainFactory grains,
    ReplayForecastService forecasts,
    IOptions<ApiOptions> options,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ReplayJobs> logger)
{
    public const int Kept = 50;

    private readonly ConcurrentDictionary<string, ReplayJob> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The folder scenario files (and the datasets and models they name) must lie in, after symbolic links: by default the <c>simulations</c> folder installed beside the host.</summary>
    public ServerFolder ScenarioRoot { get; } = new(options.Value.ScenarioRoot ?? Path.Combine(environment.ContentRootPath, DefaultScenarioFolder));

    /// <summary>The folder each replay writes its sub-folder in.</summary>
    public ServerFolder OutputRoot { get; } = new(options.Value.ReplayOutputRoot ?? Path.Combine(environment.ContentRootPath, "runs"));

    /// <summary>The scenario folder's name beside the host's binaries (the build copies the repository's <c>simulations</c> there).</summary>
    public const string DefaultScenarioFolder = "simulations";

    public ReplayJob? Find(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>
    /// Checks the request (scenario inside the root, readable, valid) and starts the replay. Returns the job,
    /// or the field errors, or a conflict message when as many replays run as may.
    /// </summary>
    public (ReplayJob? Job, FieldErrors Errors, string? Busy) Start(ReplayRequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new FieldErrors();
        var path = ResolveScenario(body.ScenarioPath, errors);
        if (body.ChunkDays is < 1)
        {
            errors.Add("chunkDays", "must be at least 1.");
        }

        if (body.Policies is { } labels && labels.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("policies", "must not hold empty labels.");
        }

        if (path is not null && !errors.Any)
        {
            try
            {
                var scenario = ScenarioLoader.Load(path);
                CheckInside(scenario, errors);
                foreach (var label in body.Policies ?? [])
                {
                    if (!scenario.Policies.Any(p => string.Equals(p.Label, label, StringComparison.Ordinal)))
                    {
                        errors.Add("policies", $"'{label}' is not a policy label of the scenario ({string.Join(", ", scenario.Policies.Select(p => p.Label))}).");
                    }
                }
            }
            catch (ScenarioException e)
            {
                foreach (var error in e.Errors)
                {
                    errors.Add("scenario", Redact(error));
                }
            }
        }

        if (errors.Any)
        {
            return (null, errors, null);
        }

        ReplayJob job;
        lock (_gate)
        {
            var running = _jobs.Values.Count(j => j.State == ReplayState.Running);
            if (running >= options.Value.MaxConcurrentReplays)
            {
                return (null, errors, $"{running} replay(s) are running, the most this host runs at once; try again when one has finished.");
            }

            var id = Guid.NewGuid().ToString("N")[..12];
            job = new ReplayJob(id, path!, Path.Combine(OutputRoot.Root, id), time.GetUtcNow(), Redact);
            _jobs[id] = job;
            Trim();
        }

        var request = new ReplayRequest
        {
            ScenarioPath = path!,
            OutDir = job.OutDir,
            Policies = body.Policies ?? [],
            ChunkDays = body.ChunkDays,
        };
        ApiLog.ReplayStarted(logger, job.Id, path!);
        _ = Task.Run(() => RunAsync(job, request));
        return (job, errors, null);
    }

    private async Task RunAsync(ReplayJob job, ReplayRequest request)
    {
        try
        {
            var (report, _) = await ReplayRunner.RunAsync(request, grains, forecasts, job, lifetime.ApplicationStopping);
            job.Succeed(report, time.GetUtcNow());
        }
        catch (Exception e)
        {
            var message = e switch
            {
                ScenarioException s => Redact(s.Message),
                DatasetLoadException d => Redact($"{d.Message} {string.Join(" ", d.Errors.Take(5).Select(x => x.ToString()))}"),
                OperationCanceledException => "The host stopped before the replay finished.",
                IOException or UnauthorizedAccessException => "Reading or writing replay files failed; the host's log has the details.",
                _ => "The replay failed; the host's log has the details.",
            };
            ApiLog.ReplayFailed(logger, e, job.Id);
            job.Fail(message, time.GetUtcNow());
        }
    }

    private string? ResolveScenario(string? given, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            errors.Add("scenarioPath", "is required.");
            return null;
        }

        if (ScenarioRoot.Resolve(given) is not { } full)
        {
            errors.Add("scenarioPath", "must lie inside the server's scenario folder (Api:ScenarioRoot), symbolic links followed.");
            return null;
        }

        if (!File.Exists(full))
        {
            errors.Add("scenarioPath", "does not name a file in the server's scenario folder.");
            return null;
        }

        return full;
    }

    /// <summary>The dataset and model folders a scenario names must lie inside the scenario folder too (they are read, and written on first use).</summary>
    private void CheckInside(Scenario scenario, FieldErrors errors)
    {
        var folders = new List<(string Key, string Path)> { ("dataset", scenario.DatasetFolder) };
        folders.AddRange(scenario.Forecasters.Where(f => f.Value.Model is not null).Select(f => ($"forecasters.{f.Key}.model", f.Value.Model!)));
        foreach (var (key, folder) in folders.Where(f => ScenarioRoot.Resolve(f.Path) is null))
        {
            errors.Add("scenario", $"{key}: the folder must lie inside the server's scenario folder (Api:ScenarioRoot), symbolic links followed.");
        }
    }

    /// <summary>A message for a client: the scenario and output folders named relative to themselves.</summary>
    private string Redact(string text) => OutputRoot.Redact(ScenarioRoot.Redact(text));

    private void Trim()
    {
        var finished = _jobs.Values.Where(j => j.State != ReplayState.Running).OrderByDescending(j => j.StartedAt).Skip(Kept).ToList();
        foreach (var old in finished)
        {
            _jobs.TryRemove(old.Id, out _);
        }
    }
}

public enum ReplayState
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>One replay: its progress while it runs, then its results or its error.</summary>
public sealed class ReplayJob(string id, string scenarioPath, string outDir, DateTimeOffset startedAt, Func<string, string> redact) : IProgress<ReplayStatus>
{
    private readonly Lock _lock = new();
    private ReplayStatus? _status;
    private ReplayState _state = ReplayState.Running;
    private DateTimeOffset? _finishedAt;
    private string? _error;
    private ReplayResults? _results;

    public string Id { get; } = id;

    public string ScenarioPath { get; } = scenarioPath;

    public string OutDir { get; } = outDir;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public ReplayState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    public void Report(ReplayStatus value)
    {
        lock (_lock)
        {
            _status = value with { Detail = redact(value.Detail) };
        }
    }

    public void Succeed(ReplayReport report, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(report);
        var results = new ReplayResults(
            report.RunId,
            report.Skus,
            report.Window.Start,
            report.Window.End,
            report.Window.Days,
            report.Seconds,
            [.. report.Policies.Select(p => new ReplayPolicyResult(
                p.Label,
                p.Name,
                p.Metrics.FillRate,
                p.Metrics.CycleServiceLevel,
                p.Metrics.TotalCost,
                p.Metrics.HoldingCost,
                p.Metrics.ShortageCost,
                p.Metrics.OrderingCost,
                p.Metrics.UnitsDemanded,
                p.Metrics.UnitsSold,
                p.Metrics.StockoutDays,
                p.Metrics.AverageOnHandUnits,
                p.Metrics.Turnover,
                p.Seconds))]);
        lock (_lock)
        {
            _results = results;
            _state = ReplayState.Succeeded;
            _finishedAt = at;
            _status = new ReplayStatus(ReplayStage.Writing, 1, redact(OutDir));
        }
    }

    public void Fail(string error, DateTimeOffset at)
    {
        lock (_lock)
        {
            _error = error;
            _state = ReplayState.Failed;
            _finishedAt = at;
        }
    }

    public ReplayResponse ToResponse()
    {
        lock (_lock)
        {
            return new ReplayResponse(
                Id,
                redact(ScenarioPath),
                _state.ToString().ToLowerInvariant(),
                _status is { } s ? s.Stage.ToString().ToLowerInvariant() : null,
                _state == ReplayState.Succeeded ? 1 : _status?.Fraction ?? 0,
                _status?.Detail,
                StartedAt,
                _finishedAt,
                _state == ReplayState.Succeeded ? redact(OutDir) : null,
                _error,
                _results);
        }
    }
}
