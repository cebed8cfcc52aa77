using Orleans.Concurrency;
using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Grains.State;

namespace SeasonalGrains.Grains;

/// <summary>
/// One replay run (key = run id). Fans setups and day chunks out to the run's SKU grains
/// (<c>{runId}/{policy}/{sku}</c>) with a bounded number of calls in flight and hands each SKU's result back
/// with the call that closed its season (the caller keeps and sums them), counting the SKUs closed. Reentrant: several batches and
/// progress queries interleave; all bookkeeping happens between awaits, on the grain's own turn.
/// </summary>
/// <remarks>
/// A run begun with <see cref="ReplayPlan.Checkpoints"/> is recorded in grain state (<see cref="ReplayState"/>):
/// the plan at <see cref="Begin"/>, then after each batch's chunk, once its SKU grains have checkpointed it, the
/// chunks done per batch. Writes are serialised; <see cref="RunChunk"/> returns after its progress is stored, so
/// whatever a caller saw completed survives a crash. <see cref="Resume"/> takes the run up again.
/// </remarks>
[Reentrant]
public sealed class ReplayGrain(
    [PersistentState("replay", StorageNames.Replays)] IPersistentState<ReplayState> state,
    SeasonalGrainsOptions options) : Grain, IReplayGrain
{
    private readonly SemaphoreSlim _gate = new(options.ReplayCallsInFlight, options.ReplayCallsInFlight);
    private readonly SemaphoreSlim _saving = new(1, 1);
    private readonly Dictionary<string, PolicyRun> _policies = new(StringComparer.Ordinal);
    private ReplayPlan? _plan;
    private int[][] _chunksDone = [];
    private DateTimeOffset _startedAt;
    private string _runId = "";
    private long _skuDaysDone;
    private long _skuDaysTotal;
    private int _configured;
    private int _closed;
    private bool _ended;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _runId = this.GetPrimaryKeyString();
        SkuKeys.CheckRunId(_runId);
        return Task.CompletedTask;
    }

    public async Task Begin(ReplayPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Policies.Length == 0)
        {
            throw new ArgumentException("A replay needs at least one policy.", nameof(plan));
        }

        if (plan.Skus < 0 || plan.Days < 0)
        {
            throw new ArgumentException("A replay's SKU and day counts must be 0 or more.", nameof(plan));
        }

        if (plan.Checkpoints && (plan.ChunkDays < 1 || plan.SkusPerBatch < 1))
        {
            throw new ArgumentException(
                $"A replay with checkpoints needs ChunkDays and SkusPerBatch of at least 1 (got {plan.ChunkDays} and {plan.SkusPerBatch}).", nameof(plan));
        }

        Open(plan);
        _chunksDone = plan.Checkpoints ? [.. plan.Policies.Select(_ => new int[BatchCount(plan)])] : [];
        _startedAt = DateTimeOffset.UtcNow;
        if (plan.Checkpoints)
        {
            await Save();
        }
        else if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }
    }

    public Task<ReplayRecord?> GetRecord() =>
        Task.FromResult(state.RecordExists && state.State.Plan is { } plan && state.State.ChunksDone is { } done
            ? new ReplayRecord { RunId = _runId, Plan = plan, ChunksDone = Copy(done), StartedAt = state.State.StartedAt, UpdatedAt = state.State.UpdatedAt }
            : null);

    public async Task<ReplayRecord> Resume()
    {
        var record = await GetRecord()
            ?? throw new InvalidOperationException($"Replay '{_runId}' has no recorded run to resume (only a run begun with checkpoints is recorded).");
        var plan = record.Plan;
        Open(plan);
        _chunksDone = Copy(record.ChunksDone);
        _startedAt = record.StartedAt;
        for (var p = 0; p < _chunksDone.Length; p++)
        {
            for (var b = 0; b < _chunksDone[p].Length; b++)
            {
                var skus = Math.Min(plan.SkusPerBatch, plan.Skus - (b * plan.SkusPerBatch));
                _skuDaysDone += (long)skus * Math.Min((long)_chunksDone[p][b] * plan.ChunkDays, plan.Days);
            }
        }

        return record;
    }

    public Task Configure(SetupBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Register(PolicyOf(batch.Policy), batch.Policy, batch.Setups);
        return FanOut(batch.Setups, batch.Policy, static s => s.Sku, ConfigureOne, static (_, _) => { });
    }

    public async Task<SkuResult[]> RunChunk(ChunkBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var run = PolicyOf(batch.Policy);
        var closed = new List<SkuResult>();
        if (batch.Resent)
        {
            await RunResent(batch, run, closed);
            return [.. closed];
        }

        await RunFresh(batch, run, closed);
        if (_plan is { Checkpoints: true } plan && batch.Chunks.Length > 0)
        {
            var done = _chunksDone[run.Index];
            if (batch.Batch < 0 || batch.Batch >= done.Length)
            {
                throw new ArgumentException($"Batch {batch.Batch} is outside the run's {done.Length} batches.", nameof(batch));
            }

            done[batch.Batch] = Math.Max(done[batch.Batch], (batch.Chunks[0].StartDay / plan.ChunkDays) + 1);
            await Save();
        }

        return [.. closed];
    }

    private Task RunResent(ChunkBatch batch, PolicyRun run, List<SkuResult> closed)
    {
        foreach (var chunk in batch.Chunks)
        {
            if (run.Skus.Add(chunk.Sku))
            {
                _configured++;
            }
        }

        return FanOut(batch.Chunks, batch.Policy, static c => c.Sku, static (grain, chunk) => grain.RunDays(chunk), (_, result) => Collect(run, result, closed));
    }

    private void Collect(PolicyRun run, SkuResult? result, List<SkuResult> closed)
    {
        if (result is not null)
        {
            closed.Add(result);
            run.Closed++;
            _closed++;
        }
    }

    private Task RunFresh(ChunkBatch batch, PolicyRun run, List<SkuResult> closed)
    {
        void Done(DemandChunk chunk, SkuResult? result)
        {
            _skuDaysDone += chunk.Units.Length;
            Collect(run, result, closed);
        }

        if (batch.Setups is { } setups)
        {
            if (setups.Length != batch.Chunks.Length)
            {
                throw new ArgumentException($"The batch has {setups.Length} setups for {batch.Chunks.Length} chunks.", nameof(batch));
            }

            var starts = new (SkuSetup Setup, DemandChunk Chunk)[setups.Length];
            for (var i = 0; i < setups.Length; i++)
            {
                if (!string.Equals(setups[i].Sku, batch.Chunks[i].Sku, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Setup {i} is for SKU '{setups[i].Sku}' but chunk {i} for '{batch.Chunks[i].Sku}'.", nameof(batch));
                }

                starts[i] = (setups[i], batch.Chunks[i]);
            }

            Register(run, batch.Policy, setups);
            return FanOut(starts, batch.Policy, static s => s.Chunk.Sku, static (grain, s) => grain.Start(s.Setup, s.Chunk), (s, result) => Done(s.Chunk, result));
        }

        foreach (var chunk in batch.Chunks)
        {
            if (!run.Skus.Contains(chunk.Sku))
            {
                throw new ArgumentException($"SKU '{chunk.Sku}' has not been configured under policy '{batch.Policy}'.", nameof(batch));
            }
        }

        return FanOut(batch.Chunks, batch.Policy, static c => c.Sku, static (grain, chunk) => grain.RunDays(chunk), Done);
    }

    public Task<int> Finish(string policy)
    {
        var run = PolicyOf(policy);
        if (run.Closed != run.Skus.Count)
        {
            throw new InvalidOperationException(
                $"Policy '{policy}' has {run.Closed} closed SKU(s) of {run.Skus.Count} configured; every SKU must run its whole window first.");
        }

        return Task.FromResult(run.Skus.Count);
    }

    public Task<ReplayForecasters?> GetForecasters() =>
        Task.FromResult(_plan?.Forecasters ?? (state.RecordExists ? state.State.Plan?.Forecasters : null));

    public Task End()
    {
        _ended = true;
        return Task.CompletedTask;
    }

    public Task<bool> HasEnded() => Task.FromResult(_ended);

    public Task<ReplayProgress> GetProgress() => Task.FromResult(new ReplayProgress
    {
        SkuDaysDone = _skuDaysDone,
        SkuDaysTotal = _skuDaysTotal,
        SkusConfigured = _configured,
        SkusClosed = _closed,
    });

    private void Open(ReplayPlan plan)
    {
        _policies.Clear();
        for (var i = 0; i < plan.Policies.Length; i++)
        {
            var policy = plan.Policies[i];
            if (!_policies.TryAdd(policy, new PolicyRun(i)))
            {
                throw new ArgumentException($"Policy '{policy}' appears twice in the replay.", nameof(plan));
            }

            // fails early on a name that cannot be part of a key
            _ = SkuKeys.Replay(_runId, policy, "x");
        }

        _plan = plan;
        _ended = false;
        _skuDaysTotal = (long)plan.Policies.Length * plan.Skus * plan.Days;
        _skuDaysDone = 0;
        _configured = 0;
        _closed = 0;
    }

    private static int BatchCount(ReplayPlan plan) => (plan.Skus + plan.SkusPerBatch - 1) / plan.SkusPerBatch;

    private static int[][] Copy(int[][] done) => [.. done.Select(d => (int[])d.Clone())];

    /// <summary>Stores the plan and progress; one write at a time (batches finish chunks concurrently).</summary>
    private async Task Save()
    {
        await _saving.WaitAsync();
        try
        {
            state.State = new ReplayState { Plan = _plan, ChunksDone = Copy(_chunksDone), StartedAt = _startedAt, UpdatedAt = DateTimeOffset.UtcNow };
            await state.WriteStateAsync();
        }
        finally
        {
            _saving.Release();
        }
    }

    private void Register(PolicyRun run, string policy, SkuSetup[] setups)
    {
        foreach (var setup in setups)
        {
            if (!run.Skus.Add(setup.Sku))
            {
                throw new ArgumentException($"SKU '{setup.Sku}' is configured twice under policy '{policy}'.", nameof(setups));
            }
        }

        _configured += setups.Length;
    }

    private static async Task<bool> ConfigureOne(ISkuGrain grain, SkuSetup setup)
    {
        await grain.Configure(setup);
        return true;
    }

    private PolicyRun PolicyOf(string policy) =>
        _policies.TryGetValue(policy, out var run)
            ? run
            : throw new ArgumentException($"Policy '{policy}' is not part of replay '{_runId}' (call Begin with it first).", nameof(policy));

    private async Task FanOut<TItem, TResult>(
        TItem[] items, string policy, Func<TItem, string> skuOf, Func<ISkuGrain, TItem, Task<TResult>> call, Action<TItem, TResult> done)
    {
        var tasks = new Task[items.Length];
        for (var i = 0; i < tasks.Length; i++)
        {
            var item = items[i];
            tasks[i] = Gated(item, GrainFactory.GetGrain<ISkuGrain>(SkuKeys.Replay(_runId, policy, skuOf(item))), call, done);
        }

        await Task.WhenAll(tasks);
    }

    private async Task Gated<TItem, TResult>(TItem item, ISkuGrain grain, Func<ISkuGrain, TItem, Task<TResult>> call, Action<TItem, TResult> done)
    {
        await _gate.WaitAsync();
        TResult result;
        try
        {
            result = await call(grain, item);
        }
        finally
        {
            _gate.Release();
        }

        done(item, result);
    }

    private sealed class PolicyRun(int index)
    {
        /// <summary>The policy's position in the plan.</summary>
        public int Index { get; } = index;

        public HashSet<string> Skus { get; } = new(StringComparer.Ordinal);

        /// <summary>SKUs whose result was handed back.</summary>
        public int Closed { get; set; }
    }
}
