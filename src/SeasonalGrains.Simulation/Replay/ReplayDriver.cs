using System.Diagnostics;
using System.Runtime.CompilerServices;

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
    /// Batches read from the source and not yet delivered at most (twice those in flight): a batch is read only when the
    /// results of the batch this many before it were delivered, so a run holds the days of at most this many batches.
    /// </summary>
    public int BatchesHeld => 2 * BatchesInFlight;

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

/// <summary>
/// One policy's results: the summed totals and, unless they went to a <see cref="IReplayResultSink"/> while the run went,
/// every SKU's result (ordinal order of SKU names).
/// </summary>
public sealed record PolicyOutcome(ReplayPolicy Policy, PolicyReplayResult Result, TimeSpan Elapsed);

/// <summary>
/// Drives one replay through its <see cref="IReplayGrain"/>: the SKUs go in batches (in the order of their names),
/// several batches at a time; each batch is read from the <see cref="ReplaySkuSource"/> when its turn comes and sent
/// its chunks of days in order, the first together with the SKUs' setups, then dropped. The SKUs' results come back
/// with the chunk that closes their season and are delivered in name order, batch after batch, with the policy's
/// totals summed as they go. Policies run one after the other. The grain's progress is polled and reported.
/// With <see cref="ReplayDriverOptions.Checkpoints"/> the run is recorded and can be finished by
/// <see cref="ResumeAsync"/> after the process driving it died.
/// </summary>
public sealed class ReplayDriver(IGrainFactory grains, ReplayDriverOptions? options = null)
{
    private readonly ReplayDriverOptions _options = options ?? new ReplayDriverOptions();

    /// <summary>Runs the replay of an input in memory, its results into the outcome.</summary>
    public Task<ReplayOutcome> RunAsync(string runId, ReplayInput input, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_options.Checkpoints)
        {
            CheckWrites(input);
        }

