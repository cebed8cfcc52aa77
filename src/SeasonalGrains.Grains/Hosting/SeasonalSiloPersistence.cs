using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Grains.Hosting;

/// <summary>
/// Membership and grain state as <see cref="StorageOptions"/> and <see cref="ClusteringOptions"/> say: grain state
/// in this process's memory (<see cref="LocalGrainStorage"/>) or in PostgreSQL, membership on localhost or in
/// PostgreSQL. Whenever PostgreSQL is used, the silo checks at start that the database schema is the one this
/// build expects (<see cref="DatabaseSchemaCheck"/>). Cluster and service ids and the ports come from
/// <see cref="SeasonalGrainsOptions"/> (<see cref="SiloSettings"/> copies them from the <c>Clustering</c> section).
/// </summary>
public sealed class SeasonalSiloPersistence : ISiloPersistence
{
    private readonly StorageOptions _storage;
    private readonly ClusteringOptions _clustering;

    /// <exception cref="StorageConfigurationException">Either option set is invalid; the message names each bad key.</exception>
    public SeasonalSiloPersistence(StorageOptions storage, ClusteringOptions clustering)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(clustering);
        var errors = storage.Validate().Concat(clustering.Validate()).ToList();
        if (errors.Count > 0)
        {
            throw new StorageConfigurationException(errors);
        }

        _storage = storage;
        _clustering = clustering;
    }

    public StorageOptions Storage => _storage;

    public ClusteringOptions Clustering => _clustering;

    /// <summary>The distinct PostgreSQL connection strings in use (storage, clustering), pool limits applied.</summary>
    public IReadOnlyList<string> PostgresConnectionStrings
    {
        get
        {
            var strings = new List<string>();
            if (_storage.UsesPostgres)
            {
                strings.Add(_storage.GetPooledConnectionString());
            }

            if (_clustering.UsesPostgres && !strings.Contains(_clustering.GetPooledConnectionString(), StringComparer.Ordinal))
            {
                strings.Add(_clustering.GetPooledConnectionString());
            }

            return strings;
        }
    }

    public void ConfigureClustering(ISiloBuilder silo, SeasonalGrainsOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (PostgresConnectionStrings.Count > 0)
        {
            var targets = PostgresConnectionStrings;
            var migrate = _storage.MigrateOnStart;
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => new DatabaseSchemaCheck(
                targets, migrate, services.GetRequiredService<ILogger<DatabaseSchemaCheck>>()));
        }

        if (!_clustering.UsesPostgres)
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            return;
        }

        silo.UseSeasonalClustering(new ClusteringOptions
        {
            Provider = ClusteringOptions.PostgresProvider,
            ConnectionString = _clustering.ConnectionString,
            MaxPoolSize = _clustering.MaxPoolSize,
            AdvertisedAddress = _clustering.AdvertisedAddress,
            ClusterId = options.ClusterId,
            ServiceId = options.ServiceId,
            SiloPort = options.SiloPort,
            GatewayPort = options.GatewayPort,
        });
    }

    public void AddGrainStorage(ISiloBuilder silo, string name)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (_storage.UsesPostgres)
        {
            silo.AddSeasonalGrainStorage(name, _storage);
        }
        else
        {
            silo.Services.AddGrainStorage(name, static (services, _) => new LocalGrainStorage(services.GetRequiredService<DeepCopier>()));
        }
    }

    public void AddReminders(ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddSeasonalReminders(_storage);
    }
}
