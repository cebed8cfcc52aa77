using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Grains.Live.Registry;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// What every live SKU grain of a silo shares: the options, the clock and business calendar, and the forecaster
/// (one instance, chosen by <see cref="LiveSkuOptions.Forecaster"/>; for <c>lstm</c> the silo's active model version
/// of <see cref="LiveModels"/>, batched over grains, with the baseline <see cref="LiveSkuOptions.FallbackForecaster"/>
/// for the SKUs it cannot serve).
/// </summary>
public sealed class LiveSkuRuntime
{
    private readonly TimeZoneInfo _zone;
    private readonly IForecaster? _history;
    private readonly IForecaster _fallback;

    public LiveSkuRuntime(LiveSkuOptions options, TimeProvider time, IEnumerable<IForecaster> registeredForecasters, LiveModels? models = null)
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
        options.TryChoose(registered, out var choice, out _);
        ForecasterName = choice.Name;
        _history = choice.Forecaster;
        _fallback = options.CreateFallback();
        if (choice.NeedsModel)
        {
            Models = models ?? throw new ArgumentException($"Live:Forecaster '{choice.Name}' needs the silo's live models.", nameof(models));
            TorchRuntime.SetThreads(options.TorchThreads);
        }
    }

    public LiveSkuOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>The name of the forecaster live SKUs use (a forecast made by the fallback names the fallback).</summary>
    public string ForecasterName { get; }

    /// <summary>The silo's LSTM versions, when live SKUs forecast with the LSTM; else null.</summary>
    public LiveModels? Models { get; }

    /// <summary>The model version live SKUs forecast with now; null when they use a history forecaster.</summary>
    public string? ModelVersion => Models?.Active?.Version;

    /// <summary>The challenger live SKUs shadow-forecast with now; null when there is none (or without the LSTM).</summary>
    public string? ChallengerVersion => Models?.Challenger?.Version;

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
    /// A forecast of <paramref name="horizon"/> days from the window's origin; null without history. With the LSTM, the
    /// window's features go through the active model's batcher (one tensor call for many grains); a SKU the model cannot
    /// serve (see <see cref="Unservable"/>) gets the fallback baseline's forecast, which says why. History forecasters read
    /// the last <see cref="LiveSkuOptions.WindowDays"/> days of units.
    /// </summary>
    public Task<LiveForecast?> ForecastAsync(LiveFeatureWindow window, int horizon) => ForecastAsync(window, horizon, null);

    /// <summary>
    /// As <see cref="ForecastAsync(LiveFeatureWindow, int)"/>, with <paramref name="version"/> instead of the active version
    /// when given (the challenger's shadow forecast, through its own batcher).
    /// </summary>
    public async Task<LiveForecast?> ForecastAsync(LiveFeatureWindow window, int horizon, LiveModel? version) =>
        (await ForecastWithSumsAsync(window, horizon, version)).Forecast;

    /// <summary>
    /// As <see cref="ForecastAsync(LiveFeatureWindow, int, LiveModel?)"/>, with the forecast's interval quantiles (the LSTM's
    /// interval head; null otherwise): what a forecast policy's outlook reads totals from at the close. The forecast
    /// that is stored and viewed leaves them out.
    /// </summary>
    public async Task<(LiveForecast? Forecast, double[][]? IntervalQuantiles)> ForecastWithSumsAsync(LiveFeatureWindow window, int horizon, LiveModel? version = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Units.Count == 0)
        {
            return (null, null);
        }

        if (Models is null)
        {
            return (Baseline(_history!, window, horizon, null), null);
        }

        var model = version ?? Models.Active ?? throw new InvalidOperationException("No LSTM model version is loaded on this silo.");
        if (Unservable(model, window, horizon) is { } reason)
        {
            return (Baseline(_fallback, window, horizon, reason), null);
        }

        var lstm = model.Model;
        var n = window.Units.Count;
        var dataset = window.ToDataset(lstm.Horizon, lstm.Schema.EventColumns);
        var output = await model.Batcher.SubmitAsync(lstm.BuildWindow(dataset, 0, n));
        var levels = Options.QuantileLevels;
        var forecast = LstmForecaster.FromOutput(lstm, output, 0, n, horizon, levels);
        return (ToLive(forecast, window.Origin, ForecasterName, levels, n, modelVersion: model.Version), forecast.IntervalQuantiles);
    }

    /// <summary>Why <paramref name="model"/> cannot forecast this SKU, or null: a category it was not trained on, less history than its window, or a longer horizon than its own.</summary>
    public static string? Unservable(LiveModel model, LiveFeatureWindow window, int horizon)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(window);
        var schema = model.Model.Schema;
        if (schema.CategoryIndex(window.Category) == 0)
        {
            var known = schema.Categories.Skip(1).ToList();
            var list = string.Join(", ", known.Take(10)) + (known.Count > 10 ? $", ... ({known.Count} in all)" : "");
            return $"the model {model.Version} was not trained on category '{window.Category}' (its categories: {list})";
        }

        if (window.Units.Count < schema.Window)
        {
            return $"the SKU has {window.Units.Count} days of history; the model {model.Version} reads {schema.Window}";
        }

        if (horizon > schema.Horizon)
        {
            return $"the model {model.Version} forecasts {schema.Horizon} days; {horizon} were asked for";
        }

        return null;
    }

    /// <summary>A history forecaster's forecast from the last <see cref="LiveSkuOptions.WindowDays"/> days of units.</summary>
    private LiveForecast Baseline(IForecaster forecaster, LiveFeatureWindow window, int horizon, string? fallbackReason)
    {
        var all = window.Units;
        var n = Math.Min(all.Count, LiveSkuOptions.WindowDays);
        var start = window.Origin;

        // One SKU's series: its history, then the forecast days (unknown units) so that forecasters which
        // read known-future covariates find the horizon inside the dataset.
        var units = new double[n + horizon];
        for (var t = 0; t < units.Length; t++)
        {
            units[t] = t < n ? all[all.Count - n + t] : double.NaN;
        }

        var first = start.AddDays(-n);
        var dataset = new Dataset(
            new DatasetInfo("live-" + window.Sku, "live", "", first, start.AddDays(horizon - 1)),
            first,
            units.Length,
            [new SkuInfo(window.Sku, "", "", 0, 0, 0, 0)],
            [new SkuSeries(window.Sku, units)]);
        var levels = Options.QuantileLevels;
        var result = forecaster.Forecast(new ForecastRequest(dataset, n, horizon, levels))[0];
        return ToLive(result, start, forecaster.Name, levels, n, fallbackReason: fallbackReason);
    }

    /// <summary>The live record of <paramref name="forecaster"/>'s forecast from <paramref name="start"/>, made from <paramref name="historyDays"/> days of history.</summary>
    private static LiveForecast ToLive(
        SkuForecast forecast, DateOnly start, string forecaster, IReadOnlyList<double> levels, int historyDays, string? modelVersion = null, string? fallbackReason = null) =>
        new()
        {
            Start = start,
            Forecaster = forecaster,
            ModelVersion = modelVersion,
            Levels = [.. levels],
            Mean = forecast.Mean,
            Quantiles = forecast.Quantiles,
            HistoryDays = historyDays,
            FallbackReason = fallbackReason,
        };
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
        services.TryAddSingleton<LiveModels>();
        services.TryAddSingleton(sp => new LiveSkuRuntime(
            sp.GetRequiredService<IOptions<LiveSkuOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetServices<IForecaster>(),
            sp.GetRequiredService<LiveModels>()));
        services.TryAddSingleton<LiveModelRegistry>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LiveModelRegistry>());
        return services;
    }

    /// <summary>
    /// Checks <see cref="LiveSkuOptions"/> with the forecasters registered in the silo's services and, when live SKUs
    /// forecast with the LSTM, loads <see cref="LiveSkuOptions.Model"/> into <see cref="LiveModels"/>: a folder that does
    /// not load, or a model whose horizon is shorter than <see cref="LiveSkuOptions.ForecastHorizonDays"/>, fails the start.
    /// The registry's settings are checked here too (<see cref="LiveModelRegistry"/> serves its active version at the silo's start).
    /// </summary>
    private sealed class LiveSkuOptionsValidator(IEnumerable<IForecaster> registered, LiveModels models, IEnumerable<SeasonalGrainsOptions> silo) : IValidateOptions<LiveSkuOptions>
    {
        public ValidateOptionsResult Validate(string? name, LiveSkuOptions options)
        {
            var errors = options.Validate(registered).Concat(options.Registry?.Validate(silo.FirstOrDefault()?.Storage) ?? []).ToList();
            if (errors.Count == 0 && options.TryChoose(registered, out var choice, out _) && choice.NeedsModel && !string.IsNullOrWhiteSpace(options.Model))
            {
                errors = LoadModel(options);
            }

            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }

        private List<string> LoadModel(LiveSkuOptions options)
        {
            var errors = new List<string>();
            try
            {
                if (models.Active is null)
                {
                    models.Activate(options.Model!);
                }
            }
            catch (LiveModelException e)
            {
                errors.Add($"{LiveSkuOptions.Section}:{nameof(LiveSkuOptions.Model)}: {e.Message}");
                return errors;
            }

            var horizon = models.Active!.Model.Horizon;
            if (options.ForecastHorizonDays > horizon)
            {
                errors.Add($"{LiveSkuOptions.Section}:{nameof(LiveSkuOptions.ForecastHorizonDays)} is {options.ForecastHorizonDays}, but the model {models.Active.Version} forecasts {horizon} days.");
            }

            return errors;
        }
    }
}
