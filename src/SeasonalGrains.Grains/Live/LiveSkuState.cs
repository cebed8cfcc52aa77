using SeasonalGrains.Grains.State;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// The persisted state of a live SKU, replaced as a whole on every write. Fields are only ever added
/// with new ids.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveSkuState.v1")]
public sealed record LiveSkuState
{
    public const int CurrentVersion = 1;

    [Id(0)] public int Version { get; init; } = CurrentVersion;

    /// <summary>Null until the SKU is defined.</summary>
    [Id(1)] public LiveSkuDefinition? Definition { get; init; }

    [Id(2)] public DateOnly OpenDate { get; init; }

    [Id(3)] public LedgerSnapshot? Ledger { get; init; }

    /// <summary>The last closed days, oldest first.</summary>
    [Id(4)] public LiveDay[] Days { get; init; } = [];

    /// <summary>Sales and receipts booked to days not closed yet.</summary>
    [Id(5)] public PendingDay[] Pending { get; init; } = [];

    /// <summary>The event ids remembered (those of open days and of the last closed day).</summary>
    [Id(6)] public RememberedEvent[] Events { get; init; } = [];

    [Id(7)] public LiveForecast? Forecast { get; init; }

    /// <summary>Recent orders, newest first.</summary>
    [Id(8)] public LiveOrder[] Orders { get; init; } = [];

    [Id(9)] public string? LastCloseWarning { get; init; }

    /// <summary>
    /// Units sold on each day before the open day (the seed history, then the closed days), oldest first, at most
    /// <see cref="LiveSkuOptions.MaxHistoryDays"/>; null in states stored before the whole history was kept.
    /// </summary>
    [Id(10)] public double[]? SalesHistory { get; init; }

    /// <summary>Posted prices and promotions by day, ascending (from <see cref="LiveSkuOptions.MaxHistoryDays"/> before the open day on).</summary>
    [Id(11)] public LivePriceDay[] Prices { get; init; } = [];

    /// <summary>
    /// The closed days that ended out of stock (on hand 0), ascending, within <see cref="LiveSkuOptions.MaxHistoryDays"/> of the
    /// open day; null in states stored before they were kept (then only <see cref="Days"/> tell).
    /// </summary>
    [Id(12)] public DateOnly[]? StockoutDays { get; init; }

    /// <summary>The challenger's shadow forecast made at the last close (scored, never acted on); null without a challenger.</summary>
    [Id(13)] public LiveForecast? ChallengerForecast { get; init; }

    /// <summary>The last <see cref="ShadowScoring.WindowDays"/> closed days scored by model version, oldest first.</summary>
    [Id(14)] public ScoredDay[] ScoredDays { get; init; } = [];

    /// <summary>
    /// The error record of the forecast policies' outlooks: per closed day of the last
    /// <see cref="SeasonalGrains.Forecasting.Outlook.OutlookOptions.ErrorWindowDays"/>, its sales minus the mean the forecast of the close
    /// before it gave for it, oldest first.
    /// </summary>
    [Id(15)] public LiveForecastError[] ForecastErrors { get; init; } = [];
}

/// <summary>One closed day's forecast error: sales minus the mean forecast for the day made at the close before it.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveForecastError.v1")]
public sealed record LiveForecastError([property: Id(0)] DateOnly Date, [property: Id(1)] double Error);

/// <summary>What has been booked to one open day.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.PendingDay.v1")]
public sealed record PendingDay([property: Id(0)] DateOnly Date, [property: Id(1)] double Sales, [property: Id(2)] double Receipts);

/// <summary>An applied event, remembered to answer retries: its id and content.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.RememberedEvent.v1")]
public sealed record RememberedEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] LiveEventKind Kind,
    [property: Id(2)] double Units,
    [property: Id(3)] DateOnly Date)
{
    /// <summary>What else the event said (a price event's price and promotion), compared when its id comes again.</summary>
    [Id(4)] public string? Content { get; init; }
}
