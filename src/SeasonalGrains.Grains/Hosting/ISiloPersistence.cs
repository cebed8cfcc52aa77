using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace SeasonalGrains.Grains.Hosting;

/// <summary>
/// Where a silo keeps cluster membership and grain state. <see cref="SiloConfiguration.AddSeasonalGrains"/>
/// calls it once; implementations exist for a single local silo (in memory) and, chosen by configuration,
/// for PostgreSQL (<see cref="SeasonalSiloPersistence"/>).
/// </summary>
public interface ISiloPersistence
{
    /// <summary>Configures cluster membership (and the silo's endpoints).</summary>
    void ConfigureClustering(ISiloBuilder silo, SeasonalGrainsOptions options);

    /// <summary>Registers a grain storage provider under <paramref name="name"/>.</summary>
    void AddGrainStorage(ISiloBuilder silo, string name);

    /// <summary>Registers the reminder service (none by default).</summary>
    void AddReminders(ISiloBuilder silo)
    {
    }
}

/// <summary>One silo on localhost; grain state in this process's memory (<see cref="LocalGrainStorage"/>, lost when the silo stops).</summary>
public sealed class LocalSiloPersistence : ISiloPersistence
{
    public void ConfigureClustering(ISiloBuilder silo, SeasonalGrainsOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
    }

    public void AddGrainStorage(ISiloBuilder silo, string name)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddGrainStorage(name, static (services, _) => new LocalGrainStorage(services.GetRequiredService<DeepCopier>()));
    }
}
