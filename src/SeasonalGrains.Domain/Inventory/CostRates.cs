namespace SeasonalGrains.Domain.Inventory;

/// <summary>
/// Cost rates of one SKU, all in currency units.
/// </summary>
/// <param name="HoldingPerUnitDay">Charged on every unit on hand at the end of each day.</param>
/// <param name="ShortagePerUnit">Per lost unit (lost sales) or per backordered unit per day (backorders), charged at the end of each day.</param>
/// <param name="FixedPerOrder">Charged once for every order placed.</param>
/// <param name="PurchasePerUnit">Charged per unit ordered, when the order is placed.</param>
public sealed record CostRates(
    double HoldingPerUnitDay,
    double ShortagePerUnit,
    double FixedPerOrder = 0,
    double PurchasePerUnit = 0)
{
    public void Validate()
    {
        Check(HoldingPerUnitDay, nameof(HoldingPerUnitDay));
        Check(ShortagePerUnit, nameof(ShortagePerUnit));
        Check(FixedPerOrder, nameof(FixedPerOrder));
        Check(PurchasePerUnit, nameof(PurchasePerUnit));
    }

    private static void Check(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentException($"{name} must be a finite number >= 0 (got {value}).", name);
        }
    }
}
