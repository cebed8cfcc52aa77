namespace SeasonalGrains.Grains.State;

/// <summary>
/// The persisted record of a replay run with checkpoints: its plan and, per policy and batch, the chunks done.
/// Replaced as a whole on every write. Fields are only ever added with new ids; <see cref="Version"/> tells
/// which layout wrote the record.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ReplayState.v1")]
public sealed record ReplayState
{
    public const int CurrentVersion = 1;

    [Id(0)] public int Version { get; init; } = CurrentVersion;

    /// <summary>Null until a run with checkpoints begins.</summary>
    [Id(1)] public ReplayPlan? Plan { get; init; }

    /// <summary>Per policy (plan order), per batch: chunks completed.</summary>
    [Id(2)] public int[][]? ChunksDone { get; init; }

    [Id(3)] public DateTimeOffset StartedAt { get; init; }

    [Id(4)] public DateTimeOffset UpdatedAt { get; init; }
}
