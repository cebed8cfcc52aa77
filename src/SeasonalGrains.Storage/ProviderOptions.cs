namespace SeasonalGrains.Storage;

/// <summary>
/// The options of a configuration section that chooses a built-in provider or <c>postgres</c>: the provider, the Npgsql
/// connection string and its pool limit (<see cref="StorageOptions"/>, <see cref="ClusteringOptions"/>).
/// </summary>
public abstract class ProviderOptions
{
    public const string PostgresProvider = ProviderSection.PostgresProvider;

    private readonly string _sectionName;

    private protected ProviderOptions(string sectionName, string builtInProvider)
    {
        _sectionName = sectionName;
        Provider = builtInProvider;
    }

    /// <summary>
    /// The section's built-in provider (the default: <c>memory</c> for storage, lost when the silo stops; <c>localhost</c>
    /// for clustering, one silo on this machine) or <c>postgres</c> (for clustering: the membership table).
    /// </summary>
    public string Provider { get; set; }

    /// <summary>Npgsql connection string; required for <c>postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Maximum Pool Size applied when the connection string sets none.</summary>
    public int MaxPoolSize { get; set; } = PostgresConnectionStrings.DefaultMaxPoolSize;

    /// <summary>True when <see cref="Provider"/> is <c>postgres</c> (case-insensitive).</summary>
    public bool UsesPostgres => ProviderSection.IsPostgres(Provider);

    /// <summary>One message per problem, each naming its key; empty when the options are usable.</summary>
    public abstract IReadOnlyList<string> Validate();

    /// <summary>Throws <see cref="StorageConfigurationException"/> listing every problem.</summary>
    public void EnsureValid() => StorageConfigurationException.ThrowIfAny(Validate());

    /// <summary>The connection string with the pool limit applied (see <see cref="PostgresConnectionStrings.WithPoolLimit"/>).</summary>
    public string GetPooledConnectionString()
    {
        EnsureValid();
        return PostgresConnectionStrings.Pooled(_sectionName, Provider, UsesPostgres, ConnectionString, MaxPoolSize);
    }
}
