using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Configuration;
using Orleans.Dashboard;
using SeasonalGrains.Grains.Hosting;

namespace SeasonalGrains.Host.Hosting;

/// <summary>The host's wiring: the silo from configuration and its health endpoints.</summary>
public static class SeasonalHostExtensions
{
    /// <summary>Configuration section bound to Orleans' membership options (probe timeout, missed probes, ...).</summary>
    public const string MembershipSection = "Clustering:Membership";

    /// <summary>Configuration section bound to the Orleans Dashboard's options (<c>HideTrace</c>, <c>CounterUpdateIntervalMs</c>, <c>HistoryLength</c>).</summary>
    public const string DashboardSection = "Dashboard";

    private const string LiveTag = "live";
    private const string ReadyTag = "ready";

    /// <summary>
    /// Adds the silo: storage and clustering from the <c>Storage</c> and <c>Clustering</c> sections (validated now:
    /// a <see cref="Storage.StorageConfigurationException"/> names every bad key), membership tuning from
    /// <see cref="MembershipSection"/>, the Orleans Dashboard (<see cref="DashboardSection"/>), and the health checks. With PostgreSQL the silo refuses to start on an
    /// unmigrated database (see <see cref="DatabaseSchemaCheck"/>).
    /// </summary>
    public static IHostApplicationBuilder AddSeasonalGrains(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = SiloSettings.FromConfiguration(builder.Configuration);

        var membership = builder.Configuration.GetSection(MembershipSection);
        _ = SiloSettings.Bind(() => membership.Get<ClusterMembershipOptions>()); // a bad value fails now, naming its key
        builder.Services.AddOptions<ClusterMembershipOptions>().Configure(FastFailover).BindConfiguration(MembershipSection);
        var health = builder.Services.AddHealthChecks()
            .AddCheck("process", static () => HealthCheckResult.Healthy(), tags: [LiveTag])
            .AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag]);
        foreach (var (connectionString, i) in options.PostgresConnectionStrings.Select((c, i) => (c, i)))
        {
            health.AddTypeActivatedCheck<DatabaseHealthCheck>(
                i == 0 ? "database" : $"database-{i + 1}", failureStatus: null, tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5), connectionString);
        }

        // the Orleans Dashboard for operators (silos, grain activations, calls, reminders), on every host silo; its live
        // log stream is off unless Dashboard:HideTrace=false, since reads of the host are open by default
        builder.UseOrleans(silo => silo.AddSeasonalGrains(options).AddDashboard(dashboard =>
        {
            dashboard.HideTrace = true;
            builder.Configuration.GetSection(DashboardSection).Bind(dashboard);
        }));
        return builder;
    }

    /// <summary>
    /// Membership defaults for fast failover on loopback and a LAN, set before <see cref="MembershipSection"/> is bound
    /// over them: a silo is probed every second (Orleans: 5 s) and suspected after 3 missed probes (as Orleans; fewer
    /// risk a false death on a busy machine), so a dead silo is declared within about 2-5 s (Orleans' defaults: about
    /// 15 s) and its grains answer again from the survivors; death votes expire after 30 s (Orleans: 2 min) and the
    /// membership table is read every 5 s (Orleans: 60 s).
    /// </summary>
    public static void FastFailover(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 3;
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
        options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the silo is active in its cluster and, with
    /// PostgreSQL, the database answers at this build's schema version. Both reply with JSON
    /// (<c>{"status":"Healthy","checks":{"silo":"Healthy",...}}</c>) and 503 when unhealthy.
    /// </summary>
    public static IEndpointRouteBuilder MapSeasonalHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag), ResponseWriter = HealthResponse.WriteAsync });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = HealthResponse.WriteAsync });
        return endpoints;
    }
}
