using System.Text;

namespace SeasonalGrains.Abstractions.Live;

/// <summary>
/// One shard of the order book of live SKUs (key = shard number, see <see cref="OrderBook.ShardOf"/>):
/// an index of the open and accepted orders its SKUs publish, for listing across SKUs. Each SKU grain
/// owns its orders; the book keeps, per order id, the highest version published.
/// </summary>
[Alias("SeasonalGrains.Live.IOrderBookGrain")]
public interface IOrderBookGrain : IGrainWithIntegerKey
{
    /// <summary>Stores the orders (newer versions replace older ones; older versions are ignored).</summary>
    [Alias("Publish")]
    Task Publish(LiveOrder[] orders);

    /// <summary>How many orders have the status, and the first <paramref name="take"/> of them in book order.</summary>
    [Alias("Query")]
    Task<OrderPage> Query(OrderStatus status, int take);
}

[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.OrderPage")]
public sealed record OrderPage
{
    [Id(0)] public int Total { get; init; }

    [Id(1)] public required LiveOrder[] Orders { get; init; }
}

/// <summary>How orders are spread over the order book's shards, and the book's order.</summary>
public static class OrderBook
{
    /// <summary>Shards of the order book; fixed, since a SKU's shard must not move.</summary>
    public const int Shards = 32;

    /// <summary>The shard of a SKU: FNV-1a of its UTF-8 bytes, modulo <see cref="Shards"/> (stable across processes).</summary>
    public static int ShardOf(string sku)
    {
        ArgumentNullException.ThrowIfNull(sku);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(sku))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % Shards);
    }

    /// <summary>Book order: newest first, then by id.</summary>
    public static int Compare(LiveOrder? a, LiveOrder? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null)
        {
            return 1;
        }

        if (b is null)
        {
            return -1;
        }

        var byTime = b.CreatedAt.CompareTo(a.CreatedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
    }
}
