namespace SeasonalGrains.Storage;

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
}
