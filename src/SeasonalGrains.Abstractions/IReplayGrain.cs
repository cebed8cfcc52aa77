using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Abstractions;

/// <summary>
/// One replay run (key = run id): fans SKU setups and day chunks out to the run's SKU grains,
/// collects their results and aggregates them per policy, and reports progress.
/// </summary>
[Alias("SeasonalGrains.IReplayGrain")]
public interface IReplayGrain : IGrainWithStringKey
{
    /// <summary>Declares the run's policies and size (for progress); clears any earlier results of this run.</summary>
    [Alias("Begin")]
    Task Begin(ReplayPlan plan);

    /// <summary>Configures the batch's SKU grains under one policy.</summary>
    [Alias("Configure")]
    Task Configure(SetupBatch batch);

    /// <summary>
    /// Runs one chunk for each SKU of the batch; returns when all are done, with the results of the SKUs whose season
    /// closed in this call (any order), which the caller keeps: the replay grain counts them but holds no SKU's result.
    /// A batch that carries setups (the first chunk of each SKU) configures each SKU with its setup first, in the same
    /// grain call.
    /// </summary>
    [Alias("RunChunk")]
    Task<SkuResult[]> RunChunk(ChunkBatch batch);

    /// <summary>The number of SKUs configured under the policy; fails unless every one of them has closed.</summary>
    [Alias("Finish")]
    Task<int> Finish(string policy);

    [Alias("GetProgress")]
    Task<ReplayProgress> GetProgress();

    /// <summary>The run as recorded in grain state (plan and checkpointed progress); null unless it was begun with checkpoints.</summary>
    [Alias("GetRecord")]
    Task<ReplayRecord?> GetRecord();

    /// <summary>
    /// Takes up a recorded run (after the process that drove it stopped): the plan and progress come back from grain
    /// state; the caller then re-sends, per batch, the chunk of its last checkpoint (marked <see cref="ChunkBatch.Resent"/>)
    /// and the chunks after it. Fails when nothing is recorded for the run.
    /// </summary>
    [Alias("Resume")]
    Task<ReplayRecord> Resume();

    /// <summary>
    /// The forecasters of the run (from its plan, or from grain state for a recorded run), for a silo that builds the
    /// run's forecast sources; null when the run has none or is not known here.
    /// </summary>
    [Alias("GetForecasters")]
    Task<ReplayForecasters?> GetForecasters();

    /// <summary>Marks the run over once its results are read: silos release the forecast sources they built for it.</summary>
    [Alias("End")]
    Task End();

    /// <summary>True once <see cref="End"/> was called in this activation (a run not known here, or still running, answers false).</summary>
    [Alias("HasEnded")]
    Task<bool> HasEnded();
}

/// <summary>The policies of a run and its size: each policy replays <see cref="Skus"/> SKUs over <see cref="Days"/> days.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ReplayPlan")]
public sealed record ReplayPlan
{
    [Id(0)] public required string[] Policies { get; init; }

    [Id(1)] public int Skus { get; init; }

    [Id(2)] public int Days { get; init; }

    /// <summary>Days per chunk (needed with <see cref="Checkpoints"/>: progress is recorded per batch and chunk).</summary>
    [Id(3)] public int ChunkDays { get; init; }

    /// <summary>SKUs per batch (needed with <see cref="Checkpoints"/>); batch b holds SKUs b x SkusPerBatch onwards.</summary>
    [Id(4)] public int SkusPerBatch { get; init; }

    /// <summary>Record the run and, after every batch's chunk, its progress in grain state, so it can resume after a crash.</summary>
    [Id(5)] public bool Checkpoints { get; init; }

    /// <summary>Where the run's input came from, so a resumed run can rebuild and check it; null when not from a scenario file.</summary>
    [Id(6)] public ReplaySource? Source { get; init; }

    /// <summary>The run's forecasters, built from this by each silo a forecast policy's SKU grain activates on; null without forecast policies.</summary>
    [Id(7)] public ReplayForecasters? Forecasters { get; init; }
}

/// <summary>The input of a recorded run: the scenario file, and SHA-256 hashes (hex) of its bytes and of the replayed input.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ReplaySource")]
public sealed record ReplaySource
{
    [Id(0)] public required string ScenarioPath { get; init; }

    [Id(1)] public required string ScenarioSha256 { get; init; }

    /// <summary>Hash of the SKUs' days and setups as replayed (so a changed dataset is noticed too).</summary>
    [Id(2)] public required string InputSha256 { get; init; }
}

/// <summary>A run with checkpoints as recorded in grain state.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ReplayRecord")]
public sealed record ReplayRecord
{
    [Id(0)] public required string RunId { get; init; }

    [Id(1)] public required ReplayPlan Plan { get; init; }

    /// <summary>Per policy (plan order), per batch: the chunks every SKU of the batch has run and checkpointed.</summary>
    [Id(2)] public required int[][] ChunksDone { get; init; }

    [Id(3)] public DateTimeOffset StartedAt { get; init; }

    [Id(4)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Chunks per SKU and policy.</summary>
    public int ChunksPerSku => Plan.ChunkDays > 0 ? (Plan.Days + Plan.ChunkDays - 1) / Plan.ChunkDays : 0;

    /// <summary>Batch chunks checkpointed, over all policies.</summary>
    public long ChunksCompleted => ChunksDone.Sum(p => p.Sum(c => (long)c));

    /// <summary>Batch chunks of the whole run.</summary>
    public long ChunksTotal => ChunksDone.Sum(p => (long)p.Length * ChunksPerSku);
}

[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.SetupBatch")]
public sealed record SetupBatch
{
    [Id(0)] public required string Policy { get; init; }

    [Id(1)] public required SkuSetup[] Setups { get; init; }
}

[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ChunkBatch")]
public sealed record ChunkBatch
{
    [Id(0)] public required string Policy { get; init; }

    [Id(1)] public required DemandChunk[] Chunks { get; init; }

    /// <summary>When given, one setup per chunk (same order): the SKUs start their season with this chunk.</summary>
    [Id(2)] public SkuSetup[]? Setups { get; init; }

    /// <summary>The batch's index within the policy (b = first SKU / SkusPerBatch); a run with checkpoints records progress under it.</summary>
    [Id(3)] public int Batch { get; init; }

    /// <summary>
    /// Chunks sent again when a run resumes: the SKU grains skip days they have already run (returning the result of a
    /// season they closed), the replay grain registers the SKUs without configuring them and counts no days.
    /// </summary>
    [Id(4)] public bool Resent { get; init; }
}

[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ReplayProgress")]
public sealed record ReplayProgress
{
    [Id(0)] public long SkuDaysDone { get; init; }

    [Id(1)] public long SkuDaysTotal { get; init; }

    [Id(2)] public int SkusConfigured { get; init; }

    [Id(3)] public int SkusClosed { get; init; }

    public double Fraction => SkuDaysTotal > 0 ? Math.Min(1, (double)SkuDaysDone / SkuDaysTotal) : 0;
}

/// <summary>A policy's results over all SKUs of a run: the summed totals and each SKU's result (empty when the results were streamed elsewhere).</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.PolicyReplayResult")]
public sealed record PolicyReplayResult
{
    [Id(0)] public required string Policy { get; init; }

    [Id(1)] public required InventoryMetrics Total { get; init; }

    [Id(2)] public required SkuResult[] Skus { get; init; }
}
