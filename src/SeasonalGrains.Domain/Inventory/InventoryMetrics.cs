namespace SeasonalGrains.Domain.Inventory;

/// <summary>
/// Totals of a replay for one SKU or, summed with <see cref="Add"/>, for many SKUs over the same
/// days. Ratios are derived from the totals, so a sum of SKUs gives the right aggregate ratios.
/// </summary>
public sealed record InventoryMetrics
{
    /// <summary>Days replayed (the window length; equal for all SKUs of a run).</summary>
    public int Days { get; init; }

    /// <summary>SKU-days replayed (Days for one SKU; the sum over SKUs for a total).</summary>
    public long SkuDays { get; init; }

    public double UnitsDemanded { get; init; }

    /// <summary>Units served from stock on the day they were demanded.</summary>
    public double UnitsFilledOnDemand { get; init; }

    /// <summary>Units shipped: filled on demand plus backorders filled later.</summary>
    public double UnitsSold { get; init; }

    public double UnitsLost { get; init; }

    /// <summary>Units that went into backorder (each counted once).</summary>
    public double UnitsBackordered { get; init; }

    /// <summary>Sum over days of end-of-day backorders.</summary>
    public double BackorderUnitDays { get; init; }

    public double EndingBackorders { get; init; }

    /// <summary>Days with demand that stock could not serve.</summary>
    public int StockoutDays { get; init; }

    /// <summary>Review cycles (review day to the day before the next review).</summary>
    public int Cycles { get; init; }

    public int CyclesWithStockout { get; init; }

    public int OrdersPlaced { get; init; }

    public double UnitsOrdered { get; init; }

    public double UnitsReceived { get; init; }

    /// <summary>Sum over days of end-of-day on hand.</summary>
    public double OnHandUnitDays { get; init; }

    /// <summary>Sum over days of end-of-day on-hand value at unit cost.</summary>
    public double OnHandValueDays { get; init; }

    public double CostOfGoodsSold { get; init; }

    public double Revenue { get; init; }

    public double HoldingCost { get; init; }

    public double ShortageCost { get; init; }

    public double OrderingCost { get; init; }

    public double PurchaseCost { get; init; }

    /// <summary>Units on hand or on order when the season ended.</summary>
    public double LeftoverUnits { get; init; }

    /// <summary>Leftover units at unit cost.</summary>
    public double LeftoverValue { get; init; }

    /// <summary>Leftover units at salvage value (credited against cost).</summary>
    public double SalvageCredit { get; init; }

    public double FillRate => UnitsDemanded > 0 ? UnitsFilledOnDemand / UnitsDemanded : 1;

    public double CycleServiceLevel => Cycles > 0 ? 1 - ((double)CyclesWithStockout / Cycles) : 1;

    public double AverageOnHandUnits => Days > 0 ? OnHandUnitDays / Days : 0;

    public double AverageOnHandValue => Days > 0 ? OnHandValueDays / Days : 0;

    /// <summary>Annualised inventory turnover: cost of goods sold / average inventory value x 365 / days; null with no inventory.</summary>
    public double? Turnover => AverageOnHandValue > 0 && Days > 0 ? CostOfGoodsSold / AverageOnHandValue * 365.0 / Days : null;

    /// <summary>Average on hand / average daily units sold; null when nothing sold.</summary>
    public double? DaysOfSupply => UnitsSold > 0 && Days > 0 ? AverageOnHandUnits / (UnitsSold / Days) : null;

    /// <summary>Holding + shortage + fixed ordering cost: the cost the classical models minimise.</summary>
    public double OperatingCost => HoldingCost + ShortageCost + OrderingCost;

    /// <summary>Operating cost + purchase cost - salvage credit for leftovers.</summary>
    public double TotalCost => OperatingCost + PurchaseCost - SalvageCredit;

    public double CostPerSkuDay => SkuDays > 0 ? TotalCost / SkuDays : 0;

    /// <summary>Sums two sets of totals over the same days (the days are not added).</summary>
    public static InventoryMetrics Add(InventoryMetrics a, InventoryMetrics b) => new()
    {
        Days = Math.Max(a.Days, b.Days),
        SkuDays = a.SkuDays + b.SkuDays,
        UnitsDemanded = a.UnitsDemanded + b.UnitsDemanded,
        UnitsFilledOnDemand = a.UnitsFilledOnDemand + b.UnitsFilledOnDemand,
        UnitsSold = a.UnitsSold + b.UnitsSold,
        UnitsLost = a.UnitsLost + b.UnitsLost,
        UnitsBackordered = a.UnitsBackordered + b.UnitsBackordered,
        BackorderUnitDays = a.BackorderUnitDays + b.BackorderUnitDays,
        EndingBackorders = a.EndingBackorders + b.EndingBackorders,
        StockoutDays = a.StockoutDays + b.StockoutDays,
        Cycles = a.Cycles + b.Cycles,
        CyclesWithStockout = a.CyclesWithStockout + b.CyclesWithStockout,
        OrdersPlaced = a.OrdersPlaced + b.OrdersPlaced,
        UnitsOrdered = a.UnitsOrdered + b.UnitsOrdered,
        UnitsReceived = a.UnitsReceived + b.UnitsReceived,
        OnHandUnitDays = a.OnHandUnitDays + b.OnHandUnitDays,
        OnHandValueDays = a.OnHandValueDays + b.OnHandValueDays,
        CostOfGoodsSold = a.CostOfGoodsSold + b.CostOfGoodsSold,
        Revenue = a.Revenue + b.Revenue,
        HoldingCost = a.HoldingCost + b.HoldingCost,
        ShortageCost = a.ShortageCost + b.ShortageCost,
        OrderingCost = a.OrderingCost + b.OrderingCost,
        PurchaseCost = a.PurchaseCost + b.PurchaseCost,
        LeftoverUnits = a.LeftoverUnits + b.LeftoverUnits,
        LeftoverValue = a.LeftoverValue + b.LeftoverValue,
        SalvageCredit = a.SalvageCredit + b.SalvageCredit,
    };

    public static InventoryMetrics Sum(IEnumerable<InventoryMetrics> items) => items.Aggregate(new InventoryMetrics(), Add);
}
