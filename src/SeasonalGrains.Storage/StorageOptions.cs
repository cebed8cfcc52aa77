using Microsoft.Extensions.Configuration;

namespace SeasonalGrains.Storage;

/// <summary>Where grain state and reminders live. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string MemoryProvider = "memory";
    public const string PostgresProvider = ProviderSection.PostgresProvider;

    /// <summary><c>memory</c> (default; lost when the silo stops) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = MemoryProvider;

    /// <summary>Npgsql connection string; required for <c>postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Maximum Pool Size applied when the connection string sets none.</summary>
    public int MaxPoolSize { get; set; } = PostgresConnectionStrings.DefaultMaxPoolSize;

    /// <summary>
    /// When the database schema is older than this build: true migrates it as the silo starts; false (default) stops
    /// the silo with a message asking to run <c>seasonal db migrate</c>.
    /// </summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>True when <see cref="Provider"/> is <c>postgres</c> (case-insensitive).</summary>
    public bool UsesPostgres => ProviderSection.IsPostgres(Provider);

    /// <summary>Reads the <c>Storage</c> section; missing keys keep their defaults.</summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration) =>
        ProviderSection.Bind<StorageOptions>(configuration, SectionName);

    /// <summary>One message per problem, each naming its key; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        ProviderSection.CheckProvider(errors, SectionName, Provider, MemoryProvider);
        ProviderSection.CheckMaxPoolSize(errors, SectionName, MaxPoolSize);
        if (UsesPostgres)
        {
            ProviderSection.CheckConnectionString(errors, $"{SectionName}:ConnectionString", ConnectionString, $"{SectionName}:Provider");
        }

        return errors;
    }

    /// <summary>Throws <see cref="StorageConfigurationException"/> listing every problem.</summary>
    public void EnsureValid() => StorageConfigurationException.ThrowIfAny(Validate());

    /// <summary>The connection string with the pool limit applied (see <see cref="PostgresConnectionStrings.WithPoolLimit"/>).</summary>
    public string GetPooledConnectionString()
    {
        EnsureValid();
        return PostgresConnectionStrings.Pooled(SectionName, Provider, UsesPostgres, ConnectionString, MaxPoolSize);
    }
}
