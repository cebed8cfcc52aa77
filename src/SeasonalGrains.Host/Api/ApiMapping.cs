using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Host.Api;

/// <summary>Field-level problems of a request, grouped by field name as <c>ValidationProblem</c> reports them.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public FieldErrors AddAll(IEnumerable<FieldError> errors)
    {
        foreach (var e in errors)
        {
            Add(e.Field, e.Message);
        }

        return this;
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public static Dictionary<string, string[]> Of(string field, string message) => new FieldErrors().Add(field, message).ToDictionary();
}

/// <summary>Between the HTTP models and the grains' wire records.</summary>
public static class ApiMapping
{
    public const int MaxEventIdLength = 100;

    /// <summary>The definition of <paramref name="sku"/>, or the problems of the request (names as in its JSON).</summary>
    public static LiveSkuDefinition? ToDefinition(string sku, SkuDefinitionRequest? request, FieldErrors errors)
    {
        if (request is null)
        {
            errors.Add("body", "A JSON object with the SKU's master data is required.");
            return null;
        }

        if (request.LeadTimeDays is null)
        {
            errors.Add("leadTimeDays", "is required.");
        }

        if (request.Policy is null)
        {
            errors.Add("policy", "is required: {\"name\": ..., \"parameters\": {...}}.");
        }
        else if (string.IsNullOrWhiteSpace(request.Policy.Name))
        {
            errors.Add("policy.name", "is required.");
        }

        if (errors.Any)
        {
            return null;
        }

        var unitCost = request.UnitCost ?? 0;
        var costs = request.Costs ?? new CostsRequest();
        return new LiveSkuDefinition
        {
            Sku = sku,
            Category = request.Category ?? "",
            Region = request.Region ?? "",
            Terms = new SkuTermsSpec
            {
                LeadTimeDays = request.LeadTimeDays!.Value,
                InitialOnHand = request.InitialOnHand ?? 0,
                Moq = request.Moq ?? 0,
                CasePack = request.CasePack ?? 1,
                UnitCost = unitCost,
                UnitPrice = request.UnitPrice ?? 0,
                SalvageValue = request.SalvageValue ?? 0,
            },
            Costs = new CostRatesSpec
            {
                HoldingPerUnitDay = costs.HoldingPerUnitDay ?? 0,
                ShortagePerUnit = costs.ShortagePerUnit ?? 0,
                FixedPerOrder = costs.FixedPerOrder ?? 0,
                PurchasePerUnit = costs.PurchasePerUnit ?? unitCost,
            },
            Fulfilment = request.Fulfilment ?? FulfilmentMode.Backorders,
            ReviewPeriodDays = request.ReviewPeriodDays ?? 1,
            Policy = new LivePolicy
            {
                Name = request.Policy!.Name!.Trim(),
                Parameters = [.. (request.Policy.Parameters ?? []).Select(p => new PolicyParameter(p.Key, p.Value))],
                TargetServiceLevel = request.Policy.TargetServiceLevel ?? 0.95,
            },
            StartDate = request.StartDate,
            History = request.History,
            InitialOnHandOmitted = request.InitialOnHand is null,
        };
    }

    /// <summary>The event, or null with the request's problems (field names prefixed with <paramref name="prefix"/>).</summary>
    public static LiveEvent? ToEvent(LiveEventKind kind, string? eventId, double? units, DateOnly? date, FieldErrors errors, string prefix = "")
    {
        if (string.IsNullOrWhiteSpace(eventId))
        {
            errors.Add(prefix + "eventId", "is required.");
        }
        else if (eventId.Length > MaxEventIdLength)
        {
            errors.Add(prefix + "eventId", $"has at most {MaxEventIdLength} characters (got {eventId.Length}).");
        }

        if (units is null)
        {
            errors.Add(prefix + "units", "is required.");
        }
        else if (DomainLimits.EventUnitsProblem(units.Value) is { } problem)
        {
            errors.Add(prefix + "units", problem + ".");
        }

        return errors.Any ? null : new LiveEvent { EventId = eventId!, Kind = kind, Units = units!.Value, Date = date };
    }

