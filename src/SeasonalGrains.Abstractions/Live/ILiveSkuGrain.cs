namespace SeasonalGrains.Abstractions.Live;

/// <summary>
/// A live SKU (key <c>live/{sku}</c>, see <see cref="SkuKeys.Live"/>): master data, idempotent sales and
/// receipts booked to business days, a daily close that runs the inventory day sequence, forecasts and
/// asks the policy for an order suggestion, and the acceptance of suggestions.
/// </summary>
[Alias("SeasonalGrains.Live.ILiveSkuGrain")]
public interface ILiveSkuGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the SKU or changes its master data. Once it runs, these changes conflict: the lead time
    /// while units are on order, the fulfilment mode while units are backordered, and the initial on
    /// hand, start date and history (they only shape the start; left out, they are kept). Everything else
    /// applies from the next day close.
    /// </summary>
    [Alias("Define")]
    Task<DefineOutcome> Define(LiveSkuDefinition definition);

    /// <summary>Books sales and receipts, in order; one outcome per event.</summary>
    [Alias("Record")]
    Task<EventOutcome[]> Record(LiveEvent[] events);

    /// <summary>
    /// Closes the open business day, or every open day through <paramref name="through"/> (in order),
    /// each with its booked sales as demand and receipts as arrivals; after the last one, forecasts and
    /// asks the policy for a suggestion. A day already closed is answered as such and changes nothing.
    /// Every day is checked first: if one cannot close, none is closed and their events stay pending.
    /// </summary>
    [Alias("CloseDays")]
    Task<CloseOutcome> CloseDays(DateOnly? through);

    /// <summary>Null when the SKU has not been defined.</summary>
    [Alias("GetView")]
    Task<LiveSkuView?> GetView();

    /// <summary>A forecast of the next <paramref name="horizon"/> days from the open day, made now from the SKU's feature window.</summary>
    [Alias("Forecast")]
    Task<ForecastOutcome> Forecast(int horizon);

    /// <summary>Places an open suggestion in the SKU's ledger (it arrives after the lead time).</summary>
    [Alias("AcceptOrder")]
    Task<AcceptOutcome> AcceptOrder(string orderId);
}

[GenerateSerializer]
[Alias("SeasonalGrains.Live.CloseStatus")]
public enum CloseStatus
{
    Closed = 0,

    /// <summary>The day asked for was closed before; nothing changed.</summary>
    AlreadyClosed = 1,

    UnknownSku = 2,

    /// <summary>The day asked for has not begun yet.</summary>
    NotYetBegun = 3,

    Invalid = 4,
}

[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.CloseOutcome")]
public sealed record CloseOutcome
{
    [Id(0)] public CloseStatus Status { get; init; }

    /// <summary>The days this call closed, oldest first.</summary>
    [Id(1)] public LiveDay[] Closed { get; init; } = [];

    /// <summary>The suggestion made after the last closed day (null when the policy ordered nothing).</summary>
    [Id(2)] public LiveOrder? Suggestion { get; init; }

    [Id(3)] public string? Detail { get; init; }

    [Id(4)] public LiveSkuView? View { get; init; }
}

[GenerateSerializer]
[Alias("SeasonalGrains.Live.AcceptStatus")]
public enum AcceptStatus
{
    Accepted = 0,

    /// <summary>The order was accepted before; nothing changed.</summary>
    AlreadyAccepted = 1,

    UnknownOrder = 2,

    /// <summary>The order was superseded and can no longer be accepted.</summary>
    NotOpen = 3,
}

[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.AcceptOutcome")]
public sealed record AcceptOutcome : LiveOutcome<AcceptStatus, LiveOrder>;

[GenerateSerializer]
[Alias("SeasonalGrains.Live.ForecastStatus")]
public enum ForecastStatus
{
    Done = 0,
    UnknownSku = 1,

    /// <summary>There is no history to forecast from yet.</summary>
    NoHistory = 2,

    Invalid = 3,
}

[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.ForecastOutcome")]
public sealed record ForecastOutcome : LiveOutcome<ForecastStatus, LiveForecast>;

/// <summary>What a call to a live SKU did: its status, its result when it has one, and a sentence on why not.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveOutcome`2")]
public abstract record LiveOutcome<TStatus, TResult>
    where TStatus : struct, Enum
    where TResult : class
{
    [Id(0)] public TStatus Status { get; init; }

    [Id(1)] public TResult? Result { get; init; }

    [Id(2)] public string? Detail { get; init; }
}
