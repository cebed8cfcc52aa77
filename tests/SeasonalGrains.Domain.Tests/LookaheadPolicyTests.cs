using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Domain.Tests;

public sealed class LookaheadPolicyTests
{
    /// <summary>An outlook given by its interval quantile as a function of (level, days from today).</summary>
    private sealed class LevelOutlook(Func<double, int, double> quantile, double perDayMean, int horizon = int.MaxValue) : IDemandOutlook
    {
        public int Horizon => horizon;

        public double Mean(int offset, int days) => perDayMean * days;

        public double Quantile(double level, int offset, int days) => quantile(level, offset + days) - quantile(level, offset);
    }

    private static readonly LevelOutlook TenADay = new((_, n) => 10.0 * n, 10);

    private static ForecastLookaheadPolicy Policy(
        double holding = 1, double shortage = 100, double fixedCost = 0, Fulfilment fulfilment = Fulfilment.LostSales, int review = 1, double casePack = 1, int lead = 0, int maxCoverDays = 56) =>
        (ForecastLookaheadPolicy)ForecastPolicyCatalog.All.Create("forecast-lookahead", new PolicyInputs
        {
            Costs = new CostRates(holding, shortage, fixedCost),
            Fulfilment = fulfilment,
            ReviewPeriodDays = review,
            Terms = new SkuTerms { LeadTimeDays = lead, CasePack = casePack },
            Parameters = new Dictionary<string, double> { ["maxCoverDays"] = maxCoverDays },
        });

    private static ReviewContext At(IDemandOutlook outlook, double onHand, int lead = 0, int review = 1, int daysToSeasonEnd = int.MaxValue, double backorders = 0) => new()
    {
        OnHand = onHand,
        Backorders = backorders,
        LeadTimeDays = lead,
        ReviewPeriodDays = review,
        Outlook = outlook,
        DaysToSeasonEnd = daysToSeasonEnd,
    };

    [Theory]
    [InlineData(Fulfilment.LostSales, 0, 10)]
    [InlineData(Fulfilment.LostSales, 4, 6)]
    [InlineData(Fulfilment.Backorders, 4, 6)]
    public void Without_a_fixed_cost_it_orders_exactly_a_known_days_demand(Fulfilment fulfilment, double onHand, double expected)
    {
        // 10 a day for sure, h = 1, shortage 100, K = 0: one day's cover at a time, up to 10 on hand
        var order = Policy(fulfilment: fulfilment).Order(At(TenADay, onHand));
        Assert.Equal(expected, order, 6);
    }

    [Fact]
    public void A_fixed_cost_makes_it_order_two_days_at_a_time_when_that_costs_least_per_day()
    {
        // 10 a day for sure, K = 15, h = 1 per unit-day. An order covering k days costs K + 10 (0 + 1 + ... + (k-1)) of holding:
        // per day k=1: 15, k=2: (15 + 10) / 2 = 12.5, k=3: (15 + 30) / 3 = 15, k=4: (15 + 60) / 4 = 18.75. So 20 units every other day.
        var policy = Policy(fixedCost: 15);
        var ledger = new InventoryLedger(new SkuTerms(), new CostRates(1, 100, 15), Fulfilment.LostSales);
        var orders = new List<double>();
        for (var day = 0; day < 6; day++)
        {
            orders.Add(ledger.Step(new DayInput(10, true, Outlook: TenADay), policy).Ordered);
        }

        Assert.Equal([20, 0, 20, 0, 20, 0], orders);
        var m = ledger.Close();

        // 3 orders x 15 = 45; 10 units held overnight after days 0, 2 and 4 = 30; nothing lost
        Assert.Equal(45, m.OrderingCost, 9);
        Assert.Equal(30, m.HoldingCost, 9);
        Assert.Equal(0, m.UnitsLost, 9);
    }

    [Fact]
    public void The_decision_reports_the_rates_it_compared()
    {
        // no stock: 10 units lost at 100 = 1,000 a day without an order, against 12.5 a day with a two-day order
        var decision = Policy(fixedCost: 15).Decide(At(TenADay, 0));
        Assert.Equal(20, decision.Quantity, 6);
        Assert.Equal(1000, decision.SkipRate, 6);
        Assert.Equal(12.5, decision.OrderRate, 6);
        Assert.Equal(2, decision.CoverDays);

        // 10 on hand: today is covered at no cost, so it waits (0 <= 12.5)
        Assert.Equal(0, Policy(fixedCost: 15).Decide(At(TenADay, 10)).Quantity);
    }

