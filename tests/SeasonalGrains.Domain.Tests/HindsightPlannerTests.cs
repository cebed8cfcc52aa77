using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Planning;
using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Domain.Tests;

public sealed class HindsightPlannerTests
{
    [Fact]
    public void Ordering_twenty_twice_beats_forty_once_and_ten_every_day()
    {
        // demand 10 a day for 4 days, daily reviews, no lead time, K = 15, h = 1 per unit-day, no purchase cost,
        // a lost unit costs 100 (so every unit is covered). A lot covering n days costs 15 + 10 x (0 + 1 + .. + n-1):
        // n = 1: 15, n = 2: 25, n = 3: 45, n = 4: 75. Plans: every day 4 x 15 = 60; 40 once 15 + (30 + 20 + 10) = 75;
        // 20 on days 0 and 2: 2 x 25 = 50; 20 + 10 + 10: 25 + 15 + 15 = 55; 30 + 10: 45 + 15 = 60. The lowest is 50.
        var plan = HindsightPlanner.Plan(
            new SkuTerms(), new CostRates(1, 100, 15), Fulfilment.LostSales, 1, [10, 10, 10, 10], HindsightObjective.OperatingCost);

        Assert.Equal([20, 0, 20, 0], plan.Orders);
        Assert.Equal(50, plan.Cost, 9);
        Assert.Equal(50, plan.PlannedCost, 9);
        Assert.Equal((2, 30.0, 20.0, 0.0), (plan.Metrics.OrdersPlaced, plan.Metrics.OrderingCost, plan.Metrics.HoldingCost, plan.Metrics.ShortageCost));
        Assert.Equal(1, plan.Metrics.FillRate);
    }

    [Fact]
    public void Under_backorders_a_late_lot_serves_the_days_before_it_arrives()
    {
        // demand 10 a day for 4 days, reviews on days 0 and 2, lead time 1 (arrivals on days 1 and 3), K = 15, h = 1,
        // p = 2 per backordered unit-day. Day 0's demand waits a day whatever is ordered (2 x 10 = 20).
        // 30 on day 0 (days 0-2) + 10 on day 2 (day 3): 20 backorder + 10 held on day 1 + 2 x 15 = 60.
        // 40 on day 0: 20 + held 10 + 20 + 15 = 65; 20 + 20: 20 + 15 + (day 2 waits a day: 20) + 15 = 70;
        // 30 on day 0 and nothing more: 20 + 10 + 15 + day 3 backordered to the end (1 day: 20) = 65; nothing: 2 x 10 x (4+3+2+1) = 200.
        var plan = HindsightPlanner.Plan(
            new SkuTerms { LeadTimeDays = 1 }, new CostRates(1, 2, 15), Fulfilment.Backorders, 2, [10, 10, 10, 10], HindsightObjective.OperatingCost);

        Assert.Equal([30, 0, 10, 0], plan.Orders);
        Assert.Equal(60, plan.Cost, 9);
        Assert.Equal(60, plan.PlannedCost, 9);
        Assert.Equal((20.0, 10.0, 30.0), (plan.Metrics.ShortageCost, plan.Metrics.HoldingCost, plan.Metrics.OrderingCost));
    }

    [Fact]
    public void Initial_stock_serves_first_and_the_total_cost_counts_purchase_and_salvage()
    {
        // 15 units on hand, demand 10 a day for 3 days, daily reviews, no lead time, K = 5, h = 1, purchase 2, salvage 1,
        // a lost unit costs 50 (so every unit is covered). The stock covers day 0 and half of day 1, whatever is ordered:
        // 5 units held at the end of day 0 (5). What orders can serve: 5 units on day 1, 10 on day 2.
        // Two lots, 5 on day 1 and 10 on day 2: (5 + 5 x 2) + (5 + 10 x 2) = 40; one lot of 15 on day 1: 5 + 10 held a day
        // + 15 x 2 = 45. Total: 5 + 40 = 45, nothing left over (no salvage credit).
        var terms = new SkuTerms { InitialOnHand = 15, UnitCost = 2, SalvageValue = 1 };
        var costs = new CostRates(1, 50, 5, 2);
        var plan = HindsightPlanner.Plan(terms, costs, Fulfilment.LostSales, 1, [10, 10, 10], HindsightObjective.TotalCost(terms, costs));

        Assert.Equal([0, 5, 10], plan.Orders);
        Assert.Equal(45, plan.Cost, 9);
        Assert.Equal(45, plan.Metrics.TotalCost, 9);
    }

