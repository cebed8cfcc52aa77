using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Domain.Tests;

public sealed class LedgerTests
{
    private static readonly CostRates NoCosts = new(0, 0);

    /// <summary>Orders exactly the quantities given, one per day (0 = none).</summary>
    private sealed class Scripted(params double[] orders) : IReorderPolicy
    {
        public string Name => "scripted";

        public List<ReviewContext> Seen { get; } = [];

        public double Order(in ReviewContext context)
        {
            Seen.Add(context);
            return context.Day < orders.Length ? orders[context.Day] : 0;
        }
    }

    [Fact]
    public void An_order_placed_on_day_t_with_lead_time_L_arrives_at_the_start_of_day_t_plus_L()
    {
        var ledger = new InventoryLedger(new SkuTerms { LeadTimeDays = 2, InitialOnHand = 0 }, NoCosts, Fulfilment.LostSales);
        var policy = new Scripted(10);
        var day0 = ledger.Step(0, policy);
        var day1 = ledger.Step(0, policy);
        var day2 = ledger.Step(4, policy);

        Assert.Equal(10, day0.Ordered);
        Assert.Equal(10, day0.OnOrder);
        Assert.Equal(0, day1.Received);
        Assert.Equal(10, day2.Received);
        Assert.Equal(4, day2.FilledOnDemand);
        Assert.Equal(6, day2.OnHand);
        Assert.Equal(0, day2.OnOrder);
    }

    [Fact]
    public void With_zero_lead_time_an_order_arrives_before_the_same_days_demand()
    {
        var ledger = new InventoryLedger(new SkuTerms { InitialOnHand = 0 }, NoCosts, Fulfilment.LostSales);
        var day0 = ledger.Step(7, new Scripted(10));
        Assert.Equal(7, day0.FilledOnDemand);
        Assert.Equal(3, day0.OnHand);
        Assert.Equal(0, day0.Shortage);
    }

    [Fact]
    public void Backorders_are_served_before_new_demand()
    {
        var ledger = new InventoryLedger(new SkuTerms { LeadTimeDays = 1, InitialOnHand = 0 }, NoCosts, Fulfilment.Backorders);
        var policy = new Scripted(8);
        var day0 = ledger.Step(5, policy);   // 5 backordered, 8 ordered for day 1
        var day1 = ledger.Step(4, policy);   // 8 arrive: 5 to backorders, 3 to today's 4

        Assert.Equal(5, day0.Backorders);
        Assert.Equal(3, day1.FilledOnDemand);
        Assert.Equal(1, day1.Backorders);
        Assert.Equal(0, day1.OnHand);
        var m = ledger.Close();
        Assert.Equal(8, m.UnitsSold);         // 5 backorders filled + 3 on demand
        Assert.Equal(3, m.UnitsFilledOnDemand);
        Assert.Equal(6, m.UnitsBackordered);  // 5 on day 0 and 1 on day 1
        Assert.Equal(3.0 / 9, m.FillRate, 12);
    }

    [Fact]
    public void The_policy_sees_the_inventory_position_after_arrivals_and_before_demand()
    {
        var ledger = new InventoryLedger(new SkuTerms { LeadTimeDays = 1, InitialOnHand = 2 }, NoCosts, Fulfilment.Backorders);
        var policy = new Scripted(6, 0, 0);
        ledger.Step(5, policy); // on hand 0, backorders 3, 6 on order
        ledger.Step(1, policy); // 6 arrive: backorders 0, on hand 3, then demand 1
        Assert.Equal(2, policy.Seen[0].InventoryPosition);
        var second = policy.Seen[1];
        Assert.Equal(3, second.OnHand);
        Assert.Equal(0, second.OnOrder);
        Assert.Equal(0, second.Backorders);
    }

