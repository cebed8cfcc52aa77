using Npgsql;

namespace SeasonalGrains.Storage;

/// <summary>
/// Brings a PostgreSQL database to the schema this build expects: the Orleans query table, grain state,
/// membership and reminders. Idempotent; safe to run from several processes at once.
/// </summary>
/// <remarks>
/// Applied versions are recorded in <c>seasonal_schema_migrations</c> (version, name, checksum, applied_at).
/// A session-level advisory lock serialises concurrent runs; each migration and its history row commit
/// in one transaction. A database that records a version newer than this build knows, or a migration
/// whose text changed after it was applied, is refused with a <see cref="DatabaseMigrationException"/>.
/// </remarks>
public sealed class DatabaseMigrator
{
    /// <summary>The table that records applied migrations.</summary>
    public const string HistoryTable = "seasonal_schema_migrations";

    /// <summary>Key of the advisory lock held while migrating (an arbitrary constant of this project).</summary>
    public const long AdvisoryLockKey = 0x5345_4153_4F4E_414C; // "SEASONAL"

    private readonly Migration[] _migrations;

    /// <summary>A migrator for the migrations embedded in this assembly.</summary>
    public DatabaseMigrator()
        : this(Migration.LoadEmbedded())
    {
    }

    /// <summary>A migrator for the given migrations (versions must be unique).</summary>
    public DatabaseMigrator(IEnumerable<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        _migrations = migrations.OrderBy(m => m.Version).ToArray();
        var duplicate = _migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException(
                $"Migration version {duplicate.Key} is used by {string.Join(" and ", duplicate.Select(m => m.Name))}.",
                nameof(migrations));
        }
    }

    /// <summary>The known migrations, ordered by version.</summary>
    public IReadOnlyList<Migration> Migrations => _migrations;

    /// <summary>The version a fully migrated database has (0 when there are no migrations).</summary>
    public int LatestVersion => _migrations.Length == 0 ? 0 : _migrations[^1].Version;

    /// <summary>Applies every migration the database lacks and returns what was applied.</summary>
    /// <exception cref="DatabaseMigrationException">
    /// The database is newer than this build, an applied migration differs from this build's copy, or a
    /// migration failed (its transaction is rolled back; earlier migrations stay applied).
    /// </exception>
    public async Task<MigrationResult> MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = await OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        await AcquireLockAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            var history = await ReadOrCreateHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
            CheckHistory(history);
            var previousVersion = history.Count == 0 ? 0 : history.Max(h => h.Version);
            var appliedVersions = history.Select(h => h.Version).ToHashSet();

            var applied = new List<AppliedMigration>();
            foreach (var migration in _migrations.Where(m => !appliedVersions.Contains(m.Version)))
            {
                applied.Add(await ApplyAsync(connection, migration, cancellationToken).ConfigureAwait(false));
            }

            var currentVersion = Math.Max(previousVersion, applied.Count == 0 ? 0 : applied[^1].Version);
            return new MigrationResult(previousVersion, currentVersion, applied);
        }
        finally
        {
            await ReleaseLockAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>The migrations recorded in the database (empty when it was never migrated).</summary>
    public async Task<IReadOnlyList<AppliedMigration>> GetAppliedAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = await OpenAsync(connectionString, cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        exists.Parameters.AddWithValue("table", HistoryTable);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return [];
        }

        return await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = new NpgsqlConnection(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new DatabaseMigrationException(
                DatabaseMigrationFailure.InvalidConnectionString,
                $"The connection string is not a valid PostgreSQL connection string: {ex.Message}",
                ex);
        }

        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (NpgsqlException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            var target = new NpgsqlConnectionStringBuilder(connectionString);
            throw new DatabaseMigrationException(
                DatabaseMigrationFailure.ConnectionFailed,
                $"Could not connect to PostgreSQL (host '{target.Host}', port {target.Port}, database '{target.Database ?? target.Username}'): {ex.Message}",
                ex);
        }
    }

    private static async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ReleaseLockAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return; // a broken connection has already released its session lock
        }

        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<List<AppliedMigration>> ReadOrCreateHistoryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureHistoryTableAsync(connection, cancellationToken).ConfigureAwait(false);
            return await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw new DatabaseMigrationException(
                FailureOf(ex),
                $"Could not create or read the migration history table {HistoryTable}: {ex.SqlState} {ex.MessageText}.",
                ex);
        }
    }

    /// <summary>A missing privilege (SQLSTATE 42501) is a settings problem; any other SQL error is a failed script.</summary>
    private static DatabaseMigrationFailure FailureOf(PostgresException ex) =>
        ex.SqlState == PostgresErrorCodes.InsufficientPrivilege ? DatabaseMigrationFailure.PermissionDenied : DatabaseMigrationFailure.ScriptFailed;

    private static async Task EnsureHistoryTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            CREATE TABLE IF NOT EXISTS {HistoryTable} (
                version    integer     NOT NULL,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT {HistoryTable}_pk PRIMARY KEY (version)
            )
            """;
        await using var command = new NpgsqlCommand(Sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<AppliedMigration>> ReadHistoryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT version, name, checksum, applied_at FROM {HistoryTable} ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var history = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            history.Add(new AppliedMigration(
                reader.GetInt32(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return history;
    }

    private void CheckHistory(IReadOnlyList<AppliedMigration> history)
    {
        var newest = history.Count == 0 ? null : history[^1];
        if (newest is not null && newest.Version > LatestVersion)
        {
            throw new DatabaseMigrationException(
                DatabaseMigrationFailure.NewerDatabase,
                $"The database schema is at version {newest.Version} ({newest.Name}), newer than the latest version this build knows " +
                $"({LatestVersion}). Use a SeasonalGrains build that matches the database; this one will not touch it.");
        }

        var known = _migrations.ToDictionary(m => m.Version);
        foreach (var entry in history)
        {
            if (!known.TryGetValue(entry.Version, out var migration))
            {
                throw new DatabaseMigrationException(
                    DatabaseMigrationFailure.HistoryMismatch,
                    $"The database records migration {entry.Version} ({entry.Name}), which this build does not have.");
            }

            if (!string.Equals(migration.Checksum, entry.Checksum, StringComparison.Ordinal))
            {
                throw new DatabaseMigrationException(
                    DatabaseMigrationFailure.HistoryMismatch,
                    $"Migration {migration.Name} was applied with checksum {entry.Checksum}, but this build's copy has checksum " +
                    $"{migration.Checksum}: an applied migration must never change; add a new migration instead.");
            }
        }
    }

    private static async Task<AppliedMigration> ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
            {
                await script.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var record = new NpgsqlCommand(
                $"INSERT INTO {HistoryTable} (version, name, checksum) VALUES (@version, @name, @checksum) RETURNING applied_at",
                connection,
                transaction);
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            var appliedAt = (DateTime)(await record.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new AppliedMigration(migration.Version, migration.Name, migration.Checksum, new DateTimeOffset(appliedAt, TimeSpan.Zero));
        }
        catch (PostgresException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            var where = ex.Position > 0 ? $" at character {ex.Position}" : string.Empty;
            throw new DatabaseMigrationException(
                FailureOf(ex),
                $"Migration {migration.Name} failed and was rolled back: {ex.SqlState} {ex.MessageText}{where}.", ex);
        }
    }
}
