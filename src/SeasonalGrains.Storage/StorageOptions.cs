using Microsoft.Extensions.Configuration;

namespace SeasonalGrains.Storage;

/// <summary>Where grain state and reminders live. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions() : ProviderOptions(SectionName, MemoryProvider)
{
    public const string SectionName = "Storage";
    public const string MemoryProvider = "memory";

    /// <summary>
    /// When the database schema is older than this build: true migrates it as the silo starts; false (default) stops
    /// the silo with a message asking to run <c>seasonal db migrate</c>.
    /// </summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>Reads the <c>Storage</c> section; missing keys keep their defaults.</summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration) =>
        ProviderSection.Bind<StorageOptions>(configuration, SectionName);

    public override IReadOnlyList<string> Validate()
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
}
