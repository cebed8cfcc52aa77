using Microsoft.Extensions.Configuration;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Grains.Hosting;

/// <summary>
/// Silo options from configuration (the host, <c>seasonal serve</c>) or from explicit storage settings (the CLI's
/// embedded silo): one path from <see cref="StorageOptions"/> and <see cref="ClusteringOptions"/> to
/// <see cref="SeasonalGrainsOptions"/>, so every silo is configured the same way.
/// </summary>
public static class SiloSettings
{
    /// <summary>
    /// Reads the <c>Storage</c> and <c>Clustering</c> sections: ids and ports from <c>Clustering</c>, persistence from
    /// both. Throws <see cref="StorageConfigurationException"/> naming every bad key.
    /// </summary>
    public static SeasonalGrainsOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = Bind(() => StorageOptions.FromConfiguration(configuration));
        var clustering = Bind(() => ClusteringOptions.FromConfiguration(configuration));
        return From(storage, clustering);
    }

    /// <summary>
    /// Runs a configuration binding; a value that does not convert (the binder names its key) becomes a
    /// <see cref="StorageConfigurationException"/>.
    /// </summary>
    public static T Bind<T>(Func<T> bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        try
        {
            return bind();
        }
        catch (InvalidOperationException e) when (e.InnerException is ArgumentException or FormatException or OverflowException)
        {
            throw new StorageConfigurationException(e.Message, e);
        }
    }

    /// <summary>Silo options for the given storage and clustering settings (validated; each bad key is named).</summary>
    /// <exception cref="StorageConfigurationException">Either option set is invalid; the message names each bad key.</exception>
    public static SeasonalGrainsOptions From(StorageOptions storage, ClusteringOptions clustering)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(clustering);
        var options = new SeasonalGrainsOptions { Storage = storage, Clustering = clustering };
        StorageConfigurationException.ThrowIfAny(options.Validate());
        return options;
    }
}
