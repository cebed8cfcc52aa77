using SeasonalGrains.Storage;

namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>The silo's model registry (configuration section <c>Live:Registry</c>).</summary>
public sealed class ModelRegistryOptions
{
    public const string Section = "Live:Registry";
    public const string NoProvider = "none";
    public const string MemoryProvider = StorageOptions.MemoryProvider;
    public const string FolderProvider = "folder";
    public const string PostgresProvider = ProviderOptions.PostgresProvider;

    /// <summary>The folder registry's default folder (relative to the working folder), for the host and the CLI alike.</summary>
    public const string DefaultFolder = "models/registry";

    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>none</c> (default: no registry, <c>Live:Model</c> alone), <c>memory</c>, <c>folder</c> (<see cref="Folder"/>) or
    /// <c>postgres</c> (the database of <c>Storage:ConnectionString</c>, which needs <c>Storage:Provider=postgres</c>).
    /// </summary>
    public string Provider { get; set; } = NoProvider;

    /// <summary>The folder of the <c>folder</c> registry.</summary>
    public string Folder { get; set; } = DefaultFolder;

    /// <summary>Where versions of a memory or PostgreSQL registry are written for loading (default: see <see cref="ModelCache.DefaultRoot"/>).</summary>
    public string? CacheFolder { get; set; }

    /// <summary>How often the silo reads the active version (and switches to it when it changed).</summary>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    public bool Enabled => !string.Equals(Provider?.Trim(), NoProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every problem, each naming its key; <paramref name="storage"/> are the silo's storage settings, when known.</summary>
    public IReadOnlyList<string> Validate(StorageOptions? storage)
    {
        var errors = new List<string>();
        var provider = Provider?.Trim().ToLowerInvariant();
        if (provider is not (NoProvider or MemoryProvider or FolderProvider or PostgresProvider))
        {
            errors.Add($"{Section}:{nameof(Provider)} must be {NoProvider}, {MemoryProvider}, {FolderProvider} or {PostgresProvider} (got '{Provider}').");
        }
        else if (provider == FolderProvider && string.IsNullOrWhiteSpace(Folder))
        {
            errors.Add($"{Section}:{nameof(Folder)} must name the registry folder for {Section}:{nameof(Provider)} {FolderProvider}.");
        }
        else if (provider == PostgresProvider && storage is not { UsesPostgres: true })
        {
            errors.Add($"{Section}:{nameof(Provider)} {PostgresProvider} keeps the registry in the storage database: it needs {StorageOptions.SectionName}:Provider={StorageOptions.PostgresProvider}.");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{Section}:{nameof(PollInterval)} must be above 0 and at most 01:00:00 (got {PollInterval:c}).");
        }

        return errors;
    }

    /// <summary>The registry these (validated) options name; null for <c>none</c>.</summary>
    public ModelRegistry? Create(StorageOptions? storage, TimeProvider? time = null) =>
        Provider.Trim().ToLowerInvariant() switch
        {
            MemoryProvider => new MemoryModelRegistry(CacheFolder, time),
            FolderProvider => new FolderModelRegistry(Folder, time),
            PostgresProvider => new PostgresModelRegistry(storage!.GetPooledConnectionString(), CacheFolder, time),
            _ => null,
        };
}
