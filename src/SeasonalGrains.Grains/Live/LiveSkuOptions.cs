using SeasonalGrains.Domain.Naming;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Grains.Live.Registry;

namespace SeasonalGrains.Grains.Live;

/// <summary>Settings of live SKUs (configuration section <see cref="Section"/>).</summary>
public sealed class LiveSkuOptions
{
    public const string Section = "Live";

    /// <summary>Days of sales the baselines forecast from and derived policy parameters are computed from.</summary>
    public const int WindowDays = 28;

    /// <summary>
    /// Most days of history a live SKU keeps (seeded at its definition, then its closed days): what the LSTM's
    /// features read at most, the week around the same weekday up to <see cref="FeatureSchema.SeasonalYears"/> years
    /// of 52 weeks back, up to 35 days further near a moving holiday (3 x 364 + 3 + 35 = 1,130 days).
    /// </summary>
    public const int MaxHistoryDays = (FeatureSchema.SeasonalYears * FeatureSchema.SeasonalLag) + 3 + FeatureSchema.MaxHolidayShift;

    /// <summary>
    /// The forecaster live SKUs ask at each day close: an <c>IForecaster</c> of that name registered in the
    /// silo's services, else a forecaster of <see cref="ForecasterRegistry"/> usable by live SKUs (the
    /// baselines: naive, seasonal-naive, moving-average, ets, croston, tsb, ...). Any other name stops the
    /// host at start.
    /// </summary>
    public string Forecaster { get; set; } = "seasonal-naive";

    /// <summary>
    /// The model folder (made by <c>seasonal train</c>) that <c>lstm</c> loads when the host starts; required when
    /// <see cref="Forecaster"/> is <c>lstm</c>.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// The model registry whose active version <c>lstm</c> serves (<c>Live:Registry:Provider</c>, ...); with one,
    /// <see cref="Model"/> is optional: it serves only while the registry has no active version.
    /// </summary>
    public ModelRegistryOptions Registry { get; set; } = new();

    /// <summary>
    /// libtorch's intra-op threads when live SKUs forecast with the LSTM (process-wide, set at start). One by default:
    /// a day close's batches are small matrix products that gain little from a second thread, and the core it would
    /// take serves the sales posts meanwhile (the load figures in docs/integrators.md compare one and two).
    /// </summary>
    public int TorchThreads { get; set; } = 1;

    /// <summary>
    /// The baseline a SKU forecasts with when the model cannot serve it (a category the model was not trained on,
    /// less history than the model's window, a horizon longer than the model's); the forecast names it and why.
    /// </summary>
    public string FallbackForecaster { get; set; } = "seasonal-naive";

    /// <summary>Days forecast at each day close (at least lead time + review period are always forecast).</summary>
    public int ForecastHorizonDays { get; set; } = 14;

    /// <summary>The quantile levels of forecasts, strictly ascending inside (0, 1).</summary>
    public double[] QuantileLevels { get; set; } = [0.1, 0.5, 0.9];

    /// <summary>
    /// Most event ids a SKU remembers: the ids of its open days and of its last closed day. Beyond it
    /// new events are refused until days close (a retry is only recognised while its id is remembered;
    /// an event for an older day is refused as closed, so it is never applied twice either).
    /// </summary>
    public int MaxEventIds { get; set; } = 20_000;

    /// <summary>Orders (suggestions and their outcomes) each SKU keeps, newest first.</summary>
    public int RecentOrders { get; set; } = 20;

    /// <summary>IANA or Windows id of the time zone whose calendar days are the business days.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Time of day (in <see cref="TimeZone"/>) of the daily close reminder; it closes every open day before the current one.</summary>
    public TimeSpan DayCloseTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>SKUs' reminders are spread over this many minutes after <see cref="DayCloseTime"/> (by a hash of the SKU id).</summary>
    public int DayCloseSpreadMinutes { get; set; } = 10;

    /// <summary>The policies a live SKU may name: the classical ones and the forecast-driven ones.</summary>
    public PolicyCatalog Policies { get; set; } = ForecastPolicyCatalog.All;

