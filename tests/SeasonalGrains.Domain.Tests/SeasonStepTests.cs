using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Domain.Tests;

public sealed class SeasonStepTests
{
    private static readonly CostRates NoCosts = new(0, 0);

    /// <summary>Records what it sees and orders a fixed quantity on every review.</summary>
    private sealed class Recording(double order) : IReorderPolicy
    {
        public string Name => "recording";

        public List<ReviewContext> Seen { get; } = [];

        public double Order(in ReviewContext context)
        {
            Seen.Add(context);
            return order;
        }
    }

    /// <summary>A flat outlook that says which day it was made for.</summary>
    private sealed record DayOutlook(int Day) : IDemandOutlook
    {
        public double Mean(int offset, int days) => days;

        public double Quantile(double level, int offset, int days) => days;
    }

    /// <summary>Outlooks by day; with <paramref name="yields"/>, <see cref="ReviewAsync"/> completes later, as a forecast service's does.</summary>
    private sealed class Source(bool yields = false) : IOutlookSource
    {
        public List<int> Reviews { get; } = [];

        public List<(int Day, double Demand)> Observed { get; } = [];

        public IDemandOutlook Review(int day)
        {
            Reviews.Add(day);
            return new DayOutlook(day);
        }

        public async ValueTask<IDemandOutlook> ReviewAsync(int day)
        {
            if (yields)
            {
                await Task.Yield();
            }

            return Review(day);
        }

        public void Observe(int day, double demand) => Observed.Add((day, demand));
    }

    [Fact]
    public void Reviews_see_the_days_left_to_the_season_end_and_the_outlook_made_for_their_day()
    {
        var ledger = new InventoryLedger(new SkuTerms { InitialOnHand = 100 }, NoCosts, Fulfilment.LostSales, reviewPeriodDays: 2);
        var policy = new Recording(0);
        var source = new Source();
        var season = new SeasonStep(ledger, policy, seasonDays: 5, source);
        for (var d = 0; d < 5; d++)
        {
            season.Step(d + 1, daysToNextHoliday: 10 - d);
        }

        Assert.Equal([0, 2, 4], policy.Seen.Select(c => c.Day));
        Assert.Equal([4, 2, 0], policy.Seen.Select(c => c.DaysToSeasonEnd));
        Assert.Equal([10, 8, 6], policy.Seen.Select(c => c.DaysToNextHoliday));
        Assert.Equal([0, 2, 4], policy.Seen.Select(c => ((DayOutlook)c.Outlook!).Day));
        Assert.Equal([0, 2, 4], source.Reviews);
        Assert.Equal([(0, 1.0), (1, 2.0), (2, 3.0), (3, 4.0), (4, 5.0)], source.Observed);
    }

    [Fact]
    public void An_open_ended_season_shows_no_end_and_no_outlook_without_a_source()
    {
        var ledger = new InventoryLedger(new SkuTerms { InitialOnHand = 10 }, NoCosts, Fulfilment.LostSales);
        var policy = new Recording(0);
        var season = new SeasonStep(ledger, policy);
        season.Step(1);
        season.Step(1);

        Assert.All(policy.Seen, c => Assert.Equal(int.MaxValue, c.DaysToSeasonEnd));
        Assert.All(policy.Seen, c => Assert.Null(c.Outlook));
        Assert.Equal(int.MaxValue, season.Input(0).DaysToSeasonEnd);
    }

    [Fact]
    public async Task StepAsync_runs_the_same_day_as_Step()
    {
        static SeasonStep Season(Recording policy, Source source) => new(
            new InventoryLedger(new SkuTerms { LeadTimeDays = 1, InitialOnHand = 3 }, new CostRates(1, 5), Fulfilment.Backorders, reviewPeriodDays: 3),
            policy, seasonDays: 7, source);
        var sync = Season(new Recording(4), new Source());
        var asyncSource = new Source(yields: true);
        var async = Season(new Recording(4), asyncSource);
        double[] demand = [2, 0, 5, 1, 1, 3, 0];
        foreach (var units in demand)
        {
            Assert.Equal(sync.Step(units), await async.StepAsync(units));
        }

        Assert.Equal(sync.Close(), async.Close());
        Assert.Equal([0, 3, 6], asyncSource.Reviews);
        Assert.Equal(7, asyncSource.Observed.Count);
    }

    /// <summary>
    /// Review period 2, on hand 5, nothing ordered: days 0-1 sell 1 + 1 (3 left), days 2-3 sell 1 and then 2 of 5
    /// (a stockout), days 4-5 sell nothing. Three cycles, one with a stockout: a cycle service level of 2/3.
    /// </summary>
    [Fact]
    public void Orders_placed_outside_the_step_still_close_a_review_cycle_on_each_review_day()
    {
        var ledger = new InventoryLedger(new SkuTerms { InitialOnHand = 5 }, NoCosts, Fulfilment.LostSales, reviewPeriodDays: 2);
        var season = new SeasonStep(ledger, SeasonStep.OrdersPlacedOutside);
        foreach (var units in new double[] { 1, 1, 1, 5, 0, 0 })
        {
            season.Step(units);
        }

        var metrics = season.Close();
        Assert.Equal(3, metrics.Cycles);
        Assert.Equal(1, metrics.CyclesWithStockout);
        Assert.Equal(2.0 / 3, metrics.CycleServiceLevel, 12);
        Assert.Equal(0, metrics.OrdersPlaced);
    }

    /// <summary>
    /// Lead time 2, on hand 4, 6 units on order: asked ahead of day 1, the policy sees the position 10 and no
    /// pipeline schedule; its 7 units round up to the case pack of 5 (10), and nothing is placed.
    /// </summary>
    [Fact]
    public void A_suggestion_asks_the_policy_ahead_of_the_day_and_places_nothing()
    {
        var terms = new SkuTerms { LeadTimeDays = 2, InitialOnHand = 4, CasePack = 5 };
        var ledger = new InventoryLedger(terms, NoCosts, Fulfilment.LostSales);
        ledger.Step(0, SeasonStep.OrdersPlacedOutside);
        ledger.PlaceOrder(6);
        var policy = new Recording(7);
        var suggestion = new SeasonStep(ledger, policy, seasonDays: 10).Suggest(daysToNextHoliday: 3);

        Assert.Equal(new OrderSuggestion(7, 10), suggestion);
        var seen = Assert.Single(policy.Seen);
        Assert.Equal(1, seen.Day);
        Assert.Equal(10, seen.InventoryPosition);
        Assert.Equal(8, seen.DaysToSeasonEnd);
        Assert.Equal(3, seen.DaysToNextHoliday);
        Assert.False(seen.Pipeline.IsKnown);
        Assert.Equal(6, ledger.OnOrder);
        Assert.Equal(1, ledger.Day);
    }
}
