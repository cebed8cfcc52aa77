using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace SeasonalGrains.Storage;

/// <summary>
/// The storage pieces the silo configuration (<c>AddSeasonalGrains</c>) composes: grain storage, clustering and reminders
/// of a silo (and clustering of a client) from
/// <see cref="StorageOptions"/> and <see cref="ClusteringOptions"/>: in memory / on localhost, or in
/// PostgreSQL through Orleans' ADO.NET providers (schema from <see cref="DatabaseMigrator"/>).
/// </summary>
public static class SeasonalStorageHostingExtensions
{
    /// <summary>The ADO.NET invariant name of Npgsql, set explicitly on every provider.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>Suffix of the name under which the undecorated ADO.NET grain storage is registered.</summary>
    public const string InnerStorageSuffix = ".adonet";

    /// <summary>
    /// Localhost clustering, or ADO.NET clustering on PostgreSQL with the configured endpoints; sets the
    /// cluster and service ids either way.
    /// </summary>
    public static ISiloBuilder UseSeasonalClustering(this ISiloBuilder builder, ClusteringOptions clustering)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(clustering);
        clustering.EnsureValid();
        if (!clustering.UsesPostgres)
        {
            return builder.UseLocalhostClustering(
                clustering.SiloPort, clustering.GatewayPort, primarySiloEndpoint: null, clustering.ServiceId, clustering.ClusterId);
        }

        var connectionString = clustering.GetPooledConnectionString();
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
        builder.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = clustering.ClusterId;
            options.ServiceId = clustering.ServiceId;
        });
        var advertised = clustering.GetAdvertisedAddress();
        return advertised is null
            ? builder.ConfigureEndpoints(clustering.SiloPort, clustering.GatewayPort)
            : builder.ConfigureEndpoints(
                advertised, clustering.SiloPort, clustering.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
    }

    /// <summary>
    /// Registers grain storage <paramref name="name"/>: in this process's memory (<see cref="LocalGrainStorage"/>), or ADO.NET on PostgreSQL (Npgsql invariant,
    /// Orleans binary serializer so <c>[Alias]</c>/<c>[Id]</c> govern stored state, pool limit applied),
    /// wrapped in <see cref="ErrorTranslatingGrainStorage"/>.
    /// </summary>
    public static ISiloBuilder AddSeasonalGrainStorage(this ISiloBuilder builder, string name, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(storage);
        storage.EnsureValid();
        if (!storage.UsesPostgres)
        {
            builder.Services.AddGrainStorage(name, static (services, _) => new LocalGrainStorage(services.GetRequiredService<DeepCopier>()));
            return builder;
        }

        var connectionString = storage.GetPooledConnectionString();
        var innerName = name + InnerStorageSuffix;
        builder.AddAdoNetGrainStorage(innerName, options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
        builder.Services.AddOptions<AdoNetGrainStorageOptions>(innerName)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer ??= new OrleansGrainStorageSerializer(serializer));
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => new ErrorTranslatingGrainStorage(
            name,
            services.GetRequiredKeyedService<IGrainStorage>(innerName),
            services.GetRequiredService<ILogger<ErrorTranslatingGrainStorage>>()));
        if (string.Equals(name, ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, StringComparison.Ordinal))
        {
            builder.Services.TryAddSingleton(services => services.GetRequiredKeyedService<IGrainStorage>(name));
        }

        return builder;
    }

    /// <summary>In-memory reminders, or the ADO.NET reminder service on PostgreSQL.</summary>
    public static ISiloBuilder AddSeasonalReminders(this ISiloBuilder builder, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(storage);
        storage.EnsureValid();
        if (!storage.UsesPostgres)
        {
            return builder.UseInMemoryReminderService();
        }

        var connectionString = storage.GetPooledConnectionString();
        return builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>Client side of <see cref="UseSeasonalClustering(ISiloBuilder, ClusteringOptions)"/>, read from configuration.</summary>
    public static IClientBuilder UseSeasonalClustering(this IClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.UseSeasonalClustering(ClusteringOptions.FromConfiguration(configuration));
    }

    /// <summary>A client that finds gateways on localhost, or through the PostgreSQL membership table.</summary>
    public static IClientBuilder UseSeasonalClustering(this IClientBuilder builder, ClusteringOptions clustering)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(clustering);
        clustering.EnsureValid();
        if (!clustering.UsesPostgres)
        {
            return builder.UseLocalhostClustering(clustering.GatewayPort, clustering.ServiceId, clustering.ClusterId);
        }

        var connectionString = clustering.GetPooledConnectionString();
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = connectionString;
        });
        return builder.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = clustering.ClusterId;
            options.ServiceId = clustering.ServiceId;
        });
    }
}
