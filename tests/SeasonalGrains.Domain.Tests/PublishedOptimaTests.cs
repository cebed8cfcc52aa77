using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Domain.Tests;

/// <summary>
/// Long fixed-seed simulations that reproduce published optimal costs of periodic-review models
/// (Snyder, L. V. and Shen, Z.-J. M., Fundamentals of Supply Chain Theory, 2nd ed., Wiley 2019).
/// </summary>
public sealed class PublishedOptimaTests
{
    private const int Periods = 1_000_000;

    [Fact]
    public void Base_stock_at_the_optimum_reproduces_Snyder_Shen_example_4_3()
    {
        // Normal demand mu = 50, sigma = 8; h = 0.18, p = 0.7 per unit per period; L = 0; backorders.
        // Optimal S* = 56.60396 with expected cost 1.997605 per period (Example 4.3).
        var ledger = new InventoryLedger(
            new SkuTerms { InitialOnHand = 56.60396 },
            new CostRates(HoldingPerUnitDay: 0.18, ShortagePerUnit: 0.7),
            Fulfilment.Backorders);
        var policy = new BaseStockPolicy(56.60396);
        var random = new TestRandom(43);
        for (var t = 0; t < Periods; t++)
        {
            ledger.Step(Math.Max(0, random.NextNormal(50, 8)), policy);
        }

        var costPerPeriod = ledger.Close().OperatingCost / Periods;
        Assert.InRange(costPerPeriod, 1.997605 * 0.99, 1.997605 * 1.01);
    }

    [Fact]
    public void The_derived_optimum_of_example_4_3_matches_the_critical_ratio()
    {
        // S* = mu + sigma * z, z = inverse normal CDF of p / (p + h) = 0.7 / 0.88.
        var z = Normal.InverseCdf(0.7 / 0.88);
        Assert.Equal(56.60396, 50 + (8 * z), 1e-5);

        // expected cost (h + p) * sigma * pdf(z)
        Assert.Equal(1.997605, 0.88 * 8 * Normal.Pdf(z), 1e-6);
    }

    [Fact]
    public void Min_max_at_4_10_reproduces_Snyder_Shen_example_4_7()
    {
        // Poisson(6) demand; h = 1, p = 4 per unit per period, K = 5 per order; L = 0; backorders.
        // (s, S) = (4, 10), ordering when the position is at or below s: cost 8.034112 per period (Example 4.7).
        var ledger = new InventoryLedger(
            new SkuTerms { InitialOnHand = 10 },
            new CostRates(HoldingPerUnitDay: 1, ShortagePerUnit: 4, FixedPerOrder: 5),
            Fulfilment.Backorders);
        var policy = new MinMaxPolicy(4, 10);
        var random = new TestRandom(47);
        for (var t = 0; t < Periods; t++)
        {
            ledger.Step(random.NextPoisson(6), policy);
        }

        var costPerPeriod = ledger.Close().OperatingCost / Periods;
        Assert.InRange(costPerPeriod, 8.034112 * 0.99, 8.034112 * 1.01);
    }

    [Theory]
    [InlineData(40.0)]
    [InlineData(50.0)]
    [InlineData(56.60396)]
    [InlineData(65.0)]
    public void Lost_sales_with_zero_lead_time_costs_exactly_the_newsvendor_cost_at_every_S(double orderUpTo)
    {
        const double h = 0.18, p = 0.7;
        var ledger = new InventoryLedger(
            new SkuTerms { InitialOnHand = orderUpTo },
            new CostRates(HoldingPerUnitDay: h, ShortagePerUnit: p),
            Fulfilment.LostSales);
        var policy = new BaseStockPolicy(orderUpTo);
        var random = new TestRandom(11);
        double newsvendor = 0;
        const int days = 200_000;
        for (var t = 0; t < days; t++)
        {
            var d = Math.Max(0, random.NextNormal(50, 8));
            ledger.Step(d, policy);
            newsvendor += (h * Math.Max(orderUpTo - d, 0)) + (p * Math.Max(d - orderUpTo, 0));
        }

        // the same sample path: every day starts at S, so the costs agree to rounding
        var simulated = ledger.Close().OperatingCost;
        Assert.Equal(newsvendor, simulated, newsvendor * 1e-9);

        // and both are near the expected newsvendor cost h E(S-D)+ + p E(D-S)+
        var z = (orderUpTo - 50) / 8;
        var expectedShort = 8 * Normal.Loss(z);
        var expected = (h * (orderUpTo - 50 + expectedShort)) + (p * expectedShort);
        Assert.InRange(simulated / days, expected * 0.99, expected * 1.01);
    }
}
