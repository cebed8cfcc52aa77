using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Host.Hosting;

/// <summary>Healthy while this silo is active in its cluster.</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = oracle.CurrentStatus;
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"Silo {oracle.SiloAddress} is active.")
            : HealthCheckResult.Unhealthy($"Silo {oracle.SiloAddress} is {status}."));
    }
}

/// <summary>Healthy when the database answers and records this build's schema version.</summary>
public sealed class DatabaseHealthCheck(string connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var latest = new DatabaseMigrator().LatestVersion;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT max(version) FROM {DatabaseMigrator.HistoryTable}", connection);
            var version = await command.ExecuteScalarAsync(cancellationToken) is int v ? v : 0;
            return version == latest
                ? HealthCheckResult.Healthy($"Schema version {version}.")
                : HealthCheckResult.Unhealthy($"Schema version {version}, this build needs {latest}.");
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("The database does not answer: " + e.Message);
        }
    }
}

/// <summary>The health endpoints' JSON body: overall status and one entry per check.</summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
