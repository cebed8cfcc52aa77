using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Grains.Live.Export;

/// <summary>
/// Reads the stored state of live SKUs, the shop's calendar, the regions' weather and the shadow scores straight from the
/// grain state table of a PostgreSQL database (<c>orleans_grain_state</c>, migration 0002), with the host stopped or
/// running: rows of one service id, by state name, their payload decoded with Orleans' binary serializer as the silos
/// wrote it (the state records' <c>[Alias]</c> and <c>[Id]</c> govern it). Reads see the last state each grain stored.
/// </summary>
public sealed class LiveStateReader(string connectionString, string serviceId) : IDisposable
{
    /// <summary>The state names of the live grains (their <c>[PersistentState]</c> names).</summary>
    public const string SkuStateName = "live-sku";

    public const string DaysStateName = "live-days";

    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(LiveSkuState).Assembly).AddAssembly(typeof(LiveSkuDefinition).Assembly))
        .BuildServiceProvider();

    /// <summary>Where the rows are read, for messages ("the database seasonal on localhost:5432, service id seasonalgrains").</summary>
    public string Description => $"{PostgresConnectionStrings.Describe(connectionString)}, service id {serviceId}";

    /// <summary>Every live SKU's stored state (defined ones only), by SKU.</summary>
    public async Task<SortedDictionary<string, LiveSkuState>> ReadSkusAsync(CancellationToken cancellationToken = default)
    {
        var skus = new SortedDictionary<string, LiveSkuState>(StringComparer.Ordinal);
        foreach (var (key, state) in await ReadAsync<LiveSkuState>(SkuStateName, cancellationToken).ConfigureAwait(false))
        {
            if (SkuKeys.IsLive(key) && state.Definition is not null && state.Ledger is not null)
            {
                skus[key[(SkuKeys.LiveScope.Length + 1)..]] = state;
            }
        }

        return skus;
    }

    /// <summary>The shop's calendar and each region's weather, by grain key (<c>calendar</c>, <c>weather/{region}</c>).</summary>
    public async Task<Dictionary<string, LiveDaysState>> ReadDaysAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync<LiveDaysState>(DaysStateName, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Key, r => r.State, StringComparer.Ordinal);

    /// <summary>The summaries of every shard of the shadow scores.</summary>
    public async Task<List<ShadowSummary>> ReadShadowSummariesAsync(CancellationToken cancellationToken = default) =>
        [.. (await ReadAsync<ShadowScoresState>(ShadowScoresGrain.StateName, cancellationToken).ConfigureAwait(false)).SelectMany(r => r.State.Summaries)];

    public void Dispose() => _services.Dispose();

    private async Task<List<(string Key, T State)>> ReadAsync<T>(string stateName, CancellationToken cancellationToken)
        where T : class
    {
        var serializer = _services.GetRequiredService<Serializer>();
        var rows = new List<(string, T)>();
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(
                "SELECT grain_id_extension, payload FROM orleans_grain_state WHERE service_id = @service AND grain_type = @type AND payload IS NOT NULL ORDER BY grain_id_extension",
                connection);
            command.Parameters.AddWithValue("service", serviceId);
            command.Parameters.AddWithValue("type", stateName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.IsDBNull(0) ? "" : reader.GetString(0);
                var payload = reader.GetFieldValue<byte[]>(1);
                T? state;
                try
                {
                    state = serializer.Deserialize<T>(payload);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new LiveExportException($"the stored state '{stateName}' of '{key}' in the {Description} cannot be read by this build: {e.Message}", e);
                }

                if (state is not null)
                {
                    rows.Add((key, state));
                }
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            throw new LiveExportException($"the {Description} has no grain state table: run `seasonal db migrate` (and let live SKUs run on it).", e);
        }
        catch (NpgsqlException e)
        {
            throw new LiveExportException($"the {Description} cannot be read: {e.Message}", e);
        }

        return rows;
    }
}

/// <summary>Live history that cannot be read or exported; the message says why.</summary>
public sealed class LiveExportException(string message, Exception? inner = null) : Exception(message, inner);
