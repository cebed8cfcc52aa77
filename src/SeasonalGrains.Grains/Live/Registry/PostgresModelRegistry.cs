using Npgsql;
using NpgsqlTypes;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>
/// A registry in PostgreSQL (the tables of migration <c>0005_model_registry</c>): versions in
/// <c>seasonal_model_version</c>, their files as bytea in <c>seasonal_model_file</c>, the activation log in
/// <c>seasonal_model_activation</c>. Every change runs in one transaction holding a transaction-level advisory lock
/// (<see cref="LockKey"/>), so concurrent adds and activations from several silos or CLIs apply one after the other.
/// Each silo materialises the versions it serves into its own cache folder.
/// </summary>
public sealed class PostgresModelRegistry(string connectionString, string? cacheRoot = null, TimeProvider? time = null) : ModelRegistry(time)
{
    /// <summary>The advisory lock held by each change (an arbitrary constant of this project, apart from the migrator's).</summary>
    public const long LockKey = 0x5345_4153_4D4F_444C; // "SEASMODL"

    private const string VersionColumns =
        "name, version, fingerprint, added_at, trained_at, dataset_name, dataset_start, train_end_day, validation_start_day, " +
        "training_data_sha256, validation_pinball, validation_mse, validation_mean_wape, validation_coverage, validation_windows, horizon_days";

    private readonly string _cacheRoot = cacheRoot ?? ModelCache.DefaultRoot;

    public override string Description => $"model registry in the {PostgresConnectionStrings.Describe(connectionString)}";

