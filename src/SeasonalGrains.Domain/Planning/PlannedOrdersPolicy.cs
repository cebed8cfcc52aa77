using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Domain.Planning;

/// <summary>
/// Orders a fixed plan: on review day t, the planned quantity of day t (0 past the plan's end). Runs a
/// plan through <see cref="Inventory.InventoryLedger"/>, so the plan's metrics are the ledger's own. Not
/// a reorder policy of the catalog: it sees nothing of the inventory.
/// </summary>
public sealed class PlannedOrdersPolicy : IReorderPolicy
{
    public const string PolicyName = "hindsight";

    private readonly double[] _orders;

    /// <param name="orders">Units to order per day (index = day); days that are no review days are ignored by the ledger.</param>
    public PlannedOrdersPolicy(IReadOnlyList<double> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        _orders = [.. orders];
    }

    public string Name => PolicyName;

    public double Order(in ReviewContext context) =>
        context.Day >= 0 && context.Day < _orders.Length ? _orders[context.Day] : 0;
}
