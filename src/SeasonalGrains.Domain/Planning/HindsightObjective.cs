using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Domain.Planning;

/// <summary>
/// What a hindsight plan minimises: the operating cost (holding + shortage + fixed ordering) plus
/// <see cref="PurchasePerUnit"/> per unit ordered, minus <see cref="LeftoverCreditPerUnit"/> per unit left
/// (on hand or on order) at the end of the window.
/// </summary>
/// <param name="PurchasePerUnit">Weight of each unit ordered (the purchase cost, or 0 for the operating cost alone).</param>
/// <param name="LeftoverCreditPerUnit">Credit for each unit left at the end (the salvage value, or 0); at most <paramref name="PurchasePerUnit"/>.</param>
public sealed record HindsightObjective(double PurchasePerUnit, double LeftoverCreditPerUnit)
{
    /// <summary>Holding + shortage + ordering: <see cref="InventoryMetrics.OperatingCost"/>.</summary>
    public static HindsightObjective OperatingCost { get; } = new(0, 0);

    /// <summary>Operating cost + purchase cost - salvage credit: <see cref="InventoryMetrics.TotalCost"/> under these terms and costs.</summary>
    public static HindsightObjective TotalCost(SkuTerms terms, CostRates costs)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(costs);
        return new(costs.PurchasePerUnit, terms.SalvageValue);
    }

    /// <summary>The objective's value of a ledger's closed metrics.</summary>
    public double Of(InventoryMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.OperatingCost + (PurchasePerUnit * metrics.UnitsOrdered) - (LeftoverCreditPerUnit * metrics.LeftoverUnits);
    }

    /// <summary>
    /// Throws unless both weights are finite and &gt;= 0 and the credit is at most the purchase weight
    /// (a larger credit makes the lowest cost unbounded: order without limit and collect the credit).
    /// </summary>
    public void Validate()
    {
        if (!double.IsFinite(PurchasePerUnit) || PurchasePerUnit < 0)
        {
            throw new ArgumentException($"{nameof(PurchasePerUnit)} must be a finite number >= 0 (got {PurchasePerUnit}).", nameof(PurchasePerUnit));
        }

        if (!double.IsFinite(LeftoverCreditPerUnit) || LeftoverCreditPerUnit < 0)
        {
            throw new ArgumentException($"{nameof(LeftoverCreditPerUnit)} must be a finite number >= 0 (got {LeftoverCreditPerUnit}).", nameof(LeftoverCreditPerUnit));
        }

        if (LeftoverCreditPerUnit > PurchasePerUnit)
        {
            throw new ArgumentException(
                $"The leftover credit per unit ({LeftoverCreditPerUnit}) exceeds the purchase cost per unit ({PurchasePerUnit}): " +
                "the lowest cost is unbounded (order without limit and collect the credit).",
                nameof(LeftoverCreditPerUnit));
        }
    }
}