    public override Task<ModelRegistryBook> ReadAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async connection => await ReadBookAsync(connection, null, cancellationToken).ConfigureAwait(false), cancellationToken);

    public override Task<ModelVersionId?> GetActiveAsync(CancellationToken cancellationToken = default) =>
        RunAsync<ModelVersionId?>(async connection =>
        {
            var active = await QueryAsync(
                connection, null, "SELECT name, version FROM seasonal_model_activation WHERE rolled_back_at IS NULL ORDER BY seq DESC LIMIT 1", null,
                reader => new ModelVersionId(reader.GetString(0), reader.GetInt32(1)), cancellationToken).ConfigureAwait(false);
            return active.Count == 0 ? null : active[0];
        }, cancellationToken);

    public override async Task<string> MaterializeAsync(ModelVersionId id, CancellationToken cancellationToken = default)
    {
        var info = (await ReadAsync(cancellationToken).ConfigureAwait(false)).Get(id);
        return await ModelCache.MaterializeAsync(_cacheRoot, info, token => RunAsync<IReadOnlyList<ModelFile>>(
            async connection => await QueryAsync(
                connection,
                null,
                "SELECT file_name, content FROM seasonal_model_file WHERE name = @name AND version = @version ORDER BY file_name",
                p =>
                {
                    p.AddWithValue("name", id.Name);
                    p.AddWithValue("version", id.Version);
                },
                reader => new ModelFile(reader.GetString(0), reader.GetFieldValue<byte[]>(1)),
                token).ConfigureAwait(false),
            token), cancellationToken).ConfigureAwait(false);
    }

    protected override Task<T> ChangeAsync<T>(Func<ModelRegistryBook, T> change, ModelPackage? package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("key", LockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var book = await ReadBookAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var before = book.Versions.Select(v => v.Id).ToHashSet();
            var stored = book.Activations.ToDictionary(a => a.Sequence);
            var result = change(book);
            foreach (var added in Added(before, book, package))
            {
                await InsertVersionAsync(connection, transaction, added, package!.Files, cancellationToken).ConfigureAwait(false);
            }

            foreach (var activation in book.Activations)
            {
                if (!stored.TryGetValue(activation.Sequence, out var old))
                {
                    await ExecuteAsync(connection, transaction, "INSERT INTO seasonal_model_activation (seq, name, version, activated_at, rolled_back_at) VALUES (@seq, @name, @version, @at, @rolledBack)",
                        activation, cancellationToken).ConfigureAwait(false);
                }
                else if (old.RolledBackAt != activation.RolledBackAt)
                {
                    await ExecuteAsync(connection, transaction, "UPDATE seasonal_model_activation SET rolled_back_at = @rolledBack WHERE seq = @seq",
                        activation, cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);
    }

    private static async Task<ModelRegistryBook> ReadBookAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        const string Activations = "SELECT seq, name, version, activated_at, rolled_back_at FROM seasonal_model_activation";
        var versions = await QueryAsync(connection, transaction, $"SELECT {VersionColumns} FROM seasonal_model_version", null, reader => new ModelVersionInfo
        {
            Name = reader.GetString(0),
            Version = reader.GetInt32(1),
            Fingerprint = reader.GetString(2),
            AddedAt = reader.GetFieldValue<DateTimeOffset>(3),
            TrainedAt = reader.GetFieldValue<DateTimeOffset>(4),
            DatasetName = reader.GetString(5),
            DatasetStart = reader.GetFieldValue<DateOnly>(6),
            TrainEndDay = reader.GetInt32(7),
            ValidationStartDay = reader.GetInt32(8),
            TrainingDataSha256 = reader.GetString(9),
            ValidationPinball = reader.IsDBNull(10) ? null : reader.GetDouble(10),
            ValidationMeanSquaredError = reader.IsDBNull(11) ? null : reader.GetDouble(11),
            ValidationMeanWape = reader.IsDBNull(12) ? null : reader.GetDouble(12),
            ValidationCoverage = reader.GetFieldValue<double[]>(13),
            ValidationWindows = reader.GetInt32(14),
            HorizonDays = reader.GetInt32(15),
        }, cancellationToken).ConfigureAwait(false);
        var activations = await QueryAsync(connection, transaction, Activations, null, reader => new ModelActivation
        {
            Sequence = reader.GetInt64(0),
            Name = reader.GetString(1),
            Version = reader.GetInt32(2),
            ActivatedAt = reader.GetFieldValue<DateTimeOffset>(3),
            RolledBackAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        }, cancellationToken).ConfigureAwait(false);
        return new ModelRegistryBook(versions, activations);
    }

    /// <summary>Every row of <paramref name="sql"/>, each made by <paramref name="read"/>.</summary>
    private static async Task<List<T>> QueryAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Action<NpgsqlParameterCollection>? parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        parameters?.Invoke(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static async Task InsertVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ModelVersionInfo v, IReadOnlyList<ModelFile> files, CancellationToken cancellationToken)
    {
        await using (var command = new NpgsqlCommand(
            $"INSERT INTO seasonal_model_version ({VersionColumns}) VALUES (@name, @version, @fingerprint, @added, @trained, @dataset, @start, @trainEnd, @validationStart, @sha, @pinball, @mse, @wape, @coverage, @windows, @horizon)",
            connection, transaction))
        {
            var p = command.Parameters;
            p.AddWithValue("name", v.Name);
            p.AddWithValue("version", v.Version);
            p.AddWithValue("fingerprint", v.Fingerprint);
            p.AddWithValue("added", v.AddedAt);
            p.AddWithValue("trained", v.TrainedAt);
            p.AddWithValue("dataset", v.DatasetName);
            p.AddWithValue("start", v.DatasetStart);
            p.AddWithValue("trainEnd", v.TrainEndDay);
            p.AddWithValue("validationStart", v.ValidationStartDay);
            p.AddWithValue("sha", v.TrainingDataSha256);
            p.Add(new NpgsqlParameter<double?>("pinball", NpgsqlDbType.Double) { TypedValue = v.ValidationPinball });
            p.Add(new NpgsqlParameter<double?>("mse", NpgsqlDbType.Double) { TypedValue = v.ValidationMeanSquaredError });
            p.Add(new NpgsqlParameter<double?>("wape", NpgsqlDbType.Double) { TypedValue = v.ValidationMeanWape });
            p.AddWithValue("coverage", v.ValidationCoverage.ToArray());
            p.AddWithValue("windows", v.ValidationWindows);
            p.AddWithValue("horizon", v.HorizonDays);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var file in files)
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO seasonal_model_file (name, version, file_name, content) VALUES (@name, @version, @file, @content)", connection, transaction);
            command.Parameters.AddWithValue("name", v.Name);
            command.Parameters.AddWithValue("version", v.Version);
            command.Parameters.AddWithValue("file", file.Name);
            command.Parameters.AddWithValue("content", file.Content);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, ModelActivation a, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("seq", a.Sequence);
        command.Parameters.AddWithValue("name", a.Name);
        command.Parameters.AddWithValue("version", a.Version);
        command.Parameters.AddWithValue("at", a.ActivatedAt);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("rolledBack", NpgsqlDbType.TimestampTz) { TypedValue = a.RolledBackAt });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> on a new connection; a database that cannot be used becomes <see cref="ModelRegistryFailure.Unavailable"/>.</summary>
    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw new ModelRegistryException(ModelRegistryFailure.Unavailable, $"the {Description} has no registry tables: run `seasonal db migrate`.", e);
        }
        catch (NpgsqlException e)
        {
            throw new ModelRegistryException(ModelRegistryFailure.Unavailable, $"the {Description} cannot be used: {e.Message}", e);
        }
    }
}
