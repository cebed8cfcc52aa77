using SeasonalGrains.Grains.Hosting;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// One shard of the order book: the open orders of its SKUs and the most recently accepted ones (at
/// most <see cref="AcceptedKept"/>; older accepted orders stay with their SKU). Superseded orders leave
/// the book. Written to grain storage on every change.
/// </summary>
public sealed class OrderBookGrain(
    [PersistentState("order-book", StorageNames.Skus)] IPersistentState<OrderBookState> state) : Grain, IOrderBookGrain
{
    /// <summary>Accepted orders a shard keeps, the most recently accepted first.</summary>
    public const int AcceptedKept = 500;

    private readonly Dictionary<string, LiveOrder> _orders = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var order in state.State?.Orders ?? [])
        {
            _orders[order.Id] = order;
        }

        return Task.CompletedTask;
    }

    public async Task Publish(LiveOrder[] orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var changed = false;
        foreach (var order in orders)
        {
            if (_orders.TryGetValue(order.Id, out var known) && known.Version >= order.Version)
            {
                continue;
            }

            if (order.Status == OrderStatus.Superseded)
            {
                changed |= _orders.Remove(order.Id);
            }
            else
            {
                _orders[order.Id] = order;
                changed = true;
            }
        }

        if (!changed)
        {
            return;
        }

        var accepted = _orders.Values.Where(o => o.Status == OrderStatus.Accepted).ToList();
        if (accepted.Count > AcceptedKept)
        {
            foreach (var old in accepted.OrderByDescending(o => o.AcceptedAt).ThenBy(o => o.Id, StringComparer.Ordinal).Skip(AcceptedKept))
            {
                _orders.Remove(old.Id);
            }
        }

        state.State = new OrderBookState { Orders = [.. _orders.Values] };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<OrderPage> Query(OrderStatus status, int take)
    {
        var matching = _orders.Values.Where(o => o.Status == status).ToList();
        matching.Sort(OrderBook.Compare);
        return Task.FromResult(new OrderPage { Total = matching.Count, Orders = [.. matching.Take(Math.Max(0, take))] });
    }
}

/// <summary>The persisted orders of one order-book shard.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.OrderBookState.v1")]
public sealed record OrderBookState
{
    [Id(0)] public LiveOrder[] Orders { get; init; } = [];
}
