namespace SeasonalGrains.Simulation.Compare;

/// <summary>
/// Where a total cost comes from: holding + shortage + ordering + (purchase - salvage) = total cost, with
/// what was left at the end and how the orders were sized.
/// </summary>
/// <param name="Holding">Holding cost.</param>
/// <param name="Shortage">Shortage cost (lost units, or backordered unit-days).</param>
/// <param name="Ordering">Fixed cost of the orders placed.</param>
/// <param name="PurchaseMinusSalvage">Purchase cost less the salvage credit of the leftovers.</param>
/// <param name="LeftoverUnits">Units on hand or on order at the end.</param>
/// <param name="LeftoverValue">The leftovers at unit cost.</param>
/// <param name="OrdersPlaced">Orders placed.</param>
/// <param name="UnitsOrdered">Units ordered.</param>
public sealed record CostBreakdown(
    double Holding, double Shortage, double Ordering, double PurchaseMinusSalvage, double LeftoverUnits, double LeftoverValue, int OrdersPlaced, double UnitsOrdered)
{
    /// <summary>Units ordered / orders placed; null without orders.</summary>
    public double? MeanOrderSize => OrdersPlaced > 0 ? UnitsOrdered / OrdersPlaced : null;

    /// <summary>The sum of the four parts: <see cref="InventoryMetrics.TotalCost"/>.</summary>
    public double TotalCost => Holding + Shortage + Ordering + PurchaseMinusSalvage;

    public static CostBreakdown Of(InventoryMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(
            metrics.HoldingCost, metrics.ShortageCost, metrics.OrderingCost, metrics.PurchaseCost - metrics.SalvageCredit,
            metrics.LeftoverUnits, metrics.LeftoverValue, metrics.OrdersPlaced, metrics.UnitsOrdered);
    }
}
