using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Abstractions.Live;

/// <summary>One closed business day of a live SKU: what was sold and received, and the stock at the end of the day.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveDay")]
public sealed record LiveDay
{
    [Id(0)] public DateOnly Date { get; init; }

    /// <summary>Units sold that day (the day's demand).</summary>
    [Id(1)] public double Sales { get; init; }

    /// <summary>Units posted as receipts for that day.</summary>
    [Id(2)] public double Receipts { get; init; }

    /// <summary>Units that arrived that day: receipts plus accepted orders due that day.</summary>
    [Id(3)] public double Received { get; init; }

    /// <summary>Units of the day's demand served from stock.</summary>
    [Id(4)] public double Filled { get; init; }

    /// <summary>Units of the day's demand that stock could not serve (backordered or lost).</summary>
    [Id(5)] public double Shortage { get; init; }

    [Id(6)] public double OnHand { get; init; }

    [Id(7)] public double OnOrder { get; init; }

    [Id(8)] public double Backorders { get; init; }
}

/// <summary>A demand forecast of a live SKU for the days from <see cref="Start"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveForecast")]
public sealed record LiveForecast
{
    /// <summary>The first forecast day (the SKU's open day when the forecast was made).</summary>
    [Id(0)] public DateOnly Start { get; init; }

    [Id(1)] public required string Forecaster { get; init; }

    /// <summary>The quantile levels, ascending.</summary>
    [Id(2)] public required double[] Levels { get; init; }

    /// <summary>Expected units per day.</summary>
    [Id(3)] public required double[] Mean { get; init; }

    /// <summary><c>Quantiles[h][k]</c>: the <c>Levels[k]</c> quantile of day <c>Start + h</c>.</summary>
    [Id(4)] public required double[][] Quantiles { get; init; }

    /// <summary>Days of history the forecast was made from.</summary>
    [Id(5)] public int HistoryDays { get; init; }

    /// <summary>The model version that made the forecast (with the LSTM); null for a history forecaster.</summary>
    [Id(6)] public string? ModelVersion { get; init; }

    /// <summary>Why the configured forecaster's model could not serve the SKU, when <see cref="Forecaster"/> is its fallback baseline.</summary>
    [Id(7)] public string? FallbackReason { get; init; }
}

[GenerateSerializer]
[Alias("SeasonalGrains.Live.OrderStatus")]
public enum OrderStatus
{
    /// <summary>Suggested by the policy and waiting for a planner.</summary>
    Open = 0,

    /// <summary>Accepted: placed in the SKU's ledger, arriving after the lead time.</summary>
    Accepted = 1,

    /// <summary>Replaced by a later day's suggestion (or by none) before it was accepted.</summary>
    Superseded = 2,
}

/// <summary>An order suggestion of a live SKU, and what became of it.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveOrder")]
public sealed record LiveOrder
{
    /// <summary><c>{sku}@{forDate:yyyy-MM-dd}</c> (see <see cref="LiveOrderIds"/>).</summary>
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Sku { get; init; }

    /// <summary>Units to order, after MOQ and case-pack rounding.</summary>
    [Id(2)] public double Units { get; init; }

    [Id(3)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The business day on which the order would be placed (the day after the closed day).</summary>
    [Id(4)] public DateOnly ForDate { get; init; }

    [Id(5)] public OrderStatus Status { get; init; }

    [Id(6)] public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>The business day the accepted order arrives (placed day + lead time).</summary>
    [Id(7)] public DateOnly? ExpectedArrival { get; init; }

    /// <summary>Grows with every change; the order book keeps the highest version it has seen.</summary>
    [Id(8)] public int Version { get; init; }

    [Id(9)] public string Policy { get; init; } = "";

    /// <summary>On hand + on order - backorders when the policy ran.</summary>
    [Id(10)] public double InventoryPosition { get; init; }

    /// <summary>The policy's quantity before MOQ and case-pack rounding.</summary>
    [Id(11)] public double RawUnits { get; init; }
}

/// <summary>A live SKU as queries see it.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveSkuView")]
public sealed record LiveSkuView
{
    [Id(0)] public required LiveSkuDefinition Definition { get; init; }

    /// <summary>The business day events are booked to now; every earlier day is closed.</summary>
    [Id(1)] public DateOnly OpenDate { get; init; }

    /// <summary>Days closed so far.</summary>
    [Id(2)] public int DaysClosed { get; init; }

    [Id(3)] public double OnHand { get; init; }

    [Id(4)] public double OnOrder { get; init; }

    [Id(5)] public double Backorders { get; init; }

    /// <summary>Sales posted for the open day (and days after it), not yet closed.</summary>
    [Id(6)] public double PendingSales { get; init; }

    [Id(7)] public double PendingReceipts { get; init; }

    /// <summary>The last closed days, oldest first (at most the feature window's length).</summary>
    [Id(8)] public required LiveDay[] Days { get; init; }

    /// <summary>The daily sales given with the definition, before the start date (oldest first).</summary>
    [Id(9)] public required double[] SeedHistory { get; init; }

    /// <summary>The forecast made at the last day close (null before any, or without history).</summary>
    [Id(10)] public LiveForecast? Forecast { get; init; }

    /// <summary>The open suggestion, if any.</summary>
    [Id(11)] public LiveOrder? Suggestion { get; init; }

    /// <summary>The most recent orders, newest first.</summary>
    [Id(12)] public required LiveOrder[] Orders { get; init; }

    /// <summary>Accepted units due to arrive at the start of the open day + i, for i = 0 .. lead time.</summary>
    [Id(13)] public required double[] DueIn { get; init; }

    [Id(14)] public required InventoryMetrics Metrics { get; init; }

    /// <summary>The forecaster the SKU uses.</summary>
    [Id(15)] public string Forecaster { get; init; } = "";

    /// <summary>A sentence on the last day close, when it could not make a forecast or run the policy.</summary>
    [Id(16)] public string? LastCloseWarning { get; init; }

    /// <summary>The model version the SKU forecasts with now (with the LSTM); null for a history forecaster.</summary>
    [Id(17)] public string? ModelVersion { get; init; }

    /// <summary>The posted prices and promotions by day, ascending.</summary>
    [Id(18)] public LivePriceDay[] Prices { get; init; } = [];

    /// <summary>The registry's challenger the SKU shadow-forecasts with now; null when there is none.</summary>
    [Id(19)] public string? ChallengerVersion { get; init; }

    /// <summary>The challenger's shadow forecast made at the last close (scored, never acted on).</summary>
    [Id(20)] public LiveForecast? ChallengerForecast { get; init; }

    /// <summary>The last closed days scored by model version (at most 28), oldest first.</summary>
    [Id(21)] public ScoredDay[] ScoredDays { get; init; } = [];

    /// <summary>The SKU's comparison of the active version and the challenger over those days; null without a challenger.</summary>
    [Id(22)] public ShadowSummary? Shadow { get; init; }

    /// <summary>
    /// The error sd the forecast policies' outlooks read: the sample sd of the SKU's forecast errors over its last 28
    /// closed days (each day's sales minus the mean forecast for it at the close before); null with fewer than 7 errors,
    /// when the forecast's own spread stands in.
    /// </summary>
    [Id(23)] public double? ErrorStandardDeviation { get; init; }
}
