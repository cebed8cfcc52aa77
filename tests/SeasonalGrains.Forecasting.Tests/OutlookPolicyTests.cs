using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;
using SeasonalGrains.Forecasting.Outlook;

namespace SeasonalGrains.Forecasting.Tests;

public sealed class OutlookPolicyTests
{
    [Fact]
    public void Ordering_up_to_the_q_quantile_of_lead_time_plus_review_demand_gives_cycle_service_level_q()
    {
        // Periodic review with backorders: with S the q-quantile of demand over L + R days, a review
        // cycle ends without a stockout with probability q (the newsvendor property of base-stock
        // policies). Daily N(20, 5^2) demand, L = 2, R = 1, q = 0.9, 3000 days: the measured cycle
        // service level should be 0.90 within sampling noise (about 0.6 points here; measured 0.902).
        var levels = OutlookOptions.DefaultLevels;
        var scores = QuantileCurve.NormalScores(levels);
        var curve = QuantileCurve.FromScores(scores, scores.Select(z => 20 + (5 * z)).ToArray());
        var policy = new ForecastOrderUpToPolicy(0.9);
        var ledger = new InventoryLedger(new SkuTerms { LeadTimeDays = 2, InitialOnHand = 60 }, new CostRates(1, 9), Fulfilment.Backorders);
        var random = new Random(11);
        var settings = new SamplePathSettings(512, 0);
        for (var day = 0; day < 3000; day++)
        {
            var outlook = new SamplePathOutlook([20, 20, 20], [curve, curve, curve], settings, SamplePathOutlook.StreamKey(5, "A", day));
            var demand = Math.Max(0, 20 + (5 * BaselinesTestData.Normal(random)));
            ledger.Step(new DayInput(demand, true, Outlook: outlook), policy);
        }

        var metrics = ledger.Close();
        Assert.InRange(metrics.CycleServiceLevel, 0.88, 0.92);

        // S = 60 + 1.2816 x 5 x sqrt(3) = 71.10. End-of-day stock is (S - D)+ with D the demand of L + 1 = 3 days,
        // N(60, 8.66^2): E = (S - 60) + 8.66 x L(1.2816) = 11.10 + 8.66 x 0.0475 = 11.51 (L the normal loss function)
        Assert.Equal(60 + (Normal.InverseCdf(0.9) * 5 * Math.Sqrt(3)), policy.Target(new ReviewContext
        {
            LeadTimeDays = 2,
            ReviewPeriodDays = 1,
            Outlook = new NormalOutlook([20, 20, 20], [5, 5, 5]),
        }), 9);
        Assert.InRange(metrics.AverageOnHandUnits, 11.1, 11.9);
    }
}
