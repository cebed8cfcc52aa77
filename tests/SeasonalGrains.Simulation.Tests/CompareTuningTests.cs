using SeasonalGrains.Abstractions;
using SeasonalGrains.Grains;
using SeasonalGrains.Simulation.Compare;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Tests;

public sealed class CompareTuningTests
{
    /// <summary>
    /// A SKU with no lead time, no stock at the start and a constant demand of <paramref name="perDay"/> for 12 days;
    /// holding 1 per unit-day, fixed cost 4 per order, lost sales at 10 a unit, no purchase cost, daily reviews.
    /// </summary>
    private static TuningSku Constant(string sku, string category, double perDay) => new(
        new SkuSetup
        {
            Sku = sku,
            Terms = new SkuTermsSpec { LeadTimeDays = 0, InitialOnHand = 0 },
            Costs = new CostRatesSpec { HoldingPerUnitDay = 1, ShortagePerUnit = 10, FixedPerOrder = 4 },
            Fulfilment = FulfilmentMode.LostSales,
            Policy = new PolicySpec { Name = "sS", HistoryMean = perDay, HistoryStandardDeviation = 0, HistoryDays = 12 },
        },
        category,
        [.. Enumerable.Repeat(perDay, 12)]);

    [Fact]
    public void Tuning_keeps_the_grid_point_with_the_lowest_training_cost()
    {
        // Demand 2 a day, sd 0: s = 2 (L + R = 1) for every z; EOQ = sqrt(2 x 4 x 2 / 1) = 4, so S = 2 + m x 4.
        //  m = 0.5, S = 4:  an order every day (12 x 4 = 48), 2 left each evening (24):       72
        //  m = 1,   S = 6:  an order every 2nd day (6 x 4 = 24), 4 and 2 left (6 x 6 = 36):    60
        //  m = 2,   S = 10: an order every 4th day (3 x 4 = 12), 8, 6, 4, 2 left (3 x 20):     72
        //  m = 4,   S = 18: orders on days 0 and 8 (8), 16, 14, ..., 2 then 16, 14, 12, 10:   132
        var grid = new MinMaxTuningGrid([0, 1], [0.5, 1, 2, 4]);

        var choice = Assert.Single(TuningSearch.Run([Constant("A", "coats", 2)], grid));

        Assert.Equal([72.0, 60, 72, 132, 72, 60, 72, 132], choice.CandidateCosts);
        Assert.Equal("z=0 m=1", choice.Best.Label); // z = 1 ties (sd = 0); the first point in grid order wins
        Assert.Equal(1, choice.BestIndex);
        Assert.Equal(60, choice.TrainingCost);
        Assert.Equal(new Dictionary<string, double> { ["s"] = 2, ["S"] = 6 }, choice.Best.Parameters);
    }

    [Fact]
    public void Tuning_per_category_keeps_the_point_with_the_lowest_summed_cost_of_the_category()
    {
        // SKU B sells 8 a day: s = 8, EOQ = sqrt(2 x 4 x 8 / 1) = 8, S = 8 + m x 8.
        //  m = 0.5, S = 12: an order every day (48), 4 left each evening (48):                 96
        //  m = 1,   S = 16: an order every day (48), 8 left each evening (96):                144
        // Alone, A keeps m = 1 (60) and B m = 0.5 (96); together m = 0.5 costs 72 + 96 = 168 < 60 + 144 = 204.
        var grid = new MinMaxTuningGrid([0], [0.5, 1]);
        var skus = new[] { Constant("A", "coats", 2), Constant("B", "coats", 8) };

        var alone = TuningSearch.Run(skus, grid, TuningScope.Sku);
        var together = TuningSearch.Run(skus, grid, TuningScope.Category);

        Assert.Equal(["z=0 m=1", "z=0 m=0.5"], alone.Select(c => c.Best.Label));
        Assert.Equal([96.0, 144], alone[1].CandidateCosts);
        Assert.Equal(["z=0 m=0.5", "z=0 m=0.5"], together.Select(c => c.Best.Label));
        Assert.Equal(new Dictionary<string, double> { ["s"] = 8, ["S"] = 12 }, together[1].Best.Parameters);
    }

    [Fact]
    public void The_default_sS_grid_has_seven_safety_factors_times_four_order_sizes()
    {
        var grid = TuningGrids.For("sS");

        Assert.Equal(28, grid.Candidates(Constant("A", "coats", 2).Setup.ToPolicyInputs()).Count);
        Assert.Contains("z in {0, 0.5, 1, 1.5, 2, 2.5, 3}", grid.Description);
        Assert.Contains("m in {0.5, 1, 2, 4}", grid.Description);
        Assert.Throws<ArgumentException>(() => TuningGrids.For("RS"));
    }
}
