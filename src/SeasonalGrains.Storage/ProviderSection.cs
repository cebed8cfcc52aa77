using Microsoft.Extensions.Configuration;

namespace SeasonalGrains.Storage;

/// <summary>
/// What the <c>Storage</c> and <c>Clustering</c> sections have in common: a provider that is either built in or
/// <c>postgres</c>, a connection string and a pool limit for <c>postgres</c>, bound from configuration and checked
/// with one message per problem, each naming its key.
/// </summary>
internal static class ProviderSection
{
    public const string PostgresProvider = "postgres";

    /// <summary>The section bound onto new options; missing keys keep their defaults.</summary>
    public static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    /// <summary>True when <paramref name="provider"/> is <c>postgres</c> (case-insensitive).</summary>
    public static bool IsPostgres(string? provider) =>
        string.Equals(provider?.Trim(), PostgresProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reports a provider that is neither <paramref name="builtIn"/> nor <c>postgres</c>.</summary>
    public static void CheckProvider(List<string> errors, string section, string? provider, string builtIn)
    {
        if (!string.Equals(provider?.Trim() ?? string.Empty, builtIn, StringComparison.OrdinalIgnoreCase) && !IsPostgres(provider))
        {
            errors.Add($"{section}:Provider '{provider}' is not supported; use '{builtIn}' or '{PostgresProvider}'.");
        }
    }

    public static void CheckMaxPoolSize(List<string> errors, string section, int maxPoolSize)
    {
        if (maxPoolSize < 1)
        {
            errors.Add($"{section}:MaxPoolSize must be at least 1 (was {maxPoolSize}).");
        }
    }

    /// <summary>With a <c>postgres</c> provider, reports a connection string that is missing or not valid.</summary>
    public static void CheckConnectionString(List<string> errors, string key, string? value, string providerKey)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{key} is required when {providerKey} is '{PostgresProvider}'.");
            return;
        }

        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{key} is not a valid PostgreSQL connection string: {ex.Message}");
        }
    }
}
