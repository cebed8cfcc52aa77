using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using SeasonalGrains.Grains.Forecasting;

namespace SeasonalGrains.Grains.Hosting;

/// <summary>The one place where a silo hosting SeasonalGrains is configured (used by the host and the CLI's embedded silo).</summary>
public static class SiloConfiguration
{
    /// <summary>Adds clustering, grain storage and the services the grains need.</summary>
    public static ISiloBuilder AddSeasonalGrains(this ISiloBuilder silo, SeasonalGrainsOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid silo options: " + string.Join(" ", errors), nameof(options));
        }

        // Clustering and grain storage: localhost + memory by default, PostgreSQL when that persistence is set.
        options.Persistence.ConfigureClustering(silo, options);
        options.Persistence.AddGrainStorage(silo, StorageNames.Skus);
        options.Persistence.AddGrainStorage(silo, StorageNames.Replays);
        options.Persistence.AddReminders(silo);

        silo.Services.AddSingleton(options);
        silo.Services.AddSingleton(options.Policies);
        silo.Services.AddReplayForecasts();
        return silo;
    }
}