        return RunAsync(runId, ReplaySkuSource.Of(input), source: null, progress, cancellationToken);
    }

    /// <summary>
    /// Runs the replay, reading the SKUs batch by batch from <paramref name="skus"/> (<see cref="ReplaySkuSource.Of"/> for an
    /// input in memory); with checkpoints, <paramref name="source"/> is recorded with the run so a resume can rebuild and
    /// check its input. <paramref name="forecasters"/> go into the run's plan, for silos that build the forecast sources
    /// themselves. Results go to <paramref name="sink"/> as the run goes when given, else into the outcome.
    /// </summary>
    public async Task<ReplayOutcome> RunAsync(
        string runId,
        ReplaySkuSource skus,
        ReplaySource? source,
        IProgress<ReplayProgress>? progress,
        CancellationToken cancellationToken,
        ReplayForecasters? forecasters = null,
        IReplayResultSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(skus);
        SkuKeys.CheckRunId(runId);
        _options.Validate();
        var replay = grains.GetGrain<IReplayGrain>(runId);
        await replay.Begin(new ReplayPlan
        {
            Policies = [.. skus.Policies.Select(p => p.Label)],
            Skus = skus.Skus,
            Days = skus.Days,
            ChunkDays = _options.ChunkDays,
            SkusPerBatch = _options.SkusPerBatch,
            Checkpoints = _options.Checkpoints,
            Source = source,
            Forecasters = forecasters,
        });
        return await DriveAsync(replay, runId, skus, null, progress, sink, cancellationToken);
    }

    /// <summary>
    /// Finishes a run recorded with checkpoints: per batch, the chunk of its last checkpoint is sent again (SKU grains
    /// skip the days they have run and return the results of seasons they closed), then the chunks after it. The
    /// options must cut the run as the recorded plan says (chunk days, SKUs per batch) and the input must have the
    /// plan's policies, SKUs and days.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing is recorded for the run, or the input or options do not match it.</exception>
    public async Task<ReplayOutcome> ResumeAsync(
        string runId, ReplayInput input, IProgress<ReplayProgress>? progress = null, CancellationToken cancellationToken = default, IReplayResultSink? sink = null)
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
        return await DriveAsync(replay, runId, ReplaySkuSource.Of(input), record.ChunksDone, progress, sink, cancellationToken);
    }

    private static void CheckWrites(ReplayInput batch)
    {
        var writes = batch.Policies.SelectMany(p => p.Setups).FirstOrDefault(s => s.StateWrites != StateWrites.EveryChunk);
        if (writes is not null)
        {
            throw new ArgumentException(
                $"A replay with checkpoints needs SKU state written every chunk, but SKU '{writes.Sku}' writes {writes.StateWrites}.", "input");
        }
    }

    private async Task<ReplayOutcome> DriveAsync(
        IReplayGrain replay,
        string runId,
        ReplaySkuSource skus,
        int[][]? chunksDone,
        IProgress<ReplayProgress>? progress,
        IReplayResultSink? sink,
        CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poller = progress is null ? Task.CompletedTask : PollAsync(replay, progress, polling.Token);
        var outcomes = new List<PolicyOutcome>();
        try
        {
            var holidayChunks = SliceHolidays(skus);
            var perBatch = _options.SkusPerBatch;
            var batchCount = (skus.Skus + perBatch - 1) / perBatch;
            for (var p = 0; p < skus.Policies.Count; p++)
            {
                var policy = skus.Policies[p];
                var index = p;
                var done = chunksDone?[p];
                var watch = Stopwatch.StartNew();
                var delivery = new Delivery(policy, _options.BatchesHeld, sink);
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.BatchesInFlight, CancellationToken = cancellationToken };
                await Parallel.ForEachAsync(delivery.Admit(batchCount, cancellationToken), parallel, async (b, token) =>
                {
                    var first = b * perBatch;
                    var closed = await RunBatchAsync(replay, skus.Read(first, Math.Min(perBatch, skus.Skus - first)), index, b, done?[b] ?? 0, holidayChunks, token);
                    delivery.Complete(b, closed);
                });
                var configured = await replay.Finish(policy.Label);
                if (delivery.Delivered != skus.Skus || configured != skus.Skus)
                {
                    throw new InvalidOperationException(
                        $"Policy '{policy.Label}' returned {delivery.Delivered} SKU results and the replay grain counted {configured} SKUs, for {skus.Skus} SKUs replayed.");
                }

                outcomes.Add(new PolicyOutcome(policy, delivery.Result(), watch.Elapsed));
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

    /// <summary>Sends one batch its chunks (from chunk <paramref name="first"/> of a resumed run); the results of the SKUs that closed, in name order.</summary>
    private async Task<(SkuInfo Sku, SkuResult Result)[]> RunBatchAsync(
        IReplayGrain replay, ReplayInput batch, int policyIndex, int b, int first, int[]?[] holidayChunks, CancellationToken token)
    {
        if (_options.Checkpoints)
        {
            CheckWrites(batch);
        }

        var policy = batch.Policies[policyIndex];
        var closed = new List<SkuResult>(batch.Skus.Count);
        if (first > 0)
        {
            // the chunk of the last checkpoint again: registers the SKUs and collects results of closed seasons
            var again = BuildChunk(batch, policy.Label, (first - 1) * _options.ChunkDays, holidayChunks[first - 1]);
            closed.AddRange(await replay.RunChunk(again with { Batch = b, Resent = true }));
        }

        for (var c = first; c < holidayChunks.Length; c++)
        {
            token.ThrowIfCancellationRequested();
            var chunk = BuildChunk(batch, policy.Label, c * _options.ChunkDays, holidayChunks[c]) with { Batch = b };

            // the first chunk starts each SKU's season: setup and days in one grain call
            closed.AddRange(await replay.RunChunk(c == 0 ? chunk with { Setups = policy.Setups } : chunk));
        }

        var info = batch.Skus.ToDictionary(s => s.Sku, StringComparer.Ordinal);
        closed.Sort(static (x, y) => string.CompareOrdinal(x.Sku, y.Sku));
        return [.. closed.Select(r => (info[r.Sku], r))];
    }

    private ChunkBatch BuildChunk(ReplayInput batch, string policy, int startDay, int[]? holidays)
    {
        var length = holidays?.Length ?? Math.Min(_options.ChunkDays, batch.Days - startDay);
        var chunks = new DemandChunk[batch.Skus.Count];
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = new DemandChunk
            {
                Sku = batch.Skus[i].Sku,
                StartDay = startDay,
                Units = Slice(batch.Units[i], startDay, length)!,
                DaysToNextHoliday = holidays,
                Price = Slice(batch.Price?[i], startDay, length),
                Promo = Slice(batch.Promo?[i], startDay, length),
            };
        }

        return new ChunkBatch { Policy = policy, Chunks = chunks };
    }

    /// <summary>The days of one chunk; the array itself (no copy) when the chunk is the whole window.</summary>
    private static T[]? Slice<T>(T[]? days, int start, int length) =>
        days is null ? null : start == 0 && length == days.Length ? days : days.AsSpan(start, length).ToArray();

    /// <summary>The holiday distances cut into chunks (one array per chunk, shared by every SKU); nulls without a calendar.</summary>
    private int[]?[] SliceHolidays(ReplaySkuSource skus)
    {
        var count = (skus.Days + _options.ChunkDays - 1) / _options.ChunkDays;
        var slices = new int[]?[count];
        for (var c = 0; c < count; c++)
        {
            var start = c * _options.ChunkDays;
            slices[c] = Slice(skus.DaysToNextHoliday, start, Math.Min(_options.ChunkDays, skus.Days - start));
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

    /// <summary>
    /// One policy's results on their way out: batches finish in any order and are delivered in batch order (so in name
    /// order), the totals summed in that order; a batch is admitted only while fewer than the window's batches are
    /// admitted and not yet delivered.
    /// </summary>
    private sealed class Delivery(ReplayPolicy policy, int window, IReplayResultSink? sink)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<int, (SkuInfo Sku, SkuResult Result)[]> _finished = [];
        private readonly List<SkuResult>? _kept = sink is null ? [] : null;
        private TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private InventoryMetrics _total = new();
        private int _next;

        public int Delivered { get; private set; }

        public async IAsyncEnumerable<int> Admit(int batches, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var b = 0; b < batches; b++)
            {
                while (true)
                {
                    Task moved;
                    lock (_gate)
                    {
                        if (b - _next < window)
                        {
                            break;
                        }

                        moved = _moved.Task;
                    }

                    await moved.WaitAsync(cancellationToken);
                }

                yield return b;
            }
        }

        public void Complete(int batch, (SkuInfo Sku, SkuResult Result)[] results)
        {
            lock (_gate)
            {
                _finished.Add(batch, results);
                while (_finished.Remove(_next, out var ready))
                {
                    foreach (var (sku, result) in ready)
                    {
                        _total = InventoryMetrics.Add(_total, result.Metrics);
                        if (sink is null)
                        {
                            _kept!.Add(result);
                        }
                        else
                        {
                            sink.Add(policy, sku, result);
                        }
                    }

                    Delivered += ready.Length;
                    _next++;
                }

                _moved.TrySetResult();
                _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public PolicyReplayResult Result() => new() { Policy = policy.Label, Total = _total, Skus = _kept is null ? [] : [.. _kept] };
    }
}