    [Fact]
    public void With_moq_or_case_pack_the_plan_ignores_them_and_says_so()
    {
        // the plan of the first test (20 twice) meets a case pack of 10 but not an MOQ of 25
        var costs = new CostRates(1, 100, 15);
        var packed = HindsightPlanner.Plan(new SkuTerms { CasePack = 10 }, costs, Fulfilment.LostSales, 1, [10, 10, 10, 10], HindsightObjective.OperatingCost);
        var moq = HindsightPlanner.Plan(new SkuTerms { Moq = 25 }, costs, Fulfilment.LostSales, 1, [10, 10, 10, 10], HindsightObjective.OperatingCost);

        Assert.Equal((true, true, 50.0), (packed.Relaxed, packed.Reachable, packed.Cost));
        Assert.Equal((true, false, 50.0), (moq.Relaxed, moq.Reachable, moq.Cost));
        Assert.Equal(20, moq.Metrics.UnitsOrdered / moq.Metrics.OrdersPlaced); // the ledger ran without the MOQ
    }

    [Fact]
    public void A_credit_above_the_purchase_cost_is_rejected_as_unbounded()
    {
        var ex = Assert.Throws<ArgumentException>(() => HindsightPlanner.Plan(
            new SkuTerms(), new CostRates(1, 1), Fulfilment.LostSales, 1, [1, 2], new HindsightObjective(1, 2)));
        Assert.Contains("unbounded", ex.Message);
    }

