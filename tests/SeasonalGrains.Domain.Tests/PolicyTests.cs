using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Domain.Tests;

public sealed class PolicyTests
{
    private static ReviewContext At(double onHand, double onOrder = 0, double backorders = 0, int day = 0, int daysToHoliday = int.MaxValue) => new()
    {
        Day = day,
        OnHand = onHand,
        OnOrder = onOrder,
        Backorders = backorders,
        ReviewPeriodDays = 1,
        DaysToNextHoliday = daysToHoliday,
    };

    [Fact]
    public void Base_stock_orders_the_gap_to_S_from_the_inventory_position()
    {
        var policy = new BaseStockPolicy(50);
        Assert.Equal(25, policy.Order(At(onHand: 20, onOrder: 10, backorders: 5)));
        Assert.Equal(0, policy.Order(At(onHand: 60)));
    }

    [Fact]
    public void Min_max_orders_up_to_S_only_at_or_below_s()
    {
        var policy = new MinMaxPolicy(4, 10);
        Assert.Equal(6, policy.Order(At(4)));
        Assert.Equal(0, policy.Order(At(5)));
        Assert.Equal(13, policy.Order(At(0, backorders: 3)));
    }

    [Theory]
    [InlineData(11, 0)]   // above r
    [InlineData(10, 5)]   // at r: one batch lifts it to 15
    [InlineData(3, 10)]   // needs two batches: 3 + 5 = 8 is still <= 10
    [InlineData(-7, 20)]  // four batches: -7 + 20 = 13
    public void R_Q_orders_the_smallest_multiple_of_Q_that_lifts_the_position_above_r(double position, double expected)
    {
        var policy = new ReorderPointQuantityPolicy(10, 5);
        Assert.Equal(expected, policy.Order(At(onHand: Math.Max(position, 0), backorders: Math.Max(-position, 0))));
    }

    [Fact]
    public void Periodic_review_orders_only_every_R_days()
    {
        var policy = new PeriodicReviewPolicy(7, 30);
        Assert.Equal(20, policy.Order(At(10, day: 14)));
        Assert.Equal(0, policy.Order(At(10, day: 15)));
    }

    [Fact]
    public void The_rule_engine_raises_min_and_max_before_a_holiday()
    {
        var policy = new RuleEnginePolicy(min: 10, max: 20, uplift: 0.5, upliftDays: 7);
        Assert.Equal(0, policy.Order(At(12, daysToHoliday: 10)));   // 12 > min 10
        Assert.Equal(18, policy.Order(At(12, daysToHoliday: 5)));   // min 15, max 30 -> 30 - 12
        Assert.Equal(12, policy.Order(At(8, daysToHoliday: 10)));   // plain min-max: 20 - 8
    }

    [Fact]
    public void Parameters_not_given_are_derived_from_history_for_the_target_service_level()
    {
        // mean 10, sd 2 per day, L = 3, R = 1: S = 10 x 4 + z(0.95) x 2 x sqrt(4), z(0.95) = 1.6448536
        var inputs = new PolicyInputs
        {
            Terms = new SkuTerms { LeadTimeDays = 3 },
            ReviewPeriodDays = 1,
            History = new DemandStatistics(10, 2, 365),
            TargetServiceLevel = 0.95,
        };
        var policy = (BaseStockPolicy)PolicyCatalog.Classical.Create("base-stock", inputs);
        Assert.Equal(40 + (1.6448536269514722 * 4), policy.OrderUpTo, 6);
    }

    [Fact]
    public void Min_max_derives_S_as_s_plus_the_economic_order_quantity()
    {
        // EOQ = sqrt(2 K d / h) = sqrt(2 x 50 x 10 / 0.5) = 44.72136
        var inputs = new PolicyInputs
        {
            Parameters = new Dictionary<string, double> { ["s"] = 30 },
            Costs = new CostRates(0.5, 1, 50),
            History = new DemandStatistics(10, 2, 365),
        };
        var policy = (MinMaxPolicy)PolicyCatalog.Classical.Create("sS", inputs);
        Assert.Equal(30, policy.ReorderPoint);
        Assert.Equal(30 + Math.Sqrt(2000), policy.OrderUpTo, 9);
    }

    [Fact]
    public void The_critical_ratio_sets_the_newsvendor_quantile()
    {
        // backorder cost b = 0.7, holding h = 0.18: the optimal service level is b / (b + h) = 0.795454...
        var inputs = new PolicyInputs
        {
            Terms = new SkuTerms(),
            ReviewPeriodDays = 1,
            History = new DemandStatistics(50, 8, 1000),
            TargetServiceLevel = 0.7 / (0.7 + 0.18),
        };
        var policy = (BaseStockPolicy)PolicyCatalog.Classical.Create("base-stock", inputs);
        Assert.Equal(56.60396, policy.OrderUpTo, 4); // Snyder & Shen, Example 4.3
    }

    [Fact]
    public void Unknown_parameters_and_policies_are_rejected_with_what_is_allowed()
    {
        var bad = new PolicyInputs { Parameters = new Dictionary<string, double> { ["T"] = 1 } };
        var ex = Assert.Throws<ArgumentException>(() => PolicyCatalog.Classical.Create("sS", bad));
        Assert.Contains("'T'", ex.Message);
        Assert.Contains("s, S", ex.Message);
        var unknown = Assert.Throws<KeyNotFoundException>(() => PolicyCatalog.Classical.Get("magic"));
        Assert.Contains("base-stock", unknown.Message);
    }

    [Fact]
    public void The_classical_catalog_holds_each_policy_once_and_rejects_duplicates()
    {
        Assert.Equal(["RS", "base-stock", "rQ", "rule", "sS"], PolicyCatalog.Classical.Names.ToArray());
        Assert.Throws<ArgumentException>(() => PolicyCatalog.Classical.With(new BaseStockPolicyFactory()));
    }

    [Theory]
    [InlineData("sS", "sS")]
    [InlineData("ss", "sS")]
    [InlineData("BASE-STOCK", "base-stock")]
    [InlineData("rs", "RS")]
    [InlineData("magic", null)]
    public void A_written_policy_name_resolves_ignoring_case_to_its_registered_spelling(string written, string? registered)
    {
        Assert.Equal(registered, PolicyCatalog.Classical.Resolve(written));
    }

    [Fact]
    public void Two_policies_whose_names_differ_only_in_case_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => PolicyCatalog.Classical.With(new NamedFactory("SS")));

        Assert.Equal("Two policies are named 'sS' and 'SS'; names must differ in more than case.", ex.Message);
    }

    private sealed class NamedFactory(string name) : IReorderPolicyFactory
    {
        public string Name => name;

        public string Description => "a test policy";

        public IReorderPolicy Create(PolicyInputs inputs) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.95, 1.6448536269514722)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.001, -3.090232306167813)]
    public void The_normal_quantile_function_matches_published_values(double p, double z)
    {
        Assert.Equal(z, Normal.InverseCdf(p), 9);
        Assert.Equal(p, Normal.Cdf(z), 12);
    }
}
