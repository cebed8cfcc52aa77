namespace SeasonalGrains.Storage;

/// <summary>Why a database could not be brought to the schema this build expects.</summary>
public enum DatabaseMigrationFailure
{
    /// <summary>A migration script or the migration bookkeeping failed for a reason not listed below.</summary>
    ScriptFailed,

    /// <summary>The connection string cannot be parsed.</summary>
    InvalidConnectionString,

    /// <summary>The server cannot be reached, or it refused the login.</summary>
    ConnectionFailed,

    /// <summary>The login lacks a privilege the migration needs (SQLSTATE 42501).</summary>
    PermissionDenied,

    /// <summary>The database records a schema version newer than this build knows.</summary>
    NewerDatabase,

    /// <summary>The database records a migration this build does not have, or one whose text has changed since.</summary>
    HistoryMismatch,
}

/// <summary>The database schema cannot be brought to the version this build expects.</summary>
public sealed class DatabaseMigrationException : Exception
{
    public DatabaseMigrationException()
    {
    }

    public DatabaseMigrationException(string message)
        : base(message)
    {
    }

    public DatabaseMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DatabaseMigrationException(DatabaseMigrationFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What went wrong; <see cref="DatabaseMigrationFailure.ScriptFailed"/> unless a more specific cause is known.</summary>
    public DatabaseMigrationFailure Failure { get; } = DatabaseMigrationFailure.ScriptFailed;

    /// <summary>
    /// True when the cause lies in the settings or the database the tool was pointed at (a bad connection string,
    /// an unreachable server, a missing privilege, a database from another build), not in the tool itself.
    /// </summary>
    public bool IsConfigurationProblem => Failure != DatabaseMigrationFailure.ScriptFailed;
}