    [Fact]
    public void It_orders_the_critical_ratio_quantile_of_uncertain_demand()
    {
        // one day of demand uniform on [0, 100] (quantile 100 u); K = 0, lead time 0, daily reviews, covers of one day only;
        // lost sales at 9 per unit, holding 1: the newsvendor ratio 9 / (9 + 1) = 0.9. The policy's strata put probability
        // 0.85 below the stratum [0.85, 0.94] whose middle level 0.895 gives 89.5 units: at y just above 89.5 the share of
        // paths with stock left is 0.94 >= 0.9, just below it 0.85 < 0.9, so the minimum is at 89.5.
        var uniform = new LevelOutlook((u, n) => n >= 1 ? 100 * u : 0, 50.0);
        var order = Policy(shortage: 9, maxCoverDays: 1).Order(At(uniform, 0));
        Assert.Equal(89.5, order, 9);
    }

    [Fact]
    public void Nothing_is_ordered_that_would_arrive_after_the_season_end()
    {
        // lead time 2, and the season ends tomorrow (1 day to go): an order would arrive on day 2
        Assert.Equal(0, Policy(lead: 2).Order(At(TenADay, 0, lead: 2, daysToSeasonEnd: 1)));

        // lead time 0 on the last day: only today is covered, even with a fixed cost that would make two days cheaper
        Assert.Equal(10, Policy(fixedCost: 15).Order(At(TenADay, 0, daysToSeasonEnd: 0)), 6);
    }

    [Fact]
    public void Orders_are_whole_case_packs_and_the_cheaper_side_is_kept()
    {
        // 10 a day, case pack 12, K = 0: 12 (the only pack above 10, and 0 packs loses 10 units at 100)
        Assert.Equal(12, Policy(casePack: 12).Order(At(TenADay, 0)), 9);

        // with 9 on hand the optimum is 1 unit; a pack of 12 holds 11 overnight (11) against losing 1 unit (100): 12
        Assert.Equal(12, Policy(casePack: 12).Order(At(TenADay, 9)), 9);
    }

    [Fact]
    public void Lost_sales_before_the_arrival_do_not_count_as_stock_and_the_pipeline_arrives_on_its_day()
    {
        // lead time 2, 10 a day, 5 on hand, 10 due tomorrow (ledger pipeline of 3 slots, day 0: slot 1 holds 10).
        // Day 0: 5 served, 5 lost; day 1: 10 arrive and are sold. The order placed today arrives on day 2 with nothing
        // on hand: it must bring 10 (K = 0). Treating the position 15 as stock would order only 5 (30 - 15 - 10).
        var ring = new double[] { 0, 10, 0 };
        var context = At(TenADay, 5, lead: 2) with { OnOrder = 10, Pipeline = new PipelineView(ring, 0) };
        Assert.Equal(10, Policy(lead: 2).Order(context), 6);
    }

    [Fact]
    public void Beyond_a_short_horizon_paths_grow_at_the_forecast_rate()
    {
        // the outlook covers only 1 day; with K = 15 the best cover is two days (as above) and the second day is extended at 10
        var oneDay = new LevelOutlook((_, n) => 10.0 * n, 10, horizon: 1);
        Assert.Equal(20, Policy(fixedCost: 15).Order(At(oneDay, 0)), 6);
    }

    [Fact]
    public void Forecast_sS_reorders_at_the_protection_quantile_up_to_one_EOQ_more()
    {
        // L = 2, R = 1: s = 3 days x 10 = 30; EOQ = sqrt(2 x 20 x 10 / 1) = 20, so S = 50
        var policy = ForecastPolicyCatalog.All.Create("forecast-sS", new PolicyInputs
        {
            Costs = new CostRates(1, 9, 20),
            Terms = new SkuTerms { LeadTimeDays = 2 },
        });
        Assert.Equal(20, policy.Order(At(TenADay, 30, lead: 2)), 9);
        Assert.Equal(0, policy.Order(At(TenADay, 31, lead: 2)), 9);
    }

    [Fact]
    public void Lookahead_asks_for_a_month_of_forecast_beyond_the_lead_time()
    {
        Assert.Equal(2 + 28, ForecastPolicyCatalog.OutlookDays(["sS", "forecast-lookahead"], 2, 1));
        Assert.Equal(3, ForecastPolicyCatalog.OutlookDays(["forecast-order-up-to"], 2, 1));
    }
}