    /// <summary>
    /// Every problem, each naming its setting; empty when the options are usable. <paramref name="registered"/>
    /// are the forecasters registered in the silo's services, which <see cref="Forecaster"/> may name too.
    /// </summary>
    public IReadOnlyList<string> Validate(IEnumerable<IForecaster>? registered = null)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Forecaster))
        {
            errors.Add($"{Section}:{nameof(Forecaster)} must name a forecaster.");
        }
        else if (!TryChoose(registered, out var choice, out var error))
        {
            errors.Add($"{Section}:{nameof(Forecaster)}: {error}.");
        }
        else if (choice.NeedsModel && string.IsNullOrWhiteSpace(Model) && Registry is not { Enabled: true })
        {
            errors.Add($"{Section}:{nameof(Model)} must name a model folder for {Section}:{nameof(Forecaster)} '{choice.Name}' (make one with `seasonal train --dataset DIR --out DIR`), or {ModelRegistryOptions.Section}:Provider a model registry.");
        }

        if (ForecasterRegistry.Default.TryResolve(FallbackForecaster ?? "", ForecasterUses.Live, out var fallbackError) is not { } fallback)
        {
            errors.Add($"{Section}:{nameof(FallbackForecaster)}: {fallbackError}.");
        }
        else if (fallback.Needs != ForecasterNeeds.History)
        {
            errors.Add($"{Section}:{nameof(FallbackForecaster)} must be a baseline that needs only the history (got '{fallback.Name}').");
        }

        if (TorchThreads is < 1 or > 256)
        {
            errors.Add($"{Section}:{nameof(TorchThreads)} must be 1-256 (got {TorchThreads}).");
        }

        if (ForecastHorizonDays is < 1 or > 366)
        {
            errors.Add($"{Section}:{nameof(ForecastHorizonDays)} must be 1-366 (got {ForecastHorizonDays}).");
        }

        if (QuantileLevels is null || QuantileLevels.Length == 0)
        {
            errors.Add($"{Section}:{nameof(QuantileLevels)} must hold at least one level.");
        }
        else
        {
            for (var k = 0; k < QuantileLevels.Length; k++)
            {
                if (!(QuantileLevels[k] > 0 && QuantileLevels[k] < 1) || (k > 0 && QuantileLevels[k] <= QuantileLevels[k - 1]))
                {
                    errors.Add($"{Section}:{nameof(QuantileLevels)} must be strictly ascending inside (0, 1).");
                    break;
                }
            }
        }

        if (MaxEventIds < 1)
        {
            errors.Add($"{Section}:{nameof(MaxEventIds)} must be at least 1 (got {MaxEventIds}).");
        }

        if (RecentOrders < 1)
        {
            errors.Add($"{Section}:{nameof(RecentOrders)} must be at least 1 (got {RecentOrders}).");
        }

        if (DayCloseTime < TimeSpan.Zero || DayCloseTime >= TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:{nameof(DayCloseTime)} must be a time of day 00:00-23:59 (got {DayCloseTime}).");
        }

        if (DayCloseSpreadMinutes is < 0 or > 720)
        {
            errors.Add($"{Section}:{nameof(DayCloseSpreadMinutes)} must be 0-720 (got {DayCloseSpreadMinutes}).");
        }

        if (!TryFindTimeZone(TimeZone, out _))
        {
            errors.Add($"{Section}:{nameof(TimeZone)} '{TimeZone}' is not a known time zone.");
        }

        if (Policies is null)
        {
            errors.Add($"{Section}:{nameof(Policies)} must be set.");
        }

        return errors;
    }

    /// <summary>
    /// What <see cref="Forecaster"/> names: the registered instance of that name, else a forecaster of
    /// <see cref="ForecasterRegistry"/> usable by live SKUs (a baseline, made now, or <c>lstm</c>, which runs the
    /// silo's model); false, with the reason and the usable names in <paramref name="error"/>, when neither has it.
    /// </summary>
    internal bool TryChoose(IEnumerable<IForecaster>? registered, out LiveForecasterChoice choice, out string error)
    {
        var instances = registered?.ToList() ?? [];
        choice = default;
        if (RegisteredNames.Find(Forecaster, instances.Select(f => f.Name)) is { } name)
        {
            error = "";
            choice = new LiveForecasterChoice(name, instances.First(f => f.Name == name));
            return true;
        }

        var entry = ForecasterRegistry.Default.TryResolve(Forecaster, ForecasterUses.Live, out error);
        if (entry is null)
        {
            if (instances.Count > 0)
            {
                error += $"; registered in the silo: {string.Join(", ", instances.Select(f => f.Name))}";
            }

            return false;
        }

        choice = entry.Needs == ForecasterNeeds.Model ? new LiveForecasterChoice(entry.Name, null) : new LiveForecasterChoice(entry.Name, entry.Create());
        return true;
    }

    /// <summary>The baseline of <see cref="FallbackForecaster"/> (validated options only).</summary>
    internal IForecaster CreateFallback() => ForecasterRegistry.Default.Resolve(FallbackForecaster, ForecasterUses.Live).Create();

    internal static bool TryFindTimeZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }
}

/// <summary>The forecaster live SKUs run: a history forecaster (<see cref="Forecaster"/>), or, when it is null, the silo's LSTM.</summary>
internal readonly record struct LiveForecasterChoice(string Name, IForecaster? Forecaster)
{
    public bool NeedsModel => Forecaster is null;
}
