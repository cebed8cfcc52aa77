using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Domain.Tests;

public sealed class ForecastPolicyTests
{
    /// <summary>
    /// A hand-written outlook: mean 10 per day, and the interval quantile 10 x days + 100 x level,
    /// so the level and interval a policy asked for can be read back from the answer and the log.
    /// </summary>
    private sealed class HandOutlook(double? errorSd = null) : IForecastErrorOutlook
    {
        public List<(double Level, int Offset, int Days)> QuantileCalls { get; } = [];

        public List<(int Offset, int Days)> MeanCalls { get; } = [];

        public double? ErrorStandardDeviation => errorSd;

        public double Mean(int offset, int days)
        {
            MeanCalls.Add((offset, days));
            return 10.0 * days;
        }

        public double Quantile(double level, int offset, int days)
        {
            QuantileCalls.Add((level, offset, days));
            return (10.0 * days) + (100 * level);
        }
    }

    private sealed class PlainOutlook : IDemandOutlook
    {
        public double Mean(int offset, int days) => 10.0 * days;

        public double Quantile(double level, int offset, int days) => 10.0 * days;
    }

    private static ReviewContext At(IDemandOutlook? outlook, double onHand, int lead, int review, int daysToSeasonEnd = int.MaxValue, double onOrder = 0, double backorders = 0) => new()
    {
        Day = 3,
        OnHand = onHand,
        OnOrder = onOrder,
        Backorders = backorders,
        LeadTimeDays = lead,
        ReviewPeriodDays = review,
        Outlook = outlook,
        DaysToSeasonEnd = daysToSeasonEnd,
    };

    private static PolicyInputs Inputs(CostRates costs, Fulfilment fulfilment = Fulfilment.Backorders, Dictionary<string, double>? parameters = null) => new()
    {
        Costs = costs,
        Fulfilment = fulfilment,
        Parameters = parameters ?? [],
        Terms = new SkuTerms { LeadTimeDays = 2, UnitCost = 5, SalvageValue = 1 },
    };

    [Fact]
    public void Order_up_to_asks_for_the_backorder_critical_ratio_quantile_of_the_whole_protection_interval()
    {
        // b = 9 per unit-day, h = 1 per unit-day: q = 9 / (9 + 1) = 0.9
        var policy = (ForecastOrderUpToPolicy)ForecastPolicyCatalog.All.Create("forecast-order-up-to", Inputs(new CostRates(1, 9)));
        Assert.Equal(0.9, policy.Level, 12);

        // L = 2, R = 1: one quantile of 3 days from today; target 30 + 90 = 120; position 40 + 15 - 5 = 50
        var outlook = new HandOutlook();
        var order = policy.Order(At(outlook, onHand: 40, lead: 2, review: 1, onOrder: 15, backorders: 5));
        Assert.Equal(70, order, 9);
        var call = Assert.Single(outlook.QuantileCalls);
        Assert.Equal(0.9, call.Level, 12);
        Assert.Equal(0, call.Offset);
        Assert.Equal(3, call.Days);
    }

    [Fact]
    public void Order_up_to_uses_p_over_p_plus_h_for_lost_sales_and_never_orders_a_negative_quantity()
    {
        // p = 4 per lost unit, h = 1: q = 0.8; L = 2, R = 7 -> 9 days: target 90 + 80 = 170
        var policy = (ForecastOrderUpToPolicy)ForecastPolicyCatalog.All.Create(
            "forecast-order-up-to", Inputs(new CostRates(1, 4), Fulfilment.LostSales));
        Assert.Equal(0.8, policy.Level, 12);
        Assert.Equal(20, policy.Order(At(new HandOutlook(), onHand: 150, lead: 2, review: 7)), 9);
        Assert.Equal(0, policy.Order(At(new HandOutlook(), onHand: 400, lead: 2, review: 7)));
    }

    [Fact]
    public void An_explicit_q_or_service_level_overrides_the_critical_ratio()
    {
        var byQ = (ForecastOrderUpToPolicy)ForecastPolicyCatalog.All.Create(
            "forecast-order-up-to", Inputs(new CostRates(1, 9), parameters: new() { ["q"] = 0.6 }));
        var byLevel = (ForecastOrderUpToPolicy)ForecastPolicyCatalog.All.Create(
            "forecast-order-up-to", Inputs(new CostRates(1, 9), parameters: new() { ["serviceLevel"] = 0.7 }));
        Assert.Equal(0.6, byQ.Level);
        Assert.Equal(0.7, byLevel.Level);

        // with no costs at all, the target service level is used
        var noCosts = new PolicyInputs { TargetServiceLevel = 0.85 };
        Assert.Equal(0.85, ((ForecastOrderUpToPolicy)ForecastPolicyCatalog.All.Create("forecast-order-up-to", noCosts)).Level);
    }