    [Fact]
    public void Costs_are_charged_at_the_end_of_the_day_as_defined()
    {
        // h = 0.5 per unit-day on end-of-day stock; p = 2 per backordered unit-day; K = 10; c = 3 per unit
        var ledger = new InventoryLedger(
            new SkuTerms { LeadTimeDays = 1, InitialOnHand = 4, UnitCost = 3 },
            new CostRates(0.5, 2, 10, 3),
            Fulfilment.Backorders);
        var policy = new Scripted(5);
        ledger.Step(6, policy); // on hand 0, backorders 2 -> holding 0, shortage 4; order 5 -> K 10, purchase 15
        ledger.Step(1, policy); // 5 arrive: 2 to backorders, on hand 3, demand 1 -> on hand 2 -> holding 1
        var m = ledger.Close();
        Assert.Equal(1.0, m.HoldingCost, 12);
        Assert.Equal(4.0, m.ShortageCost, 12);
        Assert.Equal(10.0, m.OrderingCost, 12);
        Assert.Equal(15.0, m.PurchaseCost, 12);
        Assert.Equal(15.0, m.OperatingCost, 12);
    }

    [Fact]
    public void Lost_sales_are_charged_once_per_lost_unit()
    {
        var ledger = new InventoryLedger(new SkuTerms { InitialOnHand = 3 }, new CostRates(0, 2.5), Fulfilment.LostSales);
        var none = new Scripted();
        ledger.Step(5, none); // 2 lost
        ledger.Step(1, none); // 1 lost
        var m = ledger.Close();
        Assert.Equal(3, m.UnitsLost);
        Assert.Equal(7.5, m.ShortageCost, 12);
        Assert.Equal(2, m.StockoutDays);
        Assert.Equal(0, m.EndingBackorders);
    }

    [Theory]
    [InlineData(3, 0, 1, 3)]     // no constraints
    [InlineData(3, 10, 1, 10)]   // raised to the MOQ
    [InlineData(3, 10, 6, 12)]   // MOQ 10, then up to a multiple of 6
    [InlineData(13, 10, 6, 18)]
    [InlineData(12, 0, 6, 12)]   // already a multiple stays
    [InlineData(0, 10, 6, 0)]    // nothing ordered stays nothing
    public void Orders_are_rounded_to_moq_and_case_pack(double raw, double moq, double casePack, double expected)
    {
        var terms = new SkuTerms { Moq = moq, CasePack = casePack };
        Assert.Equal(expected, terms.RoundOrder(raw), 9);
    }

    [Fact]
    public void Season_end_values_leftovers_on_hand_and_on_order_at_cost_and_salvage()
    {
        var ledger = new InventoryLedger(
            new SkuTerms { LeadTimeDays = 3, InitialOnHand = 10, UnitCost = 4, SalvageValue = 1.5 },
            NoCosts,
            Fulfilment.LostSales);
        ledger.Step(2, new Scripted(5)); // 8 on hand, 5 on order
        var m = ledger.Close();
        Assert.Equal(13, m.LeftoverUnits);
        Assert.Equal(52, m.LeftoverValue, 12);
        Assert.Equal(19.5, m.SalvageCredit, 12);
        Assert.Throws<InvalidOperationException>(() => ledger.Step(1, new Scripted()));
    }

    [Fact]
    public void Turnover_days_of_supply_and_service_levels_follow_their_definitions()
    {
        // 4 days, unit cost 2; on hand at day end: 8, 6, 0, 0 ; sold 2 + 2 + 6 + 0 ; stockouts on days 3 and 4
        var ledger = new InventoryLedger(new SkuTerms { InitialOnHand = 10, UnitCost = 2, UnitPrice = 5 }, NoCosts, Fulfilment.LostSales);
        var none = new Scripted();
        foreach (var d in new double[] { 2, 2, 7, 1 })
        {
            ledger.Step(d, none);
        }

        var m = ledger.Close();
        Assert.Equal(3.5, m.AverageOnHandUnits, 12);          // (8 + 6 + 0 + 0) / 4
        Assert.Equal(7.0, m.AverageOnHandValue, 12);
        Assert.Equal(20.0, m.CostOfGoodsSold, 12);             // 10 sold x 2
        Assert.Equal(50.0, m.Revenue, 12);
        Assert.Equal(20.0 / 7.0 * 365 / 4, m.Turnover!.Value, 9);
        Assert.Equal(3.5 / (10.0 / 4), m.DaysOfSupply!.Value, 12);
        Assert.Equal(10.0 / 12, m.FillRate, 12);
        Assert.Equal(2, m.StockoutDays);
        Assert.Equal(4, m.Cycles);                             // daily review: one cycle per day
        Assert.Equal(0.5, m.CycleServiceLevel, 12);
    }

