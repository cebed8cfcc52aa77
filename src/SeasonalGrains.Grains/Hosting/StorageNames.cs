namespace SeasonalGrains.Grains.Hosting;

/// <summary>Names of the grain storage providers, shared by the grains and every silo configuration.</summary>
public static class StorageNames
{
    /// <summary>The state of SKU grains (replay checkpoints and live SKUs).</summary>
    public const string Skus = "skus";

    /// <summary>The state of replay grains (a checkpointed run's record and progress).</summary>
    public const string Replays = "replays";
}
