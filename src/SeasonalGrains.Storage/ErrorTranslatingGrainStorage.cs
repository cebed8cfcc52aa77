using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Storage;

namespace SeasonalGrains.Storage;

/// <summary>
/// Wraps a grain storage so that database failures reach callers as <see cref="GrainStorageException"/>
/// (serializable, with the database's message) instead of driver exceptions that cannot cross the wire.
/// <see cref="InconsistentStateException"/> (an ETag conflict) and all other exceptions pass through unchanged.
/// </summary>
public sealed partial class ErrorTranslatingGrainStorage(string providerName, IGrainStorage inner, ILogger<ErrorTranslatingGrainStorage> logger)
    : IGrainStorage
{
    /// <summary>The wrapped storage.</summary>
    public IGrainStorage Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        try
        {
            await Inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Translate(ex, "read", stateName, grainId);
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        try
        {
            await Inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Translate(ex, "write", stateName, grainId);
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        try
        {
            await Inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Translate(ex, "clear", stateName, grainId);
        }
    }

    /// <summary>
    /// True for failures of the database or its driver: <see cref="DbException"/> (which covers
    /// <see cref="NpgsqlException"/> and <see cref="PostgresException"/>) and <see cref="DataException"/>
    /// (a result set that lacks an expected column), directly or as an inner exception.
    /// </summary>
    public static bool IsDatabaseFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is InconsistentStateException)
            {
                return false;
            }

            if (current is DbException or DataException)
            {
                return true;
            }
        }

        return false;
    }

    private GrainStorageException Translate(Exception ex, string operation, string stateName, GrainId grainId)
    {
        var postgres = FindPostgresException(ex);
        var detail = postgres is null ? FirstDatabaseMessage(ex) : $"{postgres.SqlState}: {postgres.MessageText}";
        var message = $"Grain storage '{providerName}' could not {operation} state '{stateName}' of grain {grainId}: {detail}";
        LogStorageFailure(logger, ex, providerName, operation, stateName, grainId.ToString());
        return new GrainStorageException(message)
        {
            ProviderName = providerName,
            Operation = operation,
            StateName = stateName,
            GrainId = grainId.ToString(),
            SqlState = postgres?.SqlState,
        };
    }

    private static PostgresException? FindPostgresException(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return postgres;
            }
        }

        return null;
    }

    private static string FirstDatabaseMessage(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or DataException)
            {
                var inner = current.InnerException is null ? string.Empty : $" ({current.InnerException.Message})";
                return current.Message + inner;
            }
        }

        return exception.Message;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain storage {ProviderName} failed to {Operation} state {StateName} of grain {GrainId}")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string providerName, string operation, string stateName, string grainId);
}
