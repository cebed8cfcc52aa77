using SeasonalGrains.Storage;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// The options of the commands that run a scenario through the grains (<c>replay</c>, <c>compare</c>): the output folder,
/// <c>--force</c>, the days per grain call and where the grains live. Each command lists them among its symbols in its own order.
/// </summary>
internal sealed class GrainRunOptions
{
    public Option<DirectoryInfo?> Out { get; } = CliOptions.Optional<DirectoryInfo?>(
        "--out", "-o", "Output folder (default: runs/<run id>, the run id being <scenario>-<UTC time>-<random>).");

    public Option<bool> Force { get; } = OutputOptions.Force();

    public Option<int?> ChunkDays { get; } = CliOptions.Optional<int?>("--chunk-days", "Days per grain call (default: the scenario's chunkDays, else 365).");

    public StorageSelection Storage { get; } = new(withClustering: true);

    /// <summary>The options' values, checked before any work: at least 1 chunk day, the storage and clustering, and a given <c>--out</c> folder.</summary>
    public GrainRunSettings Resolve(ParseResult parse)
    {
        var chunkDays = parse.GetValue(ChunkDays);
        if (chunkDays is < 1)
        {
            throw new UserInputException($"--chunk-days must be at least 1 (got {chunkDays}).");
        }

        var storage = Storage.Resolve(parse);
        var clustering = Storage.ResolveClustering(parse);
        var force = parse.GetValue(Force);
        var outDir = parse.GetValue(Out)?.FullName;
        if (outDir is not null)
        {
            OutputFolder.Check(outDir, force);
        }

        return new GrainRunSettings(chunkDays, storage, clustering, force, outDir);
    }
}

/// <summary>The checked values of <see cref="GrainRunOptions"/>.</summary>
/// <param name="OutDir">The full path of <c>--out</c>, or null for the run's default folder.</param>
internal sealed record GrainRunSettings(int? ChunkDays, StorageOptions? Storage, ClusteringOptions? Clustering, bool Force, string? OutDir);
