using System.Diagnostics;
using SeasonalGrains.Abstractions;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>How a replay is cut into grain calls.</summary>
public sealed record ReplayDriverOptions
{
    public const int DefaultChunkDays = 365;

    /// <summary>Days per chunk of a run with checkpoints when none is given: a crash loses at most this many days of work per SKU.</summary>
    public const int DefaultCheckpointChunkDays = 30;
    public const int DefaultSkusPerBatch = 250;
    public const int DefaultBatchesInFlight = 4;

    /// <summary>Days per SKU grain call.</summary>
    public int ChunkDays { get; init; } = DefaultChunkDays;

    /// <summary>SKUs per replay grain call (each call fans out to this many SKU grains).</summary>
    public int SkusPerBatch { get; init; } = DefaultSkusPerBatch;

    /// <summary>Batches of SKUs replayed at the same time; each batch sends its chunks in order.</summary>
    public int BatchesInFlight { get; init; } = DefaultBatchesInFlight;

    /// <summary>
    /// Record the run and its progress in the replay grain's state after every batch's chunk (the setups must write
    /// SKU state every chunk), so <see cref="ReplayDriver.ResumeAsync"/> can finish it after a crash.
    /// </summary>
    public bool Checkpoints { get; init; }

    /// <summary>How often the replay grain's progress is polled (when progress is reported).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public void Validate()
    {
        if (ChunkDays < 1)
        {
            throw new ArgumentException($"The chunk size must be at least 1 day (got {ChunkDays}).");
        }

        if (SkusPerBatch < 1 || BatchesInFlight < 1)
        {
            throw new ArgumentException("SkusPerBatch and BatchesInFlight must be at least 1.");
        }
    }
}

/// <summary>The results of a replay run, one per policy, in the order the policies were given.</summary>
public sealed record ReplayOutcome(string RunId, IReadOnlyList<PolicyOutcome> Policies, TimeSpan Elapsed);

public sealed record PolicyOutcome(PolicyRunInput Policy, PolicyReplayResult Result, TimeSpan Elapsed);

/// <summary>
/// Drives one replay through its <see cref="IReplayGrain"/>: the SKUs go in batches, several batches
/// at a time; each batch is sent its chunks of days in order, the first together with the SKUs'
/// setups. Policies run one after the other. The grain's progress is polled and reported.
/// With <see cref="ReplayDriverOptions.Checkpoints"/> the run is recorded and can be finished by
/// <see cref="ResumeAsync"/> after the process driving it died.
/// </summary>
public sealed class ReplayDriver(IGrainFactory grains, ReplayDriverOptions? options = null)
{
    private readonly ReplayDriverOptions _options = options ?? new ReplayDriverOptions();