    [Fact]
    public void A_critical_ratio_of_one_and_conflicting_levels_are_rejected_with_what_to_give()
    {
        // no holding cost: b / (b + 0) = 1, a quantile that does not exist
        var ex = Assert.Throws<ArgumentException>(() => ForecastPolicyCatalog.All.Create("forecast-order-up-to", Inputs(new CostRates(0, 9))));
        Assert.Contains("holding cost of 0", ex.Message);
        Assert.Contains("'q'", ex.Message);

        var both = Assert.Throws<ArgumentException>(() => ForecastPolicyCatalog.All.Create(
            "forecast-order-up-to", Inputs(new CostRates(1, 9), parameters: new() { ["q"] = 0.6, ["serviceLevel"] = 0.7 })));
        Assert.Contains("not both", both.Message);
    }

    [Theory]
    [InlineData("forecast-order-up-to")]
    [InlineData("forecast-safety-stock")]
    [InlineData("season-aware")]
    public void A_forecast_policy_without_an_outlook_fails_naming_itself_and_the_day(string name)
    {
        var policy = ForecastPolicyCatalog.All.Create(name, Inputs(new CostRates(1, 9)));
        var ex = Assert.Throws<InvalidOperationException>(() => policy.Order(At(null, onHand: 10, lead: 2, review: 1, daysToSeasonEnd: 1)));
        Assert.Contains($"'{name}'", ex.Message);
        Assert.Contains("review day 3", ex.Message);
    }

    [Fact]
    public void Safety_stock_is_z_times_the_error_sd_times_the_root_of_the_interval_above_the_mean()
    {
        // L = 2, R = 2 -> 4 days: mean 40; z = 2, error sd 3: 40 + 2 x 3 x sqrt(4) = 52; position 12 -> 40
        var policy = (ForecastSafetyStockPolicy)ForecastPolicyCatalog.All.Create(
            "forecast-safety-stock", Inputs(new CostRates(1, 9), parameters: new() { ["z"] = 2 }));
        var outlook = new HandOutlook(errorSd: 3);
        Assert.Equal(40, policy.Order(At(outlook, onHand: 12, lead: 2, review: 2)), 9);
        Assert.Equal((0, 4), Assert.Single(outlook.MeanCalls));
        Assert.Empty(outlook.QuantileCalls);
    }

    [Fact]
    public void Safety_stock_takes_z_from_the_service_level_and_falls_back_to_the_history_sd()
    {
        // service level 0.95 -> z = 1.6448536; no error record in the outlook -> history sd 2
        var inputs = Inputs(new CostRates(1, 9)) with
        {
            TargetServiceLevel = 0.95,
            History = new DemandStatistics(10, 2, 100),
        };
        var policy = (ForecastSafetyStockPolicy)ForecastPolicyCatalog.All.Create("forecast-safety-stock", inputs);
        Assert.Equal(1.6448536269514722, policy.SafetyFactor, 9);
        var context = At(new PlainOutlook(), onHand: 0, lead: 2, review: 2);
        Assert.Equal(40 + (1.6448536269514722 * 2 * 2), policy.Target(context), 9);

        // an error record of the outlook wins over the history
        Assert.Equal(40 + (1.6448536269514722 * 5 * 2), policy.Target(At(new HandOutlook(errorSd: 5), onHand: 0, lead: 2, review: 2)), 9);

        // neither: a clear error
        var bare = new ForecastSafetyStockPolicy(2);
        var ex = Assert.Throws<InvalidOperationException>(() => bare.Order(context));
        Assert.Contains("no forecast-error record", ex.Message);
    }

    [Fact]
    public void Season_aware_orders_as_order_up_to_while_later_orders_can_still_arrive()
    {
        var inputs = Inputs(new CostRates(1, 9), Fulfilment.LostSales);
        var seasonAware = ForecastPolicyCatalog.All.Create("season-aware", inputs);
        var orderUpTo = ForecastPolicyCatalog.All.Create("forecast-order-up-to", inputs);

        // L = 2, R = 7: days to season end 9 >= 9 and unknown both order up to 9 x 10 + 90 = 180
        foreach (var daysLeft in new[] { 9, 40, int.MaxValue })
        {
            var context = At(new HandOutlook(), onHand: 30, lead: 2, review: 7, daysToSeasonEnd: daysLeft);
            Assert.False(SeasonAwarePolicy.IsLastOrder(context));
            Assert.Equal(orderUpTo.Order(context), seasonAware.Order(context));
            Assert.Equal(150, seasonAware.Order(context), 9);
        }
    }

