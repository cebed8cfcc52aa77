using SeasonalGrains.Host.Hosting;

namespace SeasonalGrains.Host.Api;

/// <summary>The SKU endpoints: master data, sales and receipts, day close, state and forecast.</summary>
public static class SkuEndpoints
{
    public const int DefaultForecastHorizon = 14;
    public const int MaxForecastHorizon = 366;

    /// <summary>The endpoints that record one event of a SKU, alike but for the kind of event.</summary>
    private static readonly (LiveEventKind Kind, string Path, string Name, string Summary, string Description)[] EventEndpoints =
    [
        (LiveEventKind.Sale, "/{sku}/sales", "PostSale", "Record units sold (idempotent by eventId)",
            "Booked to the given business day (default: the SKU's open day) and applied once per eventId; a retry answers status 'duplicate'."),
        (LiveEventKind.Receipt, "/{sku}/receipts", "PostReceipt", "Record units received into stock (idempotent by eventId)",
            "Units that arrive besides accepted orders (accepted orders arrive by themselves after the lead time)."),
    ];

    public static RouteGroupBuilder MapSkuEndpoints(this RouteGroupBuilder api)
    {
        var skus = api.Group("/skus", "SKUs");

        skus.MapPut("/{sku}", PutSku)
            .Describe(
                ApiRole.Write, "PutSku", "Create a SKU or change its master data",
                "201 when created, 200 when changed or unchanged. 409 when a change conflicts with the running SKU: " +
                "the lead time while units are on order, the fulfilment mode while units are backordered, and the " +
                "initial on hand, start date and history after creation (leave those out or repeat them unchanged).")
            .Produces<SkuResponse>(StatusCodes.Status201Created)
            .Produces<SkuResponse>()
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status409Conflict);

        foreach (var (kind, path, name, summary, description) in EventEndpoints)
        {
            skus.MapPost(path, (string sku, EventRequest? body, IGrainFactory grains, ApiMetrics metrics) => PostEvent(sku, body, kind, grains, metrics))
                .Describe<EventResponse>(ApiRole.Write, name, summary, description, EndpointConventions.SkuProblems);
        }

        skus.MapPost("/{sku}/prices", PostPrice)
            .Describe<EventResponse>(
                ApiRole.Write, "PostPrice", "Record a day's price and promotion (idempotent by eventId)",
                "Any day from 1,130 days before the open day (the history the LSTM reads) to 366 days after today (planned prices and promotions); a later event for the same day replaces it.",
                EndpointConventions.SkuProblems);

        skus.MapPost("/{sku}/close-day", CloseDay)
            .Describe<CloseDayResponse>(
                ApiRole.Write, "CloseDay", "Close the open business day (or every open day through a date)",
                "Runs the day sequence with the day's receipts as arrivals and its sales as demand, updates the 28-day window, " +
                "forecasts and asks the policy for an order suggestion. Closing a day that is already closed changes nothing (200, status 'alreadyClosed').",
                EndpointConventions.SkuProblems);

        skus.MapGet("/{sku}", GetSku)
            .Describe<SkuResponse>(ApiRole.Read, "GetSku", "Stock, the last 28 days, the latest forecast and the current suggestion of a SKU", [400, 404]);

        skus.MapGet("/{sku}/forecast", GetForecast)
            .Describe<ForecastResponse>(
                ApiRole.Read, "GetForecast", "Forecast the next days of a SKU from its recent sales",
                $"horizon: days to forecast, 1-{MaxForecastHorizon} (default {DefaultForecastHorizon}). 409 when the SKU has no sales history yet.",
                EndpointConventions.SkuProblems);

