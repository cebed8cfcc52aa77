namespace SeasonalGrains.Host.Hosting;

/// <summary>The paths a host serves besides static files: the API, its documents, metrics, the dashboards and the health checks.</summary>
public static class HostPaths
{
    /// <summary>The HTTP API over the live SKU grains.</summary>
    public const string Api = "/api/v1";

    /// <summary>The host's dashboard (embedded static files).</summary>
    public const string Dashboard = "/dashboard";

    public const string OpenApi = "/openapi/v1.json";

    /// <summary>The API reference page.</summary>
    public const string Scalar = "/scalar";

    /// <summary>Prometheus metrics.</summary>
    public const string Metrics = "/metrics";

    /// <summary>Where the Orleans Dashboard is served.</summary>
    public const string OrleansDashboard = "/orleans";

    public const string Live = "/health/live";

    public const string Ready = "/health/ready";
}
