using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using SeasonalGrains.Grains.Forecasting;
using SeasonalGrains.Grains.Live;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Grains.Hosting;

/// <summary>
/// The one place where a silo hosting SeasonalGrains is configured: the host, <c>seasonal serve</c>, the CLI's
/// embedded silo and the tests all call <see cref="AddSeasonalGrains"/>.
/// </summary>
public static class SiloConfiguration
{
    /// <summary>
    /// Adds clustering, grain storage and reminders as <see cref="SeasonalGrainsOptions.Clustering"/> and
    /// <see cref="SeasonalGrainsOptions.Storage"/> say (localhost and memory by default, PostgreSQL through Orleans'
    /// ADO.NET providers, with the schema checked at start), and every service the grains need: the replay forecasts
    /// and the live SKUs (their options bound from the <c>Live</c> section and validated at start).
    /// </summary>
    /// <exception cref="StorageConfigurationException">The options are invalid; the message names every bad key.</exception>
    public static ISiloBuilder AddSeasonalGrains(this ISiloBuilder silo, SeasonalGrainsOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        StorageConfigurationException.ThrowIfAny(options.Validate());

        if (options.PostgresConnectionStrings is { Count: > 0 } targets)
        {
            var migrate = options.Storage.MigrateOnStart;
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => new DatabaseSchemaCheck(
                targets, migrate, services.GetRequiredService<ILogger<DatabaseSchemaCheck>>()));
        }

        silo.UseSeasonalClustering(options.Clustering);
        silo.AddSeasonalGrainStorage(StorageNames.Skus, options.Storage);
        silo.AddSeasonalGrainStorage(StorageNames.Replays, options.Storage);
        silo.AddSeasonalReminders(options.Storage);

        silo.Services.AddSingleton(options);
        silo.Services.AddSingleton(options.Policies);
        silo.Services.AddReplayForecasts();
        silo.Services.AddLiveSkus();
        return silo;
    }
}
