using SeasonalGrains.Data.Generation;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>The scenario files shipped under simulations/ load, and the grocery and daily bike-sharing ones say what they claim.</summary>
public sealed class ShippedScenarioTests
{
    public static TheoryData<string> ShippedScenarios() => [.. ScenarioFiles()];

    /// <summary>Every .json in a folder of simulations/ (not in the dataset and model folders below them), relative to simulations/.</summary>
    private static List<string> ScenarioFiles()
    {
        var root = Path.Combine(TestData.RepositoryRoot(), "simulations");
        return [.. Directory.EnumerateDirectories(root)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.json", SearchOption.TopDirectoryOnly))
            .Select(f => Path.GetRelativePath(root, f))
            .Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(ShippedScenarios))]
    public void Every_shipped_scenario_loads(string file)
    {
        var s = ScenarioLoader.Load(Path.Combine(TestData.RepositoryRoot(), "simulations", file));

        Assert.NotEmpty(s.Policies);
        if (s.Generate is { } g)
        {
            Assert.Contains(g.Preset, SeasonGenerator.Presets);
        }
    }

    [Fact]
    public void The_scenarios_include_the_grocery_and_the_daily_bike_sharing_comparisons()
    {
        var files = ScenarioFiles();

        Assert.Contains(Path.Combine("promo", "scenario.json"), files);
        Assert.Contains(Path.Combine("promo", "compare.json"), files);
        Assert.Contains(Path.Combine("bike-sharing", "compare-daily.json"), files);
    }

    [Theory]
    [InlineData("scenario.json")]
    [InlineData("compare.json")]
    public void The_grocery_scenarios_replay_the_last_of_five_years_daily_with_grocery_costs(string file)
    {
        var s = ScenarioLoader.Load(Path.Combine(TestData.RepositoryRoot(), "simulations", "promo", file));
        var g = s.Generate!;
        var generated = new GeneratorOptions { Preset = g.Preset, Skus = g.Skus, Years = g.Years, Seed = g.Seed };

        Assert.Equal(SeasonPresets.Promo, g.Preset);
        Assert.Equal(120, g.Skus);

        // five years from 2021-01-01 end on 2025-12-31, and the window is 2025
        Assert.Equal(new DateOnly(2025, 12, 31), generated.Start.AddDays(generated.DayCount - 1));
        Assert.Equal(new WindowSpec(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), null), s.Window);
        Assert.Equal(1, s.ReviewPeriodDays);
        Assert.Equal(Fulfilment.LostSales, s.Fulfilment);
        Assert.Equal(
            new CostSpec { HoldingBasis = HoldingBasis.AnnualRate, Holding = 0.25, ShortageBasis = ShortageBasis.OfPrice, Shortage = 1, FixedPerOrder = 5, PurchaseCost = true },
            s.Costs);
    }

    [Fact]
    public void The_grocery_comparison_runs_tuned_classical_and_forecast_policies()
    {
        var s = ScenarioLoader.Load(Path.Combine(TestData.RepositoryRoot(), "simulations", "promo", "compare.json"));

        Assert.Equal(["sS-tuned", "sS", "forecast-order-up-to:lstm", "forecast-sS:lstm", "forecast-lookahead:lstm", "forecast-lookahead-tuned:lstm", "forecast-lookahead:oracle"], s.Policies.Select(p => p.Label));
        Assert.Contains(s.Policies, p => p is { Name: "sS", Tuned: true });
        Assert.Contains(s.Policies, p => p.Forecaster == "oracle");
    }

    [Fact]
    public void The_daily_bike_sharing_comparison_holds_out_2012_with_a_fixed_cost_and_lost_sales_at_the_price()
    {
        var s = ScenarioLoader.Load(Path.Combine(TestData.RepositoryRoot(), "simulations", "bike-sharing", "compare-daily.json"));

        Assert.Equal(new WindowSpec(new DateOnly(2012, 1, 1), new DateOnly(2012, 12, 31), null), s.Window);
        Assert.Null(s.Generate);
        Assert.Equal(1, s.ReviewPeriodDays);
        Assert.Equal(
            new CostSpec { HoldingBasis = HoldingBasis.AnnualRate, Holding = 0.25, ShortageBasis = ShortageBasis.OfPrice, Shortage = 1, FixedPerOrder = 50, PurchaseCost = false },
            s.Costs);
        Assert.Equal(["sS-tuned", "sS", "forecast-order-up-to:ets", "forecast-sS:ets", "forecast-lookahead:ets", "forecast-lookahead-tuned:ets"], s.Policies.Select(p => p.Label));
    }
}