    public static TheoryData<Fulfilment, int, int> Settings()
    {
        var data = new TheoryData<Fulfilment, int, int>();
        foreach (var fulfilment in new[] { Fulfilment.LostSales, Fulfilment.Backorders })
        {
            foreach (var lead in new[] { 0, 1, 2 })
            {
                foreach (var review in new[] { 1, 2 })
                {
                    data.Add(fulfilment, lead, review);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void The_plan_costs_as_little_as_the_best_of_every_plan_enumerated(Fulfilment fulfilment, int lead, int review)
    {
        // every plan: each review day whose order arrives within the window orders 0, 1, .., Q units (Q = the demand
        // the initial stock leaves; more is never cheaper, as the credit is at most the purchase cost); orders arriving
        // after the window only add cost (K + purchase - credit >= 0) and are left out
        var random = new TestRandom((ulong)((lead * 10) + review + (fulfilment == Fulfilment.Backorders ? 100 : 0)));
        for (var instance = 0; instance < 12; instance++)
        {
            var days = review == 1 ? 5 : 6;
            var demand = Enumerable.Range(0, days).Select(_ => (double)(int)(random.NextDouble() * 3)).ToArray();
            var terms = new SkuTerms { LeadTimeDays = lead, InitialOnHand = (int)(random.NextDouble() * 4), SalvageValue = (int)(random.NextDouble() * 2) };
            var costs = new CostRates(1 + (int)(random.NextDouble() * 3), 1 + (int)(random.NextDouble() * 8), (int)(random.NextDouble() * 7), 1 + (int)(random.NextDouble() * 2));
            var residual = Math.Max(0, demand.Sum() - terms.InitialOnHand);
            foreach (var objective in new[] { HindsightObjective.OperatingCost, HindsightObjective.TotalCost(terms, costs) })
            {
                var plan = HindsightPlanner.Plan(terms, costs, fulfilment, review, demand, objective);
                var brute = BestByEnumeration(terms, costs, fulfilment, review, demand, objective, (int)residual);

                var what = $"instance {instance}: demand [{string.Join(", ", demand)}], stock {terms.InitialOnHand}, {costs}, objective {objective}";
                Assert.True(Math.Abs(plan.Cost - brute) < 1e-9, $"{what}: planned {plan.Cost}, best enumerated {brute}");
                Assert.True(Math.Abs(plan.PlannedCost - plan.Cost) < 1e-9, $"{what}: the programme says {plan.PlannedCost}, the ledger {plan.Cost}");
            }
        }
    }

    [Fact]
    public void No_base_stock_or_sS_policy_costs_less_than_hindsight_on_the_same_demand()
    {
        var random = new TestRandom(20240401);
        for (var instance = 0; instance < 300; instance++)
        {
            var days = 20 + (int)(random.NextDouble() * 40);
            var mean = 0.5 + (random.NextDouble() * 6);
            var demand = Enumerable.Range(0, days).Select(_ => (double)random.NextPoisson(mean)).ToArray();
            var purchase = random.NextDouble() < 0.5;
            var terms = new SkuTerms
            {
                LeadTimeDays = (int)(random.NextDouble() * 5),
                InitialOnHand = (int)(random.NextDouble() * 20),
                Moq = random.NextDouble() < 0.3 ? (int)(random.NextDouble() * 15) : 0,
                CasePack = random.NextDouble() < 0.3 ? 2 + (int)(random.NextDouble() * 5) : 1,
                UnitCost = 2,
                SalvageValue = purchase ? 0.6 : 0, // credited only where purchases are charged, as in scenarios
            };
            var costs = new CostRates(0.05 + random.NextDouble(), 0.5 + (random.NextDouble() * 8), random.NextDouble() * 30, purchase ? 2 : 0);
            var fulfilment = random.NextDouble() < 0.5 ? Fulfilment.LostSales : Fulfilment.Backorders;
            var review = 1 + (int)(random.NextDouble() * 3);
            var total = HindsightPlanner.Plan(terms, costs, fulfilment, review, demand, HindsightObjective.TotalCost(terms, costs));
            var operating = HindsightPlanner.Plan(terms, costs, fulfilment, review, demand, HindsightObjective.OperatingCost);
            Assert.True(Math.Abs(total.PlannedCost - total.Cost) < 1e-6, $"instance {instance}: programme {total.PlannedCost}, ledger {total.Cost}");
            Assert.True(Math.Abs(operating.PlannedCost - operating.Cost) < 1e-6, $"instance {instance}: programme {operating.PlannedCost}, ledger {operating.Cost}");
            Assert.Equal(total.Cost, total.Metrics.TotalCost, 6);
            Assert.Equal(operating.Cost, operating.Metrics.OperatingCost, 6);

            var top = (int)Math.Ceiling(mean * (terms.LeadTimeDays + review + 4));
            foreach (var policy in Policies(top))
            {
                var ledger = new InventoryLedger(terms, costs, fulfilment, review);
                foreach (var d in demand)
                {
                    ledger.Step(d, policy);
                }

                var m = ledger.Close();
                var what = $"instance {instance}, {policy.Name} {Describe(policy)}, {fulfilment}, L {terms.LeadTimeDays}, R {review}";
                Assert.True(total.Cost <= m.TotalCost + 1e-6, $"{what}: total cost {m.TotalCost} below hindsight {total.Cost}");
                Assert.True(operating.Cost <= m.OperatingCost + 1e-6, $"{what}: operating cost {m.OperatingCost} below hindsight {operating.Cost}");
            }
        }
    }

    private static IEnumerable<IReorderPolicy> Policies(int top)
    {
        var step = Math.Max(1, top / 8);
        for (var big = 0; big <= top; big += step)
        {
            yield return new BaseStockPolicy(big);
            for (var small = -1; small < big; small += step)
            {
                yield return new MinMaxPolicy(small, big);
            }
        }
    }

    private static string Describe(IReorderPolicy policy) => policy switch
    {
        BaseStockPolicy b => $"S = {b.OrderUpTo}",
        MinMaxPolicy m => $"s = {m.ReorderPoint}, S = {m.OrderUpTo}",
        _ => "",
    };

    private static double BestByEnumeration(
        SkuTerms terms, CostRates costs, Fulfilment fulfilment, int review, double[] demand, HindsightObjective objective, int most)
    {
        var ordering = Enumerable.Range(0, demand.Length).Where(d => d % review == 0 && d + terms.LeadTimeDays < demand.Length).ToArray();
        var orders = new double[demand.Length];
        var best = double.PositiveInfinity;
        var plans = (int)Math.Pow(most + 1, ordering.Length);
        for (var code = 0; code < plans; code++)
        {
            var rest = code;
            foreach (var day in ordering)
            {
                orders[day] = rest % (most + 1);
                rest /= most + 1;
            }

            var ledger = new InventoryLedger(terms, costs, fulfilment, review);
            var policy = new PlannedOrdersPolicy(orders);
            foreach (var d in demand)
            {
                ledger.Step(d, policy);
            }

            best = Math.Min(best, objective.Of(ledger.Close()));
        }

        return best;
    }
}