    public Task<ReplayOutcome> RunAsync(string runId, ReplayInput input, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(runId, input, source: null, progress, cancellationToken);

    /// <summary>
    /// Runs the replay; with checkpoints, <paramref name="source"/> is recorded with the run so a resume can rebuild and check
    /// its input. <paramref name="forecasters"/> go into the run's plan, for silos that build the forecast sources themselves.
    /// </summary>
    public async Task<ReplayOutcome> RunAsync(
        string runId, ReplayInput input, ReplaySource? source, IProgress<ReplayProgress>? progress, CancellationToken cancellationToken, ReplayForecasters? forecasters = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        SkuKeys.CheckRunId(runId);
        _options.Validate();
        if (_options.Checkpoints)
        {
            var writes = input.Policies.SelectMany(p => p.Setups).FirstOrDefault(s => s.StateWrites != StateWrites.EveryChunk);
            if (writes is not null)
            {
                throw new ArgumentException(
                    $"A replay with checkpoints needs SKU state written every chunk, but SKU '{writes.Sku}' writes {writes.StateWrites}.", nameof(input));
            }
        }

        var replay = grains.GetGrain<IReplayGrain>(runId);
        await replay.Begin(new ReplayPlan
        {
            Policies = [.. input.Policies.Select(p => p.Label)],
            Skus = input.Skus.Count,
            Days = input.Days,
            ChunkDays = _options.ChunkDays,
            SkusPerBatch = _options.SkusPerBatch,
            Checkpoints = _options.Checkpoints,
            Source = source,
            Forecasters = forecasters,
        });
        return await DriveAsync(replay, runId, input, null, progress, cancellationToken);
    }

    /// <summary>
    /// Finishes a run recorded with checkpoints: per batch, the chunk of its last checkpoint is sent again (SKU grains
    /// skip the days they have run and return the results of seasons they closed), then the chunks after it. The
    /// options must cut the run as the recorded plan says (chunk days, SKUs per batch) and the input must have the
    /// plan's policies, SKUs and days.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing is recorded for the run, or the input or options do not match it.</exception>
    public async Task<ReplayOutcome> ResumeAsync(string runId, ReplayInput input, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        SkuKeys.CheckRunId(runId);
        _options.Validate();
        var replay = grains.GetGrain<IReplayGrain>(runId);
        var record = await replay.GetRecord()
            ?? throw new InvalidOperationException($"No replay run '{runId}' is recorded (only runs with checkpoints are).");
        var plan = record.Plan;
        var mismatch = new List<string>();
        if (!plan.Policies.SequenceEqual(input.Policies.Select(p => p.Label)))
        {
            mismatch.Add($"policies {string.Join(", ", plan.Policies)} (the input has {string.Join(", ", input.Policies.Select(p => p.Label))})");
        }

        if (plan.Skus != input.Skus.Count || plan.Days != input.Days)
        {
            mismatch.Add($"{plan.Skus} SKUs x {plan.Days} days (the input has {input.Skus.Count} x {input.Days})");
        }

        if (plan.ChunkDays != _options.ChunkDays || plan.SkusPerBatch != _options.SkusPerBatch)
        {
            mismatch.Add($"chunks of {plan.ChunkDays} days and batches of {plan.SkusPerBatch} SKUs (the driver uses {_options.ChunkDays} and {_options.SkusPerBatch})");
        }

        if (mismatch.Count > 0)
        {
            throw new InvalidOperationException($"Run '{runId}' was recorded with " + string.Join("; ", mismatch) + ".");
        }

        record = await replay.Resume();
        return await DriveAsync(replay, runId, input, record.ChunksDone, progress, cancellationToken);
    }

    private async Task<ReplayOutcome> DriveAsync(
        IReplayGrain replay, string runId, ReplayInput input, int[][]? chunksDone, IProgress<ReplayProgress>? progress, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poller = progress is null ? Task.CompletedTask : PollAsync(replay, progress, polling.Token);
        var outcomes = new List<PolicyOutcome>();
        try
        {
            var holidayChunks = SliceHolidays(input);
            var batches = Enumerable.Range(0, (input.Skus.Count + _options.SkusPerBatch - 1) / _options.SkusPerBatch)
                .Select(b => (Start: b * _options.SkusPerBatch, Count: Math.Min(_options.SkusPerBatch, input.Skus.Count - (b * _options.SkusPerBatch))))
                .ToArray();
            for (var p = 0; p < input.Policies.Count; p++)
            {
                var policy = input.Policies[p];
                var done = chunksDone?[p];
                var watch = Stopwatch.StartNew();
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.BatchesInFlight, CancellationToken = cancellationToken };
                await Parallel.ForEachAsync(Enumerable.Range(0, batches.Length), parallel, async (b, token) =>
                {
                    var batch = batches[b];
                    var first = done?[b] ?? 0;
                    if (first > 0)
                    {
                        // the chunk of the last checkpoint again: registers the SKUs and collects results of closed seasons
                        var again = BuildChunk(input, policy.Label, batch.Start, batch.Count, (first - 1) * _options.ChunkDays, holidayChunks[first - 1]);
                        await replay.RunChunk(again with { Batch = b, Resent = true });
                    }

                    for (var c = first; c < holidayChunks.Length; c++)
                    {
                        token.ThrowIfCancellationRequested();
                        var chunk = BuildChunk(input, policy.Label, batch.Start, batch.Count, c * _options.ChunkDays, holidayChunks[c]) with { Batch = b };

                        // the first chunk starts each SKU's season: setup and days in one grain call
                        await replay.RunChunk(c == 0 ? chunk with { Setups = policy.Setups[batch.Start..(batch.Start + batch.Count)] } : chunk);
                    }
                });
                var result = await replay.Finish(policy.Label);
                outcomes.Add(new PolicyOutcome(policy, result, watch.Elapsed));
            }

            // the silos that built forecast sources for the run release them
            await replay.End();
        }
        finally
        {
            await polling.CancelAsync();
            await poller;
        }

        if (progress is not null)
        {
            progress.Report(await replay.GetProgress());
        }

        return new ReplayOutcome(runId, outcomes, total.Elapsed);
    }

    private ChunkBatch BuildChunk(ReplayInput input, string policy, int first, int count, int startDay, int[]? holidays)
    {
        var length = holidays?.Length ?? Math.Min(_options.ChunkDays, input.Days - startDay);
        var chunks = new DemandChunk[count];
        for (var k = 0; k < count; k++)
        {
            var i = first + k;
            chunks[k] = new DemandChunk
            {
                Sku = input.Skus[i].Sku,
                StartDay = startDay,
                Units = Slice(input.Units[i], startDay, length)!,
                DaysToNextHoliday = holidays,
                Price = Slice(input.Price?[i], startDay, length),
                Promo = Slice(input.Promo?[i], startDay, length),
            };
        }

        return new ChunkBatch { Policy = policy, Chunks = chunks };
    }

    /// <summary>The days of one chunk; the array itself (no copy) when the chunk is the whole window.</summary>
    private static T[]? Slice<T>(T[]? days, int start, int length) =>
        days is null ? null : start == 0 && length == days.Length ? days : days.AsSpan(start, length).ToArray();

    /// <summary>The holiday distances cut into chunks (one array per chunk, shared by every SKU); nulls without a calendar.</summary>
    private int[]?[] SliceHolidays(ReplayInput input)
    {
        var count = (input.Days + _options.ChunkDays - 1) / _options.ChunkDays;
        var slices = new int[]?[count];
        for (var c = 0; c < count; c++)
        {
            var start = c * _options.ChunkDays;
            slices[c] = Slice(input.DaysToNextHoliday, start, Math.Min(_options.ChunkDays, input.Days - start));
        }

        return slices;
    }

    private async Task PollAsync(IReplayGrain replay, IProgress<ReplayProgress> progress, CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                progress.Report(await replay.GetProgress());
                await Task.Delay(_options.ProgressInterval, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // the replay is over
        }
    }
}
