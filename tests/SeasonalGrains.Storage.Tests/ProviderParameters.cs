using System.Data;
using Npgsql;

namespace SeasonalGrains.Storage.Tests;

/// <summary>
/// Binds parameters the way Orleans' ADO.NET providers do: bare names, an explicit DbType taken from the
/// CLR type (int -> Int32, long -> Int64, string -> String, byte[] -> Binary, DateTime -> DateTime),
/// and DBNull for null values, still typed.
/// </summary>
internal static class ProviderParameters
{
    public static NpgsqlParameter Int(string name, int? value) => Create(name, value, DbType.Int32);

    public static NpgsqlParameter Long(string name, long value) => Create(name, value, DbType.Int64);

    public static NpgsqlParameter Text(string name, string? value) => Create(name, value, DbType.String);

    public static NpgsqlParameter Bytes(string name, byte[]? value) => Create(name, value, DbType.Binary);

    public static NpgsqlParameter Time(string name, DateTime value) => Create(name, value, DbType.DateTime);

    public static async Task<string> QueryTextAsync(NpgsqlConnection connection, string key)
    {
        await using var command = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key", connection);
        command.Parameters.AddWithValue("key", key);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs the named query with the given parameters and returns all rows as column-name -> value maps.</summary>
    public static async Task<List<Dictionary<string, object?>>> RunAsync(
        NpgsqlConnection connection, string key, params NpgsqlParameter[] parameters)
    {
        var text = await QueryTextAsync(connection, key);
        await using var command = new NpgsqlCommand(text, connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Create(string name, object? value, DbType type) =>
        new() { ParameterName = name, DbType = type, Value = value ?? DBNull.Value };
}
