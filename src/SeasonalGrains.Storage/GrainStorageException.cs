namespace SeasonalGrains.Storage;

/// <summary>
/// A grain state read, write or clear failed in the database (connection refused, missing table, timeout, ...).
/// Serializable by Orleans, so it reaches callers in other processes with its message intact, unlike the
/// database driver's own exception types. Derives from <see cref="OrleansException"/>, which the grain's state
/// bridge rethrows as it is (other exceptions it wraps in a generic <see cref="OrleansException"/>).
/// The driver's exception is logged on the silo, not carried as an inner exception.
/// </summary>
[GenerateSerializer, Alias("SeasonalGrains.Storage.GrainStorageException")]
public sealed class GrainStorageException : OrleansException
{
    public GrainStorageException()
    {
    }

    public GrainStorageException(string message)
        : base(message)
    {
    }

    public GrainStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The storage provider name, e.g. the one given to <c>[PersistentState]</c>.</summary>
    [Id(0)]
    public string? ProviderName { get; set; }

    /// <summary><c>read</c>, <c>write</c> or <c>clear</c>.</summary>
    [Id(1)]
    public string? Operation { get; set; }

    /// <summary>The grain's state name.</summary>
    [Id(2)]
    public string? StateName { get; set; }

    /// <summary>The grain id, as text.</summary>
    [Id(3)]
    public string? GrainId { get; set; }

    /// <summary>The PostgreSQL SQLSTATE code when the server reported one (e.g. 42P01 for a missing table).</summary>
    [Id(4)]
    public string? SqlState { get; set; }
}
