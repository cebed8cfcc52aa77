using System.Net;
using Microsoft.Extensions.Configuration;

namespace SeasonalGrains.Storage;

/// <summary>
/// How silos find each other and clients find gateways. Bound from the <c>Clustering</c> section; an empty
/// <see cref="ProviderOptions.ConnectionString"/> falls back to <c>Storage:ConnectionString</c> (<see cref="FromConfiguration"/>).
/// </summary>
public sealed class ClusteringOptions() : ProviderOptions(SectionName, LocalhostProvider)
{
    public const string SectionName = "Clustering";
    public const string LocalhostProvider = "localhost";

    /// <summary>Orleans cluster id (the membership deployment id).</summary>
    public string ClusterId { get; set; } = "seasonalgrains";

    /// <summary>Orleans service id; grain state and reminders are keyed by it, so keep it stable.</summary>
    public string ServiceId { get; set; } = "seasonalgrains";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// IP address other silos and clients use to reach this silo (postgres clustering). Empty: the address
    /// the host name resolves to.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Reads the <c>Clustering</c> section; missing keys keep their defaults, and an empty
    /// <c>Clustering:ConnectionString</c> takes <c>Storage:ConnectionString</c>.
    /// </summary>
    public static ClusteringOptions FromConfiguration(IConfiguration configuration)
    {
        var options = ProviderSection.Bind<ClusteringOptions>(configuration, SectionName);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            options.ConnectionString = configuration[$"{StorageOptions.SectionName}:ConnectionString"];
        }

        return options;
    }

    public override IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        ProviderSection.CheckProvider(errors, SectionName, Provider, LocalhostProvider);
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            errors.Add($"{SectionName}:ClusterId must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            errors.Add($"{SectionName}:ServiceId must not be empty.");
        }

        CheckPort(errors, "SiloPort", SiloPort);
        CheckPort(errors, "GatewayPort", GatewayPort);
        if (SiloPort == GatewayPort)
        {
            errors.Add($"{SectionName}:SiloPort and {SectionName}:GatewayPort must differ (both are {SiloPort}).");
        }

        ProviderSection.CheckMaxPoolSize(errors, SectionName, MaxPoolSize);
        if (!string.IsNullOrWhiteSpace(AdvertisedAddress) && !IPAddress.TryParse(AdvertisedAddress, out _))
        {
            errors.Add($"{SectionName}:AdvertisedAddress '{AdvertisedAddress}' is not an IP address.");
        }

        if (UsesPostgres)
        {
            ProviderSection.CheckConnectionString(errors, $"{SectionName}:ConnectionString", ConnectionString, $"{SectionName}:Provider");
        }

        return errors;
    }

    /// <summary>The parsed <see cref="AdvertisedAddress"/>, or null when none is set.</summary>
    public IPAddress? GetAdvertisedAddress() =>
        string.IsNullOrWhiteSpace(AdvertisedAddress) ? null : IPAddress.Parse(AdvertisedAddress);

    private static void CheckPort(List<string> errors, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{SectionName}:{key} must be between 1 and 65535 (was {port}).");
        }
    }
}
