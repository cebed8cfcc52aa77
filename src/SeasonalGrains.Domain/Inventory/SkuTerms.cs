namespace SeasonalGrains.Domain.Inventory;

/// <summary>The inventory terms of one SKU: lead time, ordering constraints, valuation.</summary>
public sealed record SkuTerms
{
    /// <summary>Days between placing an order and its arrival (0 = arrives the same day, before demand).</summary>
    public int LeadTimeDays { get; init; }

    /// <summary>Units on hand before the first day.</summary>
    public double InitialOnHand { get; init; }

    /// <summary>Minimum order quantity (0 = none). An order below it is raised to it.</summary>
    public double Moq { get; init; }

    /// <summary>Orders are rounded up to a multiple of the case pack (0 or 1 = none).</summary>
    public double CasePack { get; init; } = 1;

    /// <summary>Purchase cost of one unit; values inventory and cost of goods sold.</summary>
    public double UnitCost { get; init; }

    /// <summary>Selling price of one unit (revenue reporting).</summary>
    public double UnitPrice { get; init; }

    /// <summary>What one unit left at season end is worth.</summary>
    public double SalvageValue { get; init; }

    public void Validate()
    {
        Require(LeadTimeDays >= 0, nameof(LeadTimeDays), "must be 0 or more");
        Require(LeadTimeDays <= 3650, nameof(LeadTimeDays), "must be at most 3650 days");
        Require(double.IsFinite(InitialOnHand) && InitialOnHand >= 0, nameof(InitialOnHand), "must be a finite number >= 0");
        Require(double.IsFinite(Moq) && Moq >= 0, nameof(Moq), "must be a finite number >= 0");
        Require(double.IsFinite(CasePack) && CasePack >= 0, nameof(CasePack), "must be a finite number >= 0");
        Require(double.IsFinite(UnitCost) && UnitCost >= 0, nameof(UnitCost), "must be a finite number >= 0");
        Require(double.IsFinite(UnitPrice) && UnitPrice >= 0, nameof(UnitPrice), "must be a finite number >= 0");
        Require(double.IsFinite(SalvageValue) && SalvageValue >= 0, nameof(SalvageValue), "must be a finite number >= 0");
    }

    /// <summary>Applies MOQ and case-pack rounding to a positive raw order quantity.</summary>
    public double RoundOrder(double quantity)
    {
        if (!(quantity > 0))
        {
            return 0;
        }

        var q = Math.Max(quantity, Moq);
        if (CasePack > 1)
        {
            // a tolerance keeps 2.0000000001 cases from becoming 3
            q = Math.Ceiling((q / CasePack) - 1e-9) * CasePack;
        }

        return q;
    }

    private static void Require(bool condition, string name, string reason)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} {reason}.", name);
        }
    }
}
