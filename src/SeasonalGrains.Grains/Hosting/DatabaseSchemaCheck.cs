using Microsoft.Extensions.Logging;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Grains.Hosting;

/// <summary>The database schema is not the one this build expects; the message says what to do.</summary>
public sealed class DatabaseSchemaException : Exception
{
    public DatabaseSchemaException()
    {
    }

    public DatabaseSchemaException(string message)
        : base(message)
    {
    }

    public DatabaseSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// First step of a silo's start when PostgreSQL is used: the schema version recorded by <see cref="DatabaseMigrator"/>
/// must be this build's latest. An older schema stops the start with a message to run <c>seasonal db migrate</c>
/// (or is migrated, with <c>Storage:MigrateOnStart=true</c>); a newer one always stops it.
/// </summary>
public sealed partial class DatabaseSchemaCheck(IReadOnlyList<string> connectionStrings, bool migrateOnStart, ILogger<DatabaseSchemaCheck> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(DatabaseSchemaCheck), ServiceLifecycleStage.First, CheckAllAsync);
    }

    private async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        foreach (var connectionString in connectionStrings)
        {
            await CheckAsync(connectionString, migrateOnStart, logger, cancellationToken);
        }
    }

    /// <summary>Checks (or migrates) one database; throws <see cref="DatabaseSchemaException"/> when the silo must not start.</summary>
    public static async Task CheckAsync(string connectionString, bool migrate, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var migrator = new DatabaseMigrator();
        var target = Storage.PostgresConnectionStrings.Describe(connectionString);
        try
        {
            if (migrate)
            {
                var result = await migrator.MigrateAsync(connectionString, cancellationToken);
                Log.Migrated(logger, target, result.PreviousVersion, result.CurrentVersion);
                return;
            }

            var applied = await migrator.GetAppliedAsync(connectionString, cancellationToken);
            var version = applied.Count == 0 ? 0 : applied.Max(a => a.Version);
            if (version < migrator.LatestVersion)
            {
                throw new DatabaseSchemaException(
                    $"The {target} has schema version {version}, but this build needs version {migrator.LatestVersion}: " +
                    "run `seasonal db migrate` (or set Storage:MigrateOnStart=true).");
            }

            if (version > migrator.LatestVersion)
            {
                throw new DatabaseSchemaException(
                    $"The {target} has schema version {version}, newer than this build's {migrator.LatestVersion}: use a matching SeasonalGrains build.");
            }

            Log.SchemaCurrent(logger, target, version);
        }
        catch (DatabaseMigrationException e)
        {
            throw new DatabaseSchemaException($"The {target} cannot be used: {e.Message}", e);
        }
        catch (Npgsql.NpgsqlException e)
        {
            throw new DatabaseSchemaException($"The schema of the {target} cannot be read: {e.Message}", e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "The {Target} is at schema version {Version}.")]
        public static partial void SchemaCurrent(ILogger logger, string target, int version);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Storage:MigrateOnStart: migrated the {Target} from schema version {Previous} to {Current}.")]
        public static partial void Migrated(ILogger logger, string target, int previous, int current);
    }
}