    [Fact]
    public void The_last_order_of_the_season_is_a_newsvendor_on_the_remaining_days_with_salvage()
    {
        // lost sales p = 6, h = 0.5, unit cost 5, salvage 1; L = 2, R = 7, 4 days after today remain (5 days in all).
        // A leftover arrives on day t + 2 and is held 4 + 1 - 2 = 3 days: co = 5 - 1 + 0.5 x 3 = 5.5; cu = 6.
        // ratio 6 / 11.5 = 0.5217391; target = 5 x 10 + 100 x 0.5217391 = 102.17391; position 40 -> 62.17391
        var policy = (SeasonAwarePolicy)ForecastPolicyCatalog.All.Create("season-aware", Inputs(new CostRates(0.5, 6), Fulfilment.LostSales));
        var outlook = new HandOutlook();
        var context = At(outlook, onHand: 40, lead: 2, review: 7, daysToSeasonEnd: 4);
        Assert.True(SeasonAwarePolicy.IsLastOrder(context));
        Assert.Equal(5.5, policy.OverageCost(context), 12);
        Assert.Equal(6, policy.UnderageCost(context), 12);
        Assert.Equal(6 / 11.5, policy.SeasonEndRatio(context), 12);
        Assert.Equal(50 + (100 * 6 / 11.5), policy.Order(context) + 40, 9);
        var call = Assert.Single(outlook.QuantileCalls);
        Assert.Equal((0, 5), (call.Offset, call.Days));
    }

    [Fact]
    public void With_backorders_a_season_end_shortage_costs_b_for_the_days_it_waits_on_average()
    {
        // b = 2 per unit-day, 3 days covered after arrival: cu = 2 x (3 + 1) / 2 = 4; co = 5 - 1 + 1 x 3 = 7
        var policy = (SeasonAwarePolicy)ForecastPolicyCatalog.All.Create("season-aware", Inputs(new CostRates(1, 2)));
        var context = At(new HandOutlook(), onHand: 0, lead: 2, review: 7, daysToSeasonEnd: 4);
        Assert.Equal(4, policy.UnderageCost(context), 12);
        Assert.Equal(7, policy.OverageCost(context), 12);
        Assert.Equal(4 / 11.0, policy.SeasonEndRatio(context), 12);

        // explicit underage and overage are used as given: 3 / (3 + 1) = 0.75
        var given = (SeasonAwarePolicy)ForecastPolicyCatalog.All.Create(
            "season-aware", Inputs(new CostRates(1, 2), parameters: new() { ["underage"] = 3, ["overage"] = 1 }));
        Assert.Equal(0.75, given.SeasonEndRatio(context), 12);
    }

    [Fact]
    public void Season_aware_orders_nothing_that_would_arrive_after_the_season()
    {
        // L = 2 but only today and tomorrow remain (days to season end 1): anything ordered arrives too late
        var policy = ForecastPolicyCatalog.All.Create("season-aware", Inputs(new CostRates(0.5, 6), Fulfilment.LostSales));
        var outlook = new HandOutlook();
        Assert.Equal(0, policy.Order(At(outlook, onHand: 0, lead: 2, review: 7, daysToSeasonEnd: 1)));
        Assert.Empty(outlook.QuantileCalls);
    }

    [Fact]
    public void Season_aware_rejects_costs_that_make_leftovers_free()
    {
        // unit cost 5 = salvage 5 and no holding cost: the newsvendor would buy without limit
        var inputs = Inputs(new CostRates(0, 6), Fulfilment.LostSales, new() { ["q"] = 0.9 }) with
        {
            Terms = new SkuTerms { LeadTimeDays = 2, UnitCost = 5, SalvageValue = 5 },
        };
        var ex = Assert.Throws<ArgumentException>(() => ForecastPolicyCatalog.All.Create("season-aware", inputs));
        Assert.Contains("overage", ex.Message);
    }

    [Fact]
    public void The_ledger_hands_the_days_to_season_end_and_the_outlook_to_the_policy()
    {
        var seen = new List<ReviewContext>();
        var policy = new Capturing(seen);
        var ledger = new InventoryLedger(new SkuTerms { LeadTimeDays = 1 }, new CostRates(1, 1), Fulfilment.LostSales);
        var outlook = new HandOutlook();
        ledger.Step(new DayInput(0, true, Outlook: outlook) { DaysToSeasonEnd = 5 }, policy);
        ledger.Step(new DayInput(0, true), policy);
        Assert.Equal(5, seen[0].DaysToSeasonEnd);
        Assert.Same(outlook, seen[0].Outlook);
        Assert.Equal(int.MaxValue, seen[1].DaysToSeasonEnd);
        Assert.Equal(int.MaxValue, new ReviewContext().DaysToSeasonEnd);
    }

    [Fact]
    public void The_forecast_policies_have_unique_names_and_stay_out_of_the_classical_catalog()
    {
        Assert.Equal(["forecast-order-up-to", "forecast-lookahead", "forecast-sS", "forecast-safety-stock", "season-aware"], ForecastPolicyCatalog.Factories.Select(f => f.Name).ToArray());
        Assert.All(ForecastPolicyCatalog.Factories, f => Assert.False(PolicyCatalog.Classical.Contains(f.Name)));
        Assert.Equal(10, ForecastPolicyCatalog.All.Names.Count());
        Assert.True(ForecastPolicyCatalog.NeedsOutlook("season-aware"));
        Assert.False(ForecastPolicyCatalog.NeedsOutlook("base-stock"));
    }

    private sealed class Capturing(List<ReviewContext> seen) : IReorderPolicy
    {
        public string Name => "capturing";

        public double Order(in ReviewContext context)
        {
            seen.Add(context);
            return 0;
        }
    }
}