    [Fact]
    public void A_review_cycle_runs_from_one_review_day_to_the_day_before_the_next()
    {
        // review every 3 days over 7 days: cycles {0,1,2}, {3,4,5}, {6}; one stockout on day 4
        var ledger = new InventoryLedger(new SkuTerms { InitialOnHand = 4 }, NoCosts, Fulfilment.LostSales, reviewPeriodDays: 3);
        var none = new Scripted();
        foreach (var d in new double[] { 1, 1, 1, 0, 5, 0, 0 })
        {
            ledger.Step(d, none);
        }

        var m = ledger.Close();
        Assert.Equal(3, m.Cycles);
        Assert.Equal(1, m.CyclesWithStockout);
        Assert.Equal(3, none.Seen.Count); // reviewed on days 0, 3, 6
    }

    [Fact]
    public void A_captured_ledger_restores_and_continues_identically()
    {
        var terms = new SkuTerms { LeadTimeDays = 3, InitialOnHand = 20, UnitCost = 2, CasePack = 5 };
        var costs = new CostRates(0.1, 1, 3, 2);
        var policy = new MinMaxPolicy(15, 40);
        var random = new TestRandom(5);
        var demand = Enumerable.Range(0, 100).Select(_ => (double)random.NextPoisson(6)).ToArray();

        var whole = new InventoryLedger(terms, costs, Fulfilment.Backorders);
        foreach (var d in demand)
        {
            whole.Step(d, policy);
        }

        var first = new InventoryLedger(terms, costs, Fulfilment.Backorders);
        foreach (var d in demand.Take(37))
        {
            first.Step(d, policy);
        }

        var resumed = InventoryLedger.Restore(terms, costs, Fulfilment.Backorders, 1, first.Capture());
        foreach (var d in demand.Skip(37))
        {
            resumed.Step(d, policy);
        }

        Assert.Equal(whole.Close(), resumed.Close());
    }

    [Fact]
    public void Negative_or_non_finite_demand_is_rejected_with_the_day()
    {
        var ledger = new InventoryLedger(new SkuTerms(), NoCosts, Fulfilment.LostSales);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Step(-1, new Scripted()));
        Assert.Contains("day 0", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Step(double.NaN, new Scripted()));
    }

    [Fact]
    public void Metrics_of_several_skus_add_up_and_ratios_come_from_the_totals()
    {
        var a = new InventoryMetrics { Days = 10, SkuDays = 10, UnitsDemanded = 100, UnitsFilledOnDemand = 90, OnHandValueDays = 200, CostOfGoodsSold = 50 };
        var b = new InventoryMetrics { Days = 10, SkuDays = 10, UnitsDemanded = 300, UnitsFilledOnDemand = 210, OnHandValueDays = 600, CostOfGoodsSold = 30 };
        var total = InventoryMetrics.Sum([a, b]);
        Assert.Equal(10, total.Days);
        Assert.Equal(20, total.SkuDays);
        Assert.Equal(0.75, total.FillRate, 12);                    // 300 / 400, not the mean of 0.9 and 0.7
        Assert.Equal(80.0 / 80.0 * 365 / 10, total.Turnover!.Value, 9); // COGS 80 over average value (800 / 10)
    }
}
