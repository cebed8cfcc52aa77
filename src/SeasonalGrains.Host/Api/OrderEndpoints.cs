namespace SeasonalGrains.Host.Api;

/// <summary>The order endpoints: the order book across SKUs and the acceptance of suggestions.</summary>
public static class OrderEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Deepest position a page may reach (page x pageSize).</summary>
    public const int MaxDepth = 100_000;

    public static RouteGroupBuilder MapOrderEndpoints(this RouteGroupBuilder api)
    {
        var orders = api.Group("/orders", "Orders");

        orders.MapGet("/", ListOrders)
            .Describe<OrderListResponse>(
                ApiRole.Read, "ListOrders", "Open (or accepted) orders across SKUs, newest first, paged",
                $"status: open (default) or accepted; page: 1-based (default 1); pageSize: 1-{MaxPageSize} (default {DefaultPageSize}).",
                [400]);

        orders.MapPost("/{id}/accept", Accept)
            .Describe<OrderResponse>(
                ApiRole.Write, "AcceptOrder", "Accept an open suggestion: the order is placed in the SKU's ledger",
                "200 with the accepted order (also when it was accepted before); 404 for an unknown order; 409 when it was superseded.",
                [404, 409]);
        return api;
    }

    private static async Task<IResult> ListOrders(string? status, string? page, string? pageSize, IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var wanted = OrderStatus.Open;
        switch (status?.Trim().ToLowerInvariant())
        {
            case null or "" or "open":
                break;
            case "accepted":
                wanted = OrderStatus.Accepted;
                break;
            default:
                errors.Add("status", "must be 'open' or 'accepted'.");
                break;
        }

        var pageNumber = ParsePositive(page, 1, "page", int.MaxValue, errors);
        var size = ParsePositive(pageSize, DefaultPageSize, "pageSize", MaxPageSize, errors);
        if (!errors.Any && (long)pageNumber * size > MaxDepth)
        {
            errors.Add("page", $"page x pageSize may reach at most {MaxDepth} orders.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var take = pageNumber * size;
        var shards = await Task.WhenAll(Enumerable.Range(0, OrderBook.Shards).Select(s => grains.GetGrain<IOrderBookGrain>(s).Query(wanted, take)));
        var merged = shards.SelectMany(s => s.Orders).ToList();
        merged.Sort(OrderBook.Compare);
        var slice = merged.Skip((pageNumber - 1) * size).Take(size).Select(o => o.ToResponse()).ToList();
        return Results.Ok(new OrderListResponse(ApiMapping.StatusName(wanted), pageNumber, size, shards.Sum(s => s.Total), slice));
    }

    private static async Task<IResult> Accept(string id, IGrainFactory grains)
    {
        if (!LiveOrderIds.TryParse(id, out var sku, out _))
        {
            return ApiProblems.NotFound("Order not found", $"'{id}' is not an order id (they read {{sku}}@{{yyyy-MM-dd}}).");
        }

        var outcome = await SkuEndpoints.Sku(grains, sku).AcceptOrder(id);
        switch (outcome.Status)
        {
            case AcceptStatus.Accepted or AcceptStatus.AlreadyAccepted:
                return Results.Ok(outcome.Result!.ToResponse());
            case AcceptStatus.NotOpen:
                return ApiProblems.Conflict("Order not open", outcome.Detail);
            default:
                return ApiProblems.NotFound("Order not found", outcome.Detail ?? $"There is no order '{id}'.");
        }
    }

    private static int ParsePositive(string? text, int fallback, string field, int max, FieldErrors errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }

        errors.Add(field, max == int.MaxValue ? "must be a whole number >= 1." : $"must be a whole number 1-{max}.");
        return fallback;
    }
}
