using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SeasonalGrains.Abstractions.Live;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// What every live SKU grain of a silo shares: the options, the clock and business calendar, and the
/// forecaster (one instance, chosen by <see cref="LiveSkuOptions.Forecaster"/>).
/// </summary>
public sealed class LiveSkuRuntime
{
    private readonly TimeZoneInfo _zone;

    public LiveSkuRuntime(LiveSkuOptions options, TimeProvider time, IEnumerable<IForecaster> registeredForecasters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(registeredForecasters);
        var registered = registeredForecasters.ToList();
        var errors = options.Validate(registered);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid live SKU options: " + string.Join(" ", errors), nameof(options));
        }

        Options = options;
        Time = time;
        LiveSkuOptions.TryFindTimeZone(options.TimeZone, out _zone);
        Forecaster = options.CreateForecaster(registered, out _)!;
    }

    public LiveSkuOptions Options { get; }

    public TimeProvider Time { get; }

    public IForecaster Forecaster { get; }

    /// <summary>The current business day in the configured time zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Time.GetUtcNow(), _zone).DateTime);

    /// <summary>
    /// Time from now to the SKU's next daily close: the configured time of day in the business time zone,
    /// plus the SKU's share of the spread.
    /// </summary>
    public TimeSpan UntilNextClose(string sku)
    {
        var now = TimeZoneInfo.ConvertTime(Time.GetUtcNow(), _zone);
        var offset = Options.DayCloseSpreadMinutes == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(StableHash(sku) % (uint)(Options.DayCloseSpreadMinutes * 60));
        var next = new DateTimeOffset(now.Date, now.Offset) + Options.DayCloseTime + offset;
        while (next <= now)
        {
            next = next.AddDays(1);
        }

        return next - now;
    }

    /// <summary>FNV-1a of the id's UTF-16 code units: the same in every process, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }

    /// <summary>
    /// A forecast of <paramref name="horizon"/> days from <paramref name="start"/> made from the daily
    /// sales before it (oldest first); null without history.
    /// </summary>
    public LiveForecast? Forecast(string sku, IReadOnlyList<double> history, DateOnly start, int horizon)
    {
        ArgumentNullException.ThrowIfNull(history);
        var n = history.Count;
        if (n == 0)
        {
            return null;
        }

        // One SKU's series: its history, then the forecast days (unknown units) so that forecasters which
        // read known-future covariates find the horizon inside the dataset.
        var units = new double[n + horizon];
        for (var t = 0; t < units.Length; t++)
        {
            units[t] = t < n ? history[t] : double.NaN;
        }

        var first = start.AddDays(-n);
        var dataset = new Dataset(
            new DatasetInfo("live-" + sku, "live", "", first, start.AddDays(horizon - 1)),
            first,
            units.Length,
            [new SkuInfo(sku, "", "", 0, 0, 0, 0)],
            [new SkuSeries(sku, units)]);
        var levels = Options.QuantileLevels;
        var result = Forecaster.Forecast(new ForecastRequest(dataset, n, horizon, levels))[0];
        return new LiveForecast
        {
            Start = start,
            Forecaster = Forecaster.Name,
            Levels = [.. levels],
            Mean = result.Mean,
            Quantiles = result.Quantiles,
            HistoryDays = n,
        };
    }
}

/// <summary>Registration of the live SKU services in a silo.</summary>
public static class LiveSkuServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LiveSkuRuntime"/> with <see cref="LiveSkuOptions"/> bound from the <c>Live</c> section of the
    /// configuration (a <c>Live:QuantileLevels</c> list replaces the default levels rather than adding to them). The
    /// options are validated when the host starts (<see cref="OptionsBuilderExtensions.ValidateOnStart{TOptions}"/>): a bad
    /// setting, such as an unknown <c>Live:Forecaster</c>, stops the start with an <see cref="OptionsValidationException"/>
    /// naming its key and the forecasters it may name. Uses <see cref="TimeProvider.System"/> unless a TimeProvider is registered.
    /// </summary>
    public static IServiceCollection AddLiveSkus(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LiveSkuOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var defaults = options.QuantileLevels;
                options.QuantileLevels = [];
                configuration.GetSection(LiveSkuOptions.Section).Bind(options);
                if (options.QuantileLevels.Length == 0)
                {
                    options.QuantileLevels = defaults;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LiveSkuOptions>, LiveSkuOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new LiveSkuRuntime(
            sp.GetRequiredService<IOptions<LiveSkuOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetServices<IForecaster>()));
        return services;
    }

    /// <summary>Checks <see cref="LiveSkuOptions"/> with the forecasters registered in the silo's services.</summary>
    private sealed class LiveSkuOptionsValidator(IEnumerable<IForecaster> registered) : IValidateOptions<LiveSkuOptions>
    {
        public ValidateOptionsResult Validate(string? name, LiveSkuOptions options)
        {
            var errors = options.Validate(registered);
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
