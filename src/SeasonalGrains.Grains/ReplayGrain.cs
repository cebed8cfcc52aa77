using Orleans.Concurrency;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Grains.Hosting;

namespace SeasonalGrains.Grains;

/// <summary>
/// One replay run (key = run id). Fans setups and day chunks out to the run's SKU grains
/// (<c>{runId}/{policy}/{sku}</c>) with a bounded number of calls in flight, collects each SKU's
/// result when its season closes, and sums them per policy. Reentrant: several batches and
/// progress queries interleave; all bookkeeping happens between awaits, on the grain's own turn.
/// </summary>
[Reentrant]
public sealed class ReplayGrain(SeasonalGrainsOptions options) : Grain, IReplayGrain
{
    private readonly SemaphoreSlim _gate = new(options.ReplayCallsInFlight, options.ReplayCallsInFlight);
    private readonly Dictionary<string, PolicyRun> _policies = new(StringComparer.Ordinal);
    private string _runId = "";
    private long _skuDaysDone;
    private long _skuDaysTotal;
    private int _configured;
    private int _closed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _runId = this.GetPrimaryKeyString();
        SkuKeys.CheckRunId(_runId);
        return Task.CompletedTask;
    }

    public Task Begin(ReplayPlan plan)
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

        _policies.Clear();
        foreach (var policy in plan.Policies)
        {
            if (!_policies.TryAdd(policy, new PolicyRun()))
            {
                throw new ArgumentException($"Policy '{policy}' appears twice in the replay.", nameof(plan));
            }

            // fails early on a name that cannot be part of a key
            _ = SkuKeys.Replay(_runId, policy, "x");
        }

        _skuDaysTotal = (long)plan.Policies.Length * plan.Skus * plan.Days;
        _skuDaysDone = 0;
        _configured = 0;
        _closed = 0;
        return Task.CompletedTask;
    }

    public Task Configure(SetupBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Register(PolicyOf(batch.Policy), batch.Policy, batch.Setups);
        return FanOut(batch.Setups, batch.Policy, static s => s.Sku, ConfigureOne, static (_, _) => { });
    }

    public Task RunChunk(ChunkBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var run = PolicyOf(batch.Policy);
        void Done(DemandChunk chunk, SkuResult? result)
        {
            _skuDaysDone += chunk.Units.Length;
            if (result is not null)
            {
                run.Results.Add(result);
                _closed++;
            }
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

    public Task<PolicyReplayResult> Finish(string policy)
    {
        var run = PolicyOf(policy);
        if (run.Results.Count != run.Skus.Count)
        {
            throw new InvalidOperationException(
                $"Policy '{policy}' has {run.Results.Count} closed SKU(s) of {run.Skus.Count} configured; every SKU must run its whole window first.");
        }

        var results = run.Results.OrderBy(r => r.Sku, StringComparer.Ordinal).ToArray();
        var total = InventoryMetrics.Sum(results.Select(r => r.Metrics.ToDomain()));
        return Task.FromResult(new PolicyReplayResult { Policy = policy, Total = total.ToWire(), Skus = results });
    }

    public Task<ReplayProgress> GetProgress() => Task.FromResult(new ReplayProgress
    {
        SkuDaysDone = _skuDaysDone,
        SkuDaysTotal = _skuDaysTotal,
        SkusConfigured = _configured,
        SkusClosed = _closed,
    });

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

    private sealed class PolicyRun
    {
        public HashSet<string> Skus { get; } = new(StringComparer.Ordinal);

        public List<SkuResult> Results { get; } = [];
    }
}
