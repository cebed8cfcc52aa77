using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Domain.Tests;

public sealed class DomainLimitsTests
{
    /// <summary>The longest dataset range (DatasetReader.MaxDays, 100 years).</summary>
    private const int HundredYears = 36_600;

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.000001)]
    [InlineData(0.1)]
    [InlineData(1e9)]
    public void Quantities_from_0_and_the_unit_step_up_to_1e9_are_allowed(double units) =>
        Assert.Null(DomainLimits.UnitsProblem(units));

    [Theory]
    [InlineData(1e308)]
    [InlineData(1e160)]
    [InlineData(1e9 + 1)]
    [InlineData(-1.0)]
    [InlineData(5e-324)]
    [InlineData(1e-7)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Huge_negative_subnormal_and_non_finite_quantities_are_refused(double units)
    {
        var problem = DomainLimits.UnitsProblem(units);
        Assert.NotNull(problem);
        Assert.StartsWith("must be 0 or a number of units from 0.000001 to 1000000000", problem);
    }

    [Fact]
    public void An_event_of_0_units_is_refused_and_the_problem_quotes_the_value()
    {
        Assert.Equal("must be a number of units from 0.000001 to 1000000000 (got 0)", DomainLimits.EventUnitsProblem(0));
        Assert.Equal("must be a number of units from 0.000001 to 1000000000 (got 1E+308)", DomainLimits.EventUnitsProblem(1e308));
        Assert.Null(DomainLimits.EventUnitsProblem(3));
    }

    [Theory]
    [InlineData(1e308, false)]
    [InlineData(-0.01, false)]
    [InlineData(1e9, true)]
    [InlineData(0.0, true)]
    public void Money_is_a_finite_amount_from_0_to_1e9(double amount, bool allowed) =>
        Assert.Equal(allowed, DomainLimits.MoneyProblem(amount) is null);

    [Theory]
    [InlineData(1e308, false)]
    [InlineData(-1e10, false)]
    [InlineData(-100.0, true)]
    [InlineData(1e9, true)]
    public void Policy_parameters_are_finite_with_magnitude_at_most_1e9(double value, bool allowed) =>
        Assert.Equal(allowed, DomainLimits.ParameterProblem(value) is null);

    [Fact]
    public void Two_hundred_quantities_of_a_tenth_rounded_to_the_unit_step_sum_to_exactly_20()
    {
        double plain = 0, rounded = 0;
        for (var i = 0; i < 200; i++)
        {
            plain += 0.1;
            rounded = DomainLimits.RoundUnits(rounded + DomainLimits.RoundUnits(0.1));
        }

        Assert.NotEqual(20, plain); // the drift the rounding removes: 20.000000000000018
        Assert.Equal(20, rounded);
        Assert.Equal(383, DomainLimits.RoundUnits(403 - rounded));
        Assert.Equal(0.000001, DomainLimits.RoundUnits(0.0000014));
        Assert.Equal(0, DomainLimits.RoundUnits(5e-324));
    }

    [Fact]
    public void A_negative_order_up_to_level_is_refused_naming_S_but_a_negative_reorder_point_is_not()
    {
        static PolicyInputs With(double s, double orderUpTo) => new()
        {
            Parameters = new Dictionary<string, double> { ["s"] = s, ["S"] = orderUpTo },
            History = new DemandStatistics(1, 1, 100),
        };

        var refused = Assert.Throws<ArgumentException>(() => PolicyCatalog.Classical.Create(MinMaxPolicy.PolicyName, With(-5, -1)));
        Assert.Equal("S is an order-up-to level and must be >= 0 (got -1).", refused.Message);

        // s = -100, S = 0 never orders while nothing is backordered: allowed
        var never = (MinMaxPolicy)PolicyCatalog.Classical.Create(MinMaxPolicy.PolicyName, With(-100, 0));
        Assert.Equal(-100, never.ReorderPoint);
    }

    /// <summary>
    /// The worst a valid input can do: demand at the maximum every day for a hundred years, every price and
    /// cost at the maximum, either never ordering (backorders grow every day) or ordering up to the
    /// largest parameter. Every figure stays finite; the demand total is 1e9 x 36,600 = 3.66e13 exactly.
    /// </summary>
    [Theory]
    [InlineData(Fulfilment.Backorders, false)]
    [InlineData(Fulfilment.Backorders, true)]
    [InlineData(Fulfilment.LostSales, true)]
    public void Units_at_the_maximum_every_day_for_a_hundred_years_keep_every_figure_finite(Fulfilment fulfilment, bool orderAndReceive)
    {
        const double M = DomainLimits.MaxMoney;
        var terms = new SkuTerms
        {
            LeadTimeDays = 365,
            InitialOnHand = DomainLimits.MaxUnits,
            Moq = DomainLimits.MaxUnits,
            CasePack = DomainLimits.MaxUnits,
            UnitCost = M,
            UnitPrice = M,
            SalvageValue = M,
        };
        var ledger = new InventoryLedger(terms, new CostRates(M, M, M, M), fulfilment);
        IReorderPolicy policy = orderAndReceive ? new BaseStockPolicy(DomainLimits.MaxParameter) : new NeverOrder();
        for (var day = 0; day < HundredYears; day++)
        {
            if (orderAndReceive)
            {
                ledger.ReceiveUnplanned(DomainLimits.MaxUnits);
            }

            ledger.Step(DomainLimits.MaxUnits, policy);
        }

        var metrics = ledger.Close();
        Assert.Equal(3.66e13, metrics.UnitsDemanded);
        var figures = typeof(InventoryMetrics).GetProperties()
            .Where(p => p.PropertyType == typeof(double))
            .Select(p => (p.Name, Value: (double)p.GetValue(metrics)!))
            .ToList();
        Assert.True(figures.Count >= 20, "the metrics' figures were found");
        Assert.All(figures, f => Assert.True(double.IsFinite(f.Value) && Math.Abs(f.Value) < 1e30, $"{f.Name} = {f.Value}"));
    }

    private sealed class NeverOrder : IReorderPolicy
    {
        public string Name => "never";

        public double Order(in ReviewContext context) => 0;
    }
}
