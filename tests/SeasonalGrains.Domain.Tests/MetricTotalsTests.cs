using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Domain.Tests;

public sealed class MetricTotalsTests
{
    [Fact]
    public void The_totals_are_the_settable_properties_in_declaration_order()
    {
        var names = InventoryMetrics.Totals.Select(t => t.Name).ToList();
        Assert.Equal(26, names.Count);
        Assert.Equal(["Days", "SkuDays", "UnitsDemanded"], names.Take(3));
        Assert.Equal(["LeftoverUnits", "LeftoverValue", "SalvageCredit"], names.TakeLast(3));
        Assert.DoesNotContain("FillRate", names);
        Assert.Equal(["Days"], InventoryMetrics.Totals.Where(t => t.SameForAllSkus).Select(t => t.Name));
    }

    /// <summary>Two SKUs over 10 days: the days stay 10, SKU-days and every other total add up.</summary>
    [Fact]
    public void Add_keeps_the_days_and_sums_every_other_total()
    {
        var a = new InventoryMetrics { Days = 10, SkuDays = 10, UnitsDemanded = 30, UnitsFilledOnDemand = 27, Cycles = 2, CyclesWithStockout = 1, SalvageCredit = 1.5 };
        var b = new InventoryMetrics { Days = 10, SkuDays = 10, UnitsDemanded = 10, UnitsFilledOnDemand = 10, Cycles = 2, HoldingCost = 4.25 };
        var sum = InventoryMetrics.Add(a, b);

        Assert.Equal(new InventoryMetrics
        {
            Days = 10, SkuDays = 20, UnitsDemanded = 40, UnitsFilledOnDemand = 37, Cycles = 4, CyclesWithStockout = 1, SalvageCredit = 1.5, HoldingCost = 4.25,
        }, sum);
        Assert.Equal(0.925, sum.FillRate, 12);
        Assert.Equal(0.75, sum.CycleServiceLevel, 12);
    }

    [Fact]
    public void The_totals_by_name_give_the_same_record_back_and_skip_unknown_names()
    {
        var metrics = new InventoryMetrics { Days = 365, SkuDays = 365, StockoutDays = 3, UnitsLost = 7.5, Revenue = 1e9 + 0.25 };
        var names = InventoryMetrics.Totals.Select(t => t.Name).ToArray();
        Assert.Equal(metrics, InventoryMetrics.FromTotals(names, metrics.TotalValues()));

        var shuffled = InventoryMetrics.FromTotals(["Revenue", "NotAMetricYet", "StockoutDays"], [2.5, 99, 4]);
        Assert.Equal(new InventoryMetrics { Revenue = 2.5, StockoutDays = 4 }, shuffled);
        Assert.Throws<OverflowException>(() => InventoryMetrics.FromTotals(["Cycles"], [1e10]));
    }
}