    public static SkuResponse ToResponse(this LiveSkuView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var d = view.Definition;
        var open = view.OpenDate;
        return new SkuResponse
        {
            Sku = d.Sku,
            Category = d.Category,
            Region = d.Region,
            OpenDate = open,
            StartDate = d.StartDate ?? open,
            DaysClosed = view.DaysClosed,
            OnHand = view.OnHand,
            OnOrder = view.OnOrder,
            Backorders = view.Backorders,
            InventoryPosition = view.OnHand + view.OnOrder - view.Backorders,
            PendingSales = view.PendingSales,
            PendingReceipts = view.PendingReceipts,
            LeadTimeDays = d.Terms.LeadTimeDays,
            Policy = new PolicyResponse(
                d.Policy.Name,
                d.Policy.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
                d.Policy.TargetServiceLevel),
            Forecaster = view.Forecaster,
            ModelVersion = view.ModelVersion,
            Prices = [.. view.Prices.Select(p => new PriceDayResponse(p.Date, p.Price, p.Promo))],
            Days = [.. view.Days.Select(ToResponse)],
            SeedHistory = view.SeedHistory,
            Forecast = view.Forecast is { } f ? f.ToResponse(d.Sku) : null,
            ErrorStandardDeviation = view.ErrorStandardDeviation,
            Suggestion = view.Suggestion?.ToResponse(),
            Orders = [.. view.Orders.Select(ToResponse)],
            DueIn = [.. view.DueIn.Select((units, i) => new DueResponse(open.AddDays(i), units))],
            Metrics = view.Metrics,
            Warning = view.LastCloseWarning,
            Shadow = view.ToShadowResponse(),
        };
    }

    public static DayResponse ToResponse(this LiveDay day)
    {
        ArgumentNullException.ThrowIfNull(day);
        return new DayResponse(day.Date, day.Sales, day.Receipts, day.Received, day.Filled, day.Shortage, day.OnHand, day.OnOrder, day.Backorders);
    }

    public static ForecastResponse ToResponse(this LiveForecast forecast, string sku)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        return new ForecastResponse(
            sku,
            forecast.Start,
            forecast.Forecaster,
            forecast.ModelVersion,
            forecast.FallbackReason,
            forecast.HistoryDays,
            forecast.Levels,
            [.. forecast.Mean.Select((mean, h) => new ForecastDayResponse(forecast.Start.AddDays(h), mean, forecast.Quantiles[h]))]);
    }

    public static OrderResponse ToResponse(this LiveOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new OrderResponse(
            order.Id,
            order.Sku,
            order.Units,
            order.RawUnits,
            order.InventoryPosition,
            order.Policy,
            StatusName(order.Status),
            order.CreatedAt,
            order.ForDate,
            order.AcceptedAt,
            order.ExpectedArrival);
    }

    public static string StatusName(OrderStatus status) => status switch
    {
        OrderStatus.Open => "open",
        OrderStatus.Accepted => "accepted",
        _ => "superseded",
    };

    public static string StatusName(EventStatus status) => status switch
    {
        EventStatus.Applied => "applied",
        EventStatus.Duplicate => "duplicate",
        EventStatus.UnknownSku => "unknownSku",
        EventStatus.DayClosed => "dayClosed",
        EventStatus.IdReused => "idReused",
        EventStatus.LimitReached => "limitReached",
        _ => "invalid",
    };

    /// <summary>The HTTP status an event outcome maps to.</summary>
    public static int HttpStatus(EventStatus status) => status switch
    {
        EventStatus.Applied or EventStatus.Duplicate => StatusCodes.Status200OK,
        EventStatus.UnknownSku => StatusCodes.Status404NotFound,
        EventStatus.DayClosed or EventStatus.IdReused or EventStatus.LimitReached => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}
