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
    /// Runs one chunk for each SKU of the batch; returns when all are done. A batch that carries
    /// setups (the first chunk of each SKU) configures each SKU with its setup first, in the same grain call.
    /// </summary>
    [Alias("RunChunk")]
    Task RunChunk(ChunkBatch batch);

    /// <summary>The policy's aggregate and per-SKU results; fails unless every configured SKU has closed.</summary>
    [Alias("Finish")]
    Task<PolicyReplayResult> Finish(string policy);

    [Alias("GetProgress")]
    Task<ReplayProgress> GetProgress();
}

/// <summary>The policies of a run and its size: each policy replays <see cref="Skus"/> SKUs over <see cref="Days"/> days.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ReplayPlan")]
public sealed record ReplayPlan
{
    [Id(0)] public required string[] Policies { get; init; }

    [Id(1)] public int Skus { get; init; }

    [Id(2)] public int Days { get; init; }
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

/// <summary>A policy's results over all SKUs of a run: the summed totals and each SKU's result.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.PolicyReplayResult")]
public sealed record PolicyReplayResult
{
    [Id(0)] public required string Policy { get; init; }

    [Id(1)] public required SkuMetrics Total { get; init; }

    [Id(2)] public required SkuResult[] Skus { get; init; }
}
