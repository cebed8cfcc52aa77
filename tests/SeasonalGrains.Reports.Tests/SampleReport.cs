using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Forecasting.Outlook;
using SeasonalGrains.Simulation.Compare;
using SeasonalGrains.Simulation.Reports;

namespace SeasonalGrains.Reports.Tests;

/// <summary>A season report built from made-up per-SKU results: three policies, a frontier and two traced SKUs.</summary>
internal static class SampleReport
{
    public static readonly DateOnly Start = new(2024, 9, 1);

    public static SeasonReport Build()
    {
        const int days = 120;
        const int skus = 30;
        InventoryMetrics Metrics(int i, double costScale, double fill, double stock) => new()
        {
            Days = days,
            SkuDays = days,
            UnitsDemanded = 1000 + (i * 10),
            UnitsFilledOnDemand = (1000 + (i * 10)) * fill,
            UnitsSold = (1000 + (i * 10)) * fill,
            UnitsLost = (1000 + (i * 10)) * (1 - fill),
            StockoutDays = (int)Math.Round((1 - fill) * 40),
            Cycles = 120,
            CyclesWithStockout = (int)Math.Round((1 - fill) * 60),
            OnHandUnitDays = stock * days,
            OnHandValueDays = stock * days * 4,
            CostOfGoodsSold = (1000 + (i * 10)) * fill * 4,
            HoldingCost = stock * days * 0.02 * costScale,
            ShortageCost = (1000 + (i * 10)) * (1 - fill) * 3,
            PurchaseCost = (1000 + (i * 10)) * fill * 4,
            LeftoverUnits = stock * 0.4,
            LeftoverValue = stock * 0.4 * 4,
            SalvageCredit = stock * 0.4,
        };

        var results = new[]
        {
            new PolicyResults("rule", Enumerable.Range(0, skus).Select(i => Metrics(i, 1, 0.91 + (i % 3 * 0.01), 60 + (i % 5))).ToList()),
            new PolicyResults("forecast-order-up-to", Enumerable.Range(0, skus).Select(i => Metrics(i, 0.9, 0.95 + (i % 2 * 0.01), 48 + (i % 4))).ToList()),
            new PolicyResults("season-aware", Enumerable.Range(0, skus).Select(i => Metrics(i, 0.85, 0.945 + (i % 2 * 0.01), 44 + (i % 4))).ToList()),
        };
        var rows = PolicyComparison.Compare(results, "rule");
        var frontier = PolicyComparison.FrontierOf(rows);
        var traces = new[] { Trace("SKU-007", "season-aware", 3), Trace("SKU-019", "forecast-order-up-to", 11) };
        var accuracy = new OutlookAccuracy(3600, 41.2, -2.5, 0.182, 0.893, 9.7, -0.4, 0.902, 0.05, 0.95);
        return new SeasonReport
        {
            Title = "Autumn season: forecast-driven policies against the rule",
            Facts = [new("Dataset", "grains-autumn"), new("Days", $"{days}"), new("SKUs", $"{skus}"), new("Forecaster", "lstm")],
            Baseline = "rule",
            Policies = rows,
            Frontier = frontier,
            Forecasts = [new SeasonForecastRow("lstm", accuracy)],
            Traces = traces,
            Notes = ["Made-up figures for the report's own test."],
        };
    }

    /// <summary>The same report with a made-up hindsight bound (cheaper than every policy, with orders) and the cost breakdown of every row.</summary>
    public static SeasonReport WithHindsight()
    {
        var report = Build();
        var skus = report.Policies[0].Total.SkuDays / report.Policies[0].Total.Days;
        var plans = Enumerable.Range(0, (int)skus).Select(i => new InventoryMetrics
        {
            Days = 120,
            SkuDays = 120,
            UnitsDemanded = 1000 + (i * 10),
            UnitsFilledOnDemand = 1000 + (i * 10),
            UnitsSold = 1000 + (i * 10),
            Cycles = 120,
            OrdersPlaced = 10,
            UnitsOrdered = 1000 + (i * 10),
            UnitsReceived = 1000 + (i * 10),
            OnHandUnitDays = 20 * 120,
            OnHandValueDays = 20 * 120 * 4,
            CostOfGoodsSold = (1000 + (i * 10)) * 4,
            HoldingCost = 20 * 120 * 0.02,
            OrderingCost = 200,
            PurchaseCost = (1000 + (i * 10)) * 3.5, // made up: cheaper than every policy
        }).ToList();
        var hindsight = new HindsightResult(plans, plans, 0, 0);
        var breakdown = report.Policies.Select(p => new SeasonCostRow(p.Policy, CostBreakdown.Of(p.Total)))
            .Append(new SeasonCostRow(HindsightResult.Label, CostBreakdown.Of(hindsight.Total)))
            .ToList();
        return report with { Hindsight = hindsight, CostBreakdown = breakdown };
    }

    private static SeasonSkuTrace Trace(string sku, string policy, int seed)
    {
        const int days = 120;
        var random = new Random(seed);
        var mean = Enumerable.Range(0, days).Select(d => 20 + (15 * Math.Sin(Math.PI * d / days))).ToArray();
        var demand = mean.Select(m => Math.Max(0, Math.Round(m + (random.NextDouble() - 0.5) * 12))).ToArray();
        var onHand = new double[days];
        var ordered = new double[days];
        var stock = 80.0;
        for (var d = 0; d < days; d++)
        {
            if (d % 7 == 0 && d < days - 10)
            {
                ordered[d] = Math.Round(mean[d] * 7);
                stock += ordered[d];
            }

            stock = Math.Max(0, stock - demand[d]);
            onHand[d] = stock;
        }

        return new SeasonSkuTrace(sku, policy, Start, demand, onHand, ordered, mean, mean.Select(m => m - 8).ToArray(), mean.Select(m => m + 9).ToArray());
    }
}
