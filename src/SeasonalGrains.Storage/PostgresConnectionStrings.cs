using System.Data.Common;
using Npgsql;

namespace SeasonalGrains.Storage;

/// <summary>Connection string helpers for the Orleans ADO.NET providers.</summary>
public static class PostgresConnectionStrings
{
    /// <summary>
    /// Pool size per silo process used unless the connection string sets one. The storage, clustering and
    /// reminder providers share one pool (same connection string), and several silos must stay under
    /// PostgreSQL's default max_connections of 100.
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    private static readonly string[] PoolSizeKeys = ["maximumpoolsize", "maxpoolsize"];

    /// <summary>
    /// The pooled connection string of a configuration section whose provider is postgres; any other
    /// provider has none, which is a programming error naming the section's key.
    /// </summary>
    internal static string Pooled(string section, string provider, bool usesPostgres, string? connectionString, int maxPoolSize) =>
        usesPostgres && connectionString is not null
            ? WithPoolLimit(connectionString, maxPoolSize)
            : throw new InvalidOperationException($"{section}:Provider is '{provider}', which has no connection string.");

    /// <summary>
    /// Returns <paramref name="connectionString"/> with <c>Maximum Pool Size</c> set to <paramref name="maxPoolSize"/>
    /// unless the string already sets a pool size (the user's choice wins).
    /// </summary>
    /// <exception cref="ArgumentException">The string is not a valid Npgsql connection string.</exception>
    public static string WithPoolLimit(string connectionString, int maxPoolSize = DefaultMaxPoolSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoolSize, 1);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!SetsPoolSize(connectionString))
        {
            builder.MaxPoolSize = maxPoolSize;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Names the target of a connection string for messages, without its password:
    /// <c>database 'sg' on db:5432 as 'app'</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The string is not a valid Npgsql connection string.</exception>
    public static string Describe(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var user = string.IsNullOrEmpty(builder.Username) ? Environment.UserName : builder.Username;
        var host = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host;
        return $"database '{builder.Database ?? user}' on {host}:{builder.Port} as '{user}'";
    }

    /// <summary>True when the connection string sets a maximum pool size under any of Npgsql's spellings.</summary>
    public static bool SetsPoolSize(string connectionString)
    {
        var generic = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in generic.Keys)
        {
            var normalised = key.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            if (PoolSizeKeys.Contains(normalised))
            {
                return true;
            }
        }

        return false;
    }
}
