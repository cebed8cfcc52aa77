using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Grains.Hosting;

/// <summary>Settings of a silo that hosts the SeasonalGrains grains.</summary>
public sealed class SeasonalGrainsOptions
{
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;
    public const int DefaultReplayCallsInFlight = 256;

    public string ClusterId { get; set; } = "seasonalgrains";

    public string ServiceId { get; set; } = "seasonalgrains";

    public int SiloPort { get; set; } = DefaultSiloPort;

    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>How many SKU grain calls one replay grain keeps in flight at most.</summary>
    public int ReplayCallsInFlight { get; set; } = DefaultReplayCallsInFlight;

    /// <summary>The policies SKU grains may name. Defaults to the classical and the forecast-driven policies.</summary>
    public PolicyCatalog Policies { get; set; } = ForecastPolicyCatalog.All;

    /// <summary>
    /// Where cluster membership and grain state live. Defaults to <see cref="LocalSiloPersistence"/>
    /// (localhost clustering, in-memory state); a PostgreSQL implementation replaces it here.
    /// </summary>
    public ISiloPersistence Persistence { get; set; } = new LocalSiloPersistence();

    /// <summary>Every problem, each naming its setting; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            errors.Add($"{nameof(ClusterId)} must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            errors.Add($"{nameof(ServiceId)} must not be empty.");
        }

        if (SiloPort is < 1 or > 65535)
        {
            errors.Add($"{nameof(SiloPort)} must be a TCP port 1-65535 (got {SiloPort}).");
        }

        if (GatewayPort is < 1 or > 65535)
        {
            errors.Add($"{nameof(GatewayPort)} must be a TCP port 1-65535 (got {GatewayPort}).");
        }

        if (ReplayCallsInFlight < 1)
        {
            errors.Add($"{nameof(ReplayCallsInFlight)} must be at least 1 (got {ReplayCallsInFlight}).");
        }

        if (Policies is null)
        {
            errors.Add($"{nameof(Policies)} must be set.");
        }

        if (Persistence is null)
        {
            errors.Add($"{nameof(Persistence)} must be set.");
        }

        return errors;
    }
}
