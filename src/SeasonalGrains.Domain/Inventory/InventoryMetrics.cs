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

    /// <summary>Every total, in declaration order: what a sum adds, the wire carries and a report lists besides the ratios.</summary>
    public static IReadOnlyList<MetricTotal> Totals => TotalList;

    private static readonly MetricTotal[] TotalList = MetricTotal.Discover();

    /// <summary>Sums two sets of totals over the same days (the days are not added).</summary>
    public static InventoryMetrics Add(InventoryMetrics a, InventoryMetrics b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var sum = new InventoryMetrics();
        foreach (var total in TotalList)
        {
            var (x, y) = (total.Get(a), total.Get(b));
            total.Set(sum, total.SameForAllSkus ? Math.Max(x, y) : x + y);
        }

        return sum;
    }

    /// <summary>The totals by name (names this version does not know are skipped; totals not named stay 0).</summary>
    public static InventoryMetrics FromTotals(IReadOnlyList<string> names, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Count != values.Count)
        {
            throw new ArgumentException($"{names.Count} names for {values.Count} values.", nameof(values));
        }

        var metrics = new InventoryMetrics();
        for (var i = 0; i < names.Count; i++)
        {
            // names in this version's order (the usual case) are found at once
            var total = i < TotalList.Length && TotalList[i].Name == names[i] ? TotalList[i] : Array.Find(TotalList, t => t.Name == names[i]);
            if (total is not null)
            {
                total.Set(metrics, values[i]);
            }
        }

        return metrics;
    }

    /// <summary>The values of <see cref="Totals"/>, index-aligned.</summary>
    public double[] TotalValues()
    {
        var values = new double[TotalList.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = TotalList[i].Get(this);
        }

        return values;
    }

    public static InventoryMetrics Sum(IEnumerable<InventoryMetrics> items) => items.Aggregate(new InventoryMetrics(), Add);
}
