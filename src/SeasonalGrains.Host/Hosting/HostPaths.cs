namespace SeasonalGrains.Host.Hosting;

/// <summary>
/// The paths other parts of the host link to: the API and the dashboard. The rest (the OpenAPI document, its reference
/// page, metrics, the Orleans Dashboard) are mapped once, in <see cref="SeasonalGrains.Host.Api.SkuApi"/>; the health checks in
/// <see cref="SeasonalHostExtensions.MapSeasonalHealth"/>.
/// </summary>
public static class HostPaths
{
    /// <summary>The HTTP API over the live SKU grains.</summary>
    public const string Api = "/api/v1";

    /// <summary>The host's dashboard (embedded static files).</summary>
    public const string Dashboard = "/dashboard";
}
