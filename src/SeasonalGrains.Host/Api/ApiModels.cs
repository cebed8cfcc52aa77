using System.Text.Json.Serialization;
using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Host.Api;

// ---- requests: every field is optional in the type so that a missing one is reported by name ----

/// <summary>The master data of a SKU (PUT /skus/{sku}).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SkuDefinitionRequest
{
    public string? Category { get; init; }

    public string? Region { get; init; }

    /// <summary>Purchase cost of one unit.</summary>
    public double? UnitCost { get; init; }

    /// <summary>Selling price of one unit.</summary>
    public double? UnitPrice { get; init; }

    /// <summary>Days from placing an order to its arrival (required).</summary>
    public int? LeadTimeDays { get; init; }

    /// <summary>Units on hand when the SKU is created.</summary>
    public double? InitialOnHand { get; init; }

    /// <summary>Minimum order quantity (0 = none).</summary>
    public double? Moq { get; init; }

    /// <summary>Orders are rounded up to a multiple of it (default 1).</summary>
    public double? CasePack { get; init; }

    /// <summary>What one unsold unit is worth at the end.</summary>
    public double? SalvageValue { get; init; }

    /// <summary><c>backorders</c> (default) or <c>lostSales</c>.</summary>
    public FulfilmentMode? Fulfilment { get; init; }

    /// <summary>Days between policy reviews (default 1: a suggestion may follow every day close).</summary>
    public int? ReviewPeriodDays { get; init; }

    public CostsRequest? Costs { get; init; }

    /// <summary>The reorder policy (required).</summary>
    public PolicyRequest? Policy { get; init; }

    /// <summary>The SKU's first business day (default: today).</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>Daily units sold before the start date, oldest first (at most 1,130: what the LSTM's features read).</summary>
    public double[]? History { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CostsRequest
{
    /// <summary>Per unit on hand at the end of a day.</summary>
    public double? HoldingPerUnitDay { get; init; }

    /// <summary>Per lost unit (lost sales) or per backordered unit-day (backorders).</summary>
    public double? ShortagePerUnit { get; init; }

    public double? FixedPerOrder { get; init; }

    /// <summary>Per unit ordered (default: the unit cost).</summary>
    public double? PurchasePerUnit { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PolicyRequest
{
    /// <summary>A policy name: base-stock, sS, rQ, RS, rule, forecast-order-up-to, forecast-safety-stock, season-aware.</summary>
    public string? Name { get; init; }

    /// <summary>Explicit parameters (e.g. <c>{"s": 20, "S": 60}</c>); the others are derived from the last 28 days of sales.</summary>
    public Dictionary<string, double>? Parameters { get; init; }

    /// <summary>Service level aimed at when a parameter is derived (default 0.95).</summary>
    public double? TargetServiceLevel { get; init; }
}

/// <summary>A sale or receipt of one SKU.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EventRequest
{
    /// <summary>The sender's id of the event (1-100 characters); a retry with the same id is applied once.</summary>
    public string? EventId { get; init; }

    /// <summary>Units, a finite number &gt; 0.</summary>
    public double? Units { get; init; }

    /// <summary>The business day (default: the SKU's open day).</summary>
    public DateOnly? Date { get; init; }
}

/// <summary>The selling price and promotion of one day of a SKU (past, open or planned).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PriceRequest
{
    /// <summary>The sender's id of the event (1-100 characters); a retry with the same id is applied once.</summary>
    public string? EventId { get; init; }

    /// <summary>The day (default: the SKU's open day).</summary>
    public DateOnly? Date { get; init; }

    /// <summary>The day's price, above 0 (default: the SKU's unit price).</summary>
    public double? Price { get; init; }

    /// <summary>Whether the SKU is on promotion that day (default false).</summary>
    public bool? Promo { get; init; }
}

/// <summary>One day of the shop's calendar.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CalendarDayRequest
{
    public string? EventId { get; init; }

    /// <summary>The day (required).</summary>
    public DateOnly? Date { get; init; }

    /// <summary>The holiday's name (several separated by '|'); none when left out.</summary>
    public string? Holiday { get; init; }

    /// <summary>Event column values by name (as a dataset's calendar.csv columns); a column not given is 0.</summary>
    public Dictionary<string, double>? Events { get; init; }
}

/// <summary>One day of a region's weather, observed or forecast.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WeatherDayRequest
{
    public string? EventId { get; init; }

    /// <summary>The day (required).</summary>
    public DateOnly? Date { get; init; }

    public double? TempC { get; init; }

    public double? Humidity { get; init; }

    public double? PrecipMm { get; init; }

    /// <summary>True for a forecast (default false: an observation, which a later forecast never replaces).</summary>
    public bool? Forecast { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SalesBatchRequest
{
    public List<BatchSaleRequest>? Sales { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BatchSaleRequest
{
    public string? Sku { get; init; }

    public string? EventId { get; init; }

    public double? Units { get; init; }

    public DateOnly? Date { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CloseDayRequest
{
    /// <summary>Close every open day through this one (default: the open day only).</summary>
    public DateOnly? Date { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ReplayRequestBody
{
    /// <summary>Path of a scenario file on the server, inside the configured scenario folder.</summary>
    public string? ScenarioPath { get; init; }

    /// <summary>Only these policy labels (default: all of the scenario's).</summary>
    public List<string>? Policies { get; init; }

    /// <summary>Days per grain call (default: the scenario's).</summary>
    public int? ChunkDays { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ModelAddRequest
{
    /// <summary>A model folder on the server (made by <c>seasonal train</c>), inside the configured model folder.</summary>
    public string? Path { get; init; }

    /// <summary>The name to register it under (default: the folder's name).</summary>
    public string? Name { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ModelActivateRequest
{
    /// <summary>The version to serve, <c>NAME@VERSION</c>.</summary>
    public string? Model { get; init; }
}

// ---- responses ----

public sealed record EventResponse(string EventId, string Status, DateOnly? Date);

public sealed record BatchResponse(int Applied, int Duplicates, int Failed, IReadOnlyList<BatchItemResult> Results);

public sealed record BatchItemResult(
    int Index,
    string? Sku,
    string? EventId,
    string Status,
    int HttpStatus,
    DateOnly? Date,
    string? Detail,
    IDictionary<string, string[]>? Errors);

public sealed record OrderResponse(
    string Id,
    string Sku,
    double Units,
    double RawUnits,
    double InventoryPosition,
    string Policy,
    string Status,
    DateTimeOffset CreatedAt,
    DateOnly ForDate,
    DateTimeOffset? AcceptedAt,
    DateOnly? ExpectedArrival);

public sealed record OrderListResponse(string Status, int Page, int PageSize, int Total, IReadOnlyList<OrderResponse> Orders);

public sealed record DayResponse(
    DateOnly Date,
    double Sales,
    double Receipts,
    double Received,
    double Filled,
    double Shortage,
    double OnHand,
    double OnOrder,
    double Backorders);

public sealed record ForecastDayResponse(DateOnly Date, double Mean, IReadOnlyList<double> Quantiles);

/// <param name="ModelVersion">The model version that made the forecast (with the LSTM); null for a history forecaster.</param>
/// <param name="FallbackReason">Why the model could not serve the SKU, when <paramref name="Forecaster"/> is the fallback baseline.</param>
public sealed record ForecastResponse(
    string Sku,
    DateOnly Start,
    string Forecaster,
    string? ModelVersion,
    string? FallbackReason,
    int HistoryDays,
    IReadOnlyList<double> Levels,
    IReadOnlyList<ForecastDayResponse> Days);

public sealed record PriceDayResponse(DateOnly Date, double? Price, bool Promo);

public sealed record DueResponse(DateOnly Date, double Units);

public sealed record PolicyResponse(string Name, IReadOnlyDictionary<string, double> Parameters, double TargetServiceLevel);

public sealed record SkuResponse
{
    public required string Sku { get; init; }

    public required string Category { get; init; }

    public required string Region { get; init; }

    /// <summary>Events are booked to this day now; every earlier day is closed.</summary>
    public DateOnly OpenDate { get; init; }

    public DateOnly StartDate { get; init; }

    public int DaysClosed { get; init; }

    public double OnHand { get; init; }

    public double OnOrder { get; init; }

    public double Backorders { get; init; }

    /// <summary>On hand + on order - backorders.</summary>
    public double InventoryPosition { get; init; }

    public double PendingSales { get; init; }

    public double PendingReceipts { get; init; }

    public int LeadTimeDays { get; init; }

    public required PolicyResponse Policy { get; init; }

    public required string Forecaster { get; init; }

    /// <summary>The model version the SKU forecasts with now (with the LSTM); null for a history forecaster.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The posted prices and promotions by day (price null: the unit price).</summary>
    public required IReadOnlyList<PriceDayResponse> Prices { get; init; }

    /// <summary>The last closed days (at most 28), oldest first.</summary>
    public required IReadOnlyList<DayResponse> Days { get; init; }

    /// <summary>Daily sales given with the definition, before the start date.</summary>
    public required IReadOnlyList<double> SeedHistory { get; init; }

    /// <summary>The forecast made at the last day close.</summary>
    public ForecastResponse? Forecast { get; init; }

    /// <summary>
    /// The error sd forecast-driven policies read: the sample sd of the last 28 closed days' forecast errors (sales minus
    /// the mean forecast at the close before); null with fewer than 7, when the forecast's own spread stands in.
    /// </summary>
    public double? ErrorStandardDeviation { get; init; }

    /// <summary>The open order suggestion.</summary>
    public OrderResponse? Suggestion { get; init; }

    public required IReadOnlyList<OrderResponse> Orders { get; init; }

    /// <summary>Accepted units due to arrive, by day.</summary>
    public required IReadOnlyList<DueResponse> DueIn { get; init; }

    /// <summary>Every total and ratio of the domain's metrics record, under its camelCase names.</summary>
    public required InventoryMetrics Metrics { get; init; }

    public string? Warning { get; init; }

    /// <summary>The challenger's shadow forecast and the scored days (null without a challenger or a scored day).</summary>
    public SkuShadowResponse? Shadow { get; init; }
}

public sealed record CloseDayResponse(string Status, IReadOnlyList<DayResponse> Closed, OrderResponse? Suggestion, string? Detail, SkuResponse? Sku);

public sealed record ReplayPolicyResult(
    string Label,
    string Policy,
    double FillRate,
    double CycleServiceLevel,
    double TotalCost,
    double HoldingCost,
    double ShortageCost,
    double OrderingCost,
    double UnitsDemanded,
    double UnitsSold,
    int StockoutDays,
    double AverageOnHandUnits,
    double? Turnover,
    double Seconds);

public sealed record ReplayResults(string RunId, int Skus, DateOnly WindowStart, DateOnly WindowEnd, int Days, double Seconds, IReadOnlyList<ReplayPolicyResult> Policies);

public sealed record ReplayResponse(
    string Id,
    string ScenarioPath,
    string State,
    string? Stage,
    double Fraction,
    string? Detail,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? OutDir,
    string? Error,
    ReplayResults? Results);

/// <param name="Pinball">Mean pinball loss on the validation range (scaled units); null for an untrained model.</param>
/// <param name="Coverage">Per quantile level, the share of actuals at or below the forecast quantile.</param>
public sealed record ModelValidationResponse(double? Pinball, double? MeanSquaredError, double? MeanWape, IReadOnlyList<double> Coverage, int Windows);

/// <param name="Model"><c>NAME@VERSION</c>.</param>
/// <param name="TrainEnd">The last day trained on; the days from <paramref name="ValidationStart"/> to it were held out for validation.</param>
/// <param name="TrainingDataSha256">The training data's fingerprint (model.json's trainingDataSha256).</param>
/// <param name="HorizonDays">The days the model forecasts (0 for a version recorded before horizons were).</param>
public sealed record ModelVersionResponse(
    string Model,
    string Name,
    int Version,
    bool Active,
    string Fingerprint,
    DateTimeOffset AddedAt,
    DateTimeOffset TrainedAt,
    string DatasetName,
    DateOnly DatasetStart,
    DateOnly? TrainEnd,
    DateOnly ValidationStart,
    string TrainingDataSha256,
    int HorizonDays,
    ModelValidationResponse Validation);

/// <param name="Active">The registry's active version.</param>
/// <param name="Serving">The version this host's live SKUs forecast with now (null when they do not use the LSTM).</param>
/// <param name="Challenger">The registry's challenger (the version added last of those added after the active one and never activated).</param>
/// <param name="Shadowing">The challenger this host's live SKUs shadow-forecast with now.</param>
public sealed record ModelListResponse(string? Active, string? Serving, IReadOnlyList<ModelVersionResponse> Versions, string? Challenger = null, string? Shadowing = null);