        api.MapPost("/sales:batch", PostSalesBatch)
            .WithTags("SKUs")
            .Describe<BatchResponse>(
                ApiRole.Write, "PostSalesBatch", "Record many SKUs' sales in one request",
                "Each item is applied as POST /skus/{sku}/sales would apply it; the answer has one result per item, in order, with the HTTP status the item alone would get.",
                [400]);
        return api;
    }

    internal static ILiveSkuGrain Sku(IGrainFactory grains, string sku) => grains.GetGrain<ILiveSkuGrain>(SkuKeys.Live(sku));

    private static async Task<IResult> PutSku(string sku, SkuDefinitionRequest? body, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (LiveOrderIds.CheckSku(sku) is { } bad)
        {
            return ApiProblems.Validation("sku", bad);
        }

        var definition = ApiMapping.ToDefinition(sku, body, errors);
        if (definition is null)
        {
            return ApiProblems.Validation(errors);
        }

        var outcome = await Sku(grains, sku).Define(definition);
        return outcome.Status switch
        {
            DefineStatus.Created => Results.Created($"{HostPaths.Api}/skus/{sku}", outcome.View!.ToResponse()),
            DefineStatus.Updated or DefineStatus.Unchanged => Results.Ok(outcome.View!.ToResponse()),
            DefineStatus.Conflict => ApiProblems.Conflict(new FieldErrors().AddAll(outcome.Errors), "The change conflicts with the SKU's current state."),
            _ => ApiProblems.Validation(new FieldErrors().AddAll(outcome.Errors)),
        };
    }

    private static async Task<IResult> PostEvent(string sku, EventRequest? body, LiveEventKind kind, IGrainFactory grains, ApiMetrics metrics)
    {
        if (LiveOrderIds.CheckSku(sku) is { } bad)
        {
            return ApiProblems.Validation("sku", bad);
        }

        var errors = new FieldErrors();
        if (body is null)
        {
            return ApiProblems.Validation("body", "A JSON object {\"eventId\": ..., \"units\": ..., \"date\": ...} is required.");
        }

        var e = ApiMapping.ToEvent(kind, body.EventId, body.Units, body.Date, errors);
        if (e is null)
        {
            return ApiProblems.Validation(errors);
        }

        var outcome = (await Sku(grains, sku).Record([e]))[0];
        metrics.Event(e, outcome);
        return ToResult(sku, outcome);
    }

    private static async Task<IResult> PostPrice(string sku, PriceRequest? body, IGrainFactory grains)
    {
        if (LiveOrderIds.CheckSku(sku) is { } bad)
        {
            return ApiProblems.Validation("sku", bad);
        }

        if (body is null)
        {
            return ApiProblems.Validation("body", "A JSON object {\"eventId\": ..., \"date\": ..., \"price\": ..., \"promo\": ...} is required.");
        }

        if (string.IsNullOrWhiteSpace(body.EventId))
        {
            return ApiProblems.Validation("eventId", "is required.");
        }

        var e = new LiveEvent { EventId = body.EventId, Kind = LiveEventKind.Price, Date = body.Date, Price = body.Price, Promo = body.Promo ?? false };
        return ToResult(sku, (await Sku(grains, sku).Record([e]))[0]);
    }

    internal static IResult ToResult(string sku, EventOutcome outcome) => outcome.Status switch
    {
        EventStatus.Applied or EventStatus.Duplicate => Results.Ok(new EventResponse(outcome.EventId, ApiMapping.StatusName(outcome.Status), outcome.Date)),
        EventStatus.UnknownSku => ApiProblems.UnknownSku(sku),
        EventStatus.DayClosed => ApiProblems.Conflict("Day closed", outcome.Detail),
        EventStatus.IdReused => ApiProblems.Conflict("Event id already used", outcome.Detail),
        EventStatus.LimitReached => ApiProblems.Conflict("Too many pending events", outcome.Detail),
        _ => ApiProblems.Validation(new FieldErrors().AddAll(outcome.Errors)),
    };

    private static async Task<IResult> PostSalesBatch(SalesBatchRequest? body, IGrainFactory grains, ApiMetrics metrics, IOptions<ApiOptions> options)
    {
        var max = options.Value.MaxBatchItems;
        if (body?.Sales is not { } items)
        {
            return ApiProblems.Validation("sales", "is required: a list of {\"sku\", \"eventId\", \"units\", \"date\"}.");
        }

        if (items.Count == 0 || items.Count > max)
        {
            return ApiProblems.Validation("sales", $"must hold 1-{max} items (got {items.Count}).");
        }

        var results = new BatchItemResult?[items.Count];
        var bySku = new Dictionary<string, List<(int Index, LiveEvent Event)>>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var errors = new FieldErrors();
            if (item is null)
            {
                errors.Add("item", "must be an object.");
            }
            else if (LiveOrderIds.CheckSku(item.Sku) is { } badSku)
            {
                errors.Add("sku", badSku);
            }

            var e = item is null ? null : ApiMapping.ToEvent(LiveEventKind.Sale, item.EventId, item.Units, item.Date, errors);
            if (e is null || errors.Any)
            {
                results[i] = new BatchItemResult(i, item?.Sku, item?.EventId, "invalid", StatusCodes.Status400BadRequest, null, null, errors.ToDictionary());
                continue;
            }

            if (!bySku.TryGetValue(item!.Sku!, out var list))
            {
                bySku[item.Sku!] = list = [];
            }

            list.Add((i, e));
        }

        await Task.WhenAll(bySku.Select(async group =>
        {
            var outcomes = await Sku(grains, group.Key).Record([.. group.Value.Select(x => x.Event)]);
            for (var k = 0; k < outcomes.Length; k++)
            {
                var (index, e) = group.Value[k];
                var o = outcomes[k];
                metrics.Event(e, o);
                results[index] = new BatchItemResult(
                    index,
                    group.Key,
                    o.EventId,
                    ApiMapping.StatusName(o.Status),
                    ApiMapping.HttpStatus(o.Status),
                    o.Date,
                    o.Status == EventStatus.UnknownSku ? $"There is no SKU '{group.Key}'." : o.Detail,
                    o.Errors.Length > 0 ? new FieldErrors().AddAll(o.Errors).ToDictionary() : null);
            }
        }));

        var all = results.Select(r => r!).ToList();
        return Results.Ok(new BatchResponse(
            all.Count(r => r.Status == "applied"),
            all.Count(r => r.Status == "duplicate"),
            all.Count(r => r.HttpStatus != StatusCodes.Status200OK),
            all));
    }

    private static async Task<IResult> CloseDay(string sku, CloseDayRequest? body, IGrainFactory grains)
    {
        if (LiveOrderIds.CheckSku(sku) is { } bad)
        {
            return ApiProblems.Validation("sku", bad);
        }

        var outcome = await Sku(grains, sku).CloseDays(body?.Date);
        return outcome.Status switch
        {
            CloseStatus.Closed or CloseStatus.AlreadyClosed => Results.Ok(new CloseDayResponse(
                outcome.Status == CloseStatus.Closed ? "closed" : "alreadyClosed",
                [.. outcome.Closed.Select(d => d.ToResponse())],
                outcome.Suggestion?.ToResponse(),
                outcome.Detail,
                outcome.View?.ToResponse())),
            CloseStatus.UnknownSku => ApiProblems.UnknownSku(sku),
            CloseStatus.NotYetBegun => ApiProblems.Conflict("Day not begun", outcome.Detail),
            _ => ApiProblems.Validation("date", outcome.Detail ?? "is not a day that can be closed."),
        };
    }

    private static async Task<IResult> GetSku(string sku, IGrainFactory grains)
    {
        if (LiveOrderIds.CheckSku(sku) is { } bad)
        {
            return ApiProblems.Validation("sku", bad);
        }

        var view = await Sku(grains, sku).GetView();
        return view is null ? ApiProblems.UnknownSku(sku) : Results.Ok(view.ToResponse());
    }

    private static async Task<IResult> GetForecast(string sku, string? horizon, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (LiveOrderIds.CheckSku(sku) is { } bad)
        {
            errors.Add("sku", bad);
        }

        var days = DefaultForecastHorizon;
        if (horizon is not null && (!int.TryParse(horizon, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > MaxForecastHorizon))
        {
            errors.Add("horizon", $"must be a whole number of days 1-{MaxForecastHorizon}.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var outcome = await Sku(grains, sku).Forecast(days);
        return outcome.Status switch
        {
            ForecastStatus.Done => Results.Ok(outcome.Result!.ToResponse(sku)),
            ForecastStatus.UnknownSku => ApiProblems.UnknownSku(sku),
            ForecastStatus.NoHistory => ApiProblems.Conflict("No sales history", outcome.Detail),
            _ => ApiProblems.Validation("horizon", outcome.Detail ?? "is invalid."),
        };
    }
}
