using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Simulation.Compare;

namespace SeasonalGrains.Reports.Tests;

public sealed class BootstrapTests
{
    private static InventoryMetrics Sku(double cost, double demanded = 100, double filled = 90) => new()
    {
        Days = 10,
        SkuDays = 10,
        HoldingCost = cost,
        UnitsDemanded = demanded,
        UnitsFilledOnDemand = filled,
    };

    [Fact]
    public void Identical_policies_differ_by_exactly_zero()
    {
        var skus = Enumerable.Range(0, 50).Select(i => Sku(10 + (i * 3.7), 100 + i, 80 + (i % 17))).ToList();
        foreach (var metric in new[] { CompareMetric.TotalCost, CompareMetric.FillRate })
        {
            var d = PairedBootstrap.Difference(skus, skus, metric);
            Assert.Equal((0.0, 0.0, 0.0), (d.Estimate, d.Lower, d.Upper));
            Assert.Equal(2000, d.Resamples);
            Assert.False(d.ExcludesZero);
        }
    }

    [Fact]
    public void A_constant_shift_per_sku_gives_an_interval_of_exactly_the_shift()
    {
        // each of 40 SKUs costs 2.5 more: every resample of 40 SKUs adds 40 x 2.5 = 100 to the total
        var baseline = Enumerable.Range(0, 40).Select(i => Sku(i * i)).ToList();
        var policy = baseline.Select(m => m with { HoldingCost = m.HoldingCost + 2.5 }).ToList();
        var total = PairedBootstrap.Difference(policy, baseline, CompareMetric.TotalCost);
        Assert.Equal(100, total.Estimate, 9);
        Assert.Equal(100, total.Lower, 9);
        Assert.Equal(100, total.Upper, 9);
        Assert.True(total.ExcludesZero);

        // per-SKU means: the shift itself
        var mean = PairedBootstrap.MeanDifference(policy.Select(m => m.TotalCost).ToList(), baseline.Select(m => m.TotalCost).ToList());
        Assert.Equal(2.5, mean.Lower, 9);
        Assert.Equal(2.5, mean.Upper, 9);
    }

    [Fact]
    public void The_interval_of_a_mean_difference_matches_the_normal_approximation()
    {
        // differences 0..99: mean 49.5, population sd 28.866; standard error 28.866 / sqrt(100) = 2.8866,
        // so the 95% interval is close to 49.5 -/+ 1.96 x 2.8866 = [43.84, 55.16] (bootstrap noise about 0.2)
        var policy = Enumerable.Range(0, 100).Select(i => (double)i).ToList();
        var zero = Enumerable.Repeat(0.0, 100).ToList();
        var d = PairedBootstrap.MeanDifference(policy, zero, new BootstrapOptions(Resamples: 4000));
        Assert.Equal(49.5, d.Estimate, 9);
        Assert.InRange(d.Lower, 43.84 - 0.7, 43.84 + 0.7);
        Assert.InRange(d.Upper, 55.16 - 0.7, 55.16 + 0.7);
    }

    [Fact]
    public void Fill_rate_is_compared_as_units_filled_over_units_demanded_of_all_skus()
    {
        // policy fills 90 of 100 and 10 of 100 (fill rate 50%); baseline 50 of 100 and 30 of 100 (40%): +10 points.
        // The mean of per-SKU fill rates would give the same here, so a third SKU with 0 demand-weighting
        // differences: policy 0 of 800 vs baseline 400 of 800 -> pooled 100/1000 vs 480/1000 = -38 points.
        var policy = new List<InventoryMetrics> { Sku(0, 100, 90), Sku(0, 100, 10) };
        var baseline = new List<InventoryMetrics> { Sku(0, 100, 50), Sku(0, 100, 30) };
        Assert.Equal(0.10, PairedBootstrap.Difference(policy, baseline, CompareMetric.FillRate).Estimate, 12);
        policy.Add(Sku(0, 800, 0));
        baseline.Add(Sku(0, 800, 400));
        Assert.Equal(-0.38, PairedBootstrap.Difference(policy, baseline, CompareMetric.FillRate).Estimate, 12);
    }

    [Fact]
    public void The_same_seed_resamples_the_same_skus_and_another_seed_does_not()
    {
        var policy = Enumerable.Range(0, 30).Select(i => Sku(i % 7 * 10.0)).ToList();
        var baseline = Enumerable.Range(0, 30).Select(i => Sku(i % 5 * 10.0)).ToList();
        var a = PairedBootstrap.Difference(policy, baseline, CompareMetric.TotalCost, new BootstrapOptions(Seed: 7));
        var b = PairedBootstrap.Difference(policy, baseline, CompareMetric.TotalCost, new BootstrapOptions(Seed: 7));
        var c = PairedBootstrap.Difference(policy, baseline, CompareMetric.TotalCost, new BootstrapOptions(Seed: 8));
        Assert.Equal(a, b);
        Assert.NotEqual((a.Lower, a.Upper), (c.Lower, c.Upper));
        Assert.All(Enumerable.Range(0, 1000), i => Assert.InRange(PairedBootstrap.ResampledIndex(7, i, i % 13, 30), 0, 29));
    }

    [Fact]
    public void Mismatched_skus_and_bad_options_are_rejected()
    {
        var one = new List<InventoryMetrics> { Sku(1) };
        var two = new List<InventoryMetrics> { Sku(1), Sku(2) };
        var ex = Assert.Throws<ArgumentException>(() => PairedBootstrap.Difference(one, two, CompareMetric.TotalCost));
        Assert.Contains("same SKUs", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.Difference(one, one, CompareMetric.TotalCost, new BootstrapOptions(Resamples: 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedBootstrap.Difference(one, one, CompareMetric.TotalCost, new BootstrapOptions(Confidence: 1)));
    }

    [Fact]
    public void The_frontier_marks_points_no_other_point_dominates()
    {
        var points = new[]
        {
            new FrontierPoint("rule", "rule", 0.90, 100),
            new FrontierPoint("fc", "fc q=0.95", 0.95, 120),
            new FrontierPoint("ss", "ss", 0.93, 130),        // B has more service for less stock
            new FrontierPoint("low", "low", 0.85, 100),      // A: same stock, more service
            new FrontierPoint("twin", "twin", 0.90, 100),    // identical to A: neither dominates the other
            new FrontierPoint("lean", "lean", 0.70, 60),
        };
        var built = Frontier.Build(points);
        Assert.Equal(["lean", "rule", "twin", "low", "fc q=0.95", "ss"], built.Select(p => p.Label).ToArray());
        Assert.Equal(["lean", "rule", "twin", "fc q=0.95"], Frontier.Efficient(points).Select(p => p.Label).ToArray());
        Assert.Throws<ArgumentException>(() => Frontier.Build([new FrontierPoint("x", "x", double.NaN, 1)]));
    }

    [Fact]
    public void A_comparison_has_one_row_per_policy_and_zero_differences_for_the_baseline()
    {
        var baseline = Enumerable.Range(0, 20).Select(i => Sku(10 + i)).ToList();
        var better = baseline.Select(m => m with { HoldingCost = m.HoldingCost - 1 }).ToList();
        var rows = PolicyComparison.Compare([new PolicyResults("rule", baseline), new PolicyResults("forecast", better)], "rule");
        Assert.Equal(["rule", "forecast"], rows.Select(r => r.Policy).ToArray());
        Assert.Equal(0, rows[0].CostDifference!.Upper);
        Assert.Equal(-20, rows[1].CostDifference!.Estimate, 9);
        Assert.Equal(baseline.Sum(m => m.TotalCost) - 20, rows[1].Total.TotalCost, 9);
        Assert.Equal(PolicyComparison.DefaultMetrics.Count, rows[1].Differences.Count);

        Assert.Contains("not among", Assert.Throws<ArgumentException>(() => PolicyComparison.Compare([new PolicyResults("a", baseline)], "b")).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => PolicyComparison.Compare([new PolicyResults("a", baseline), new PolicyResults("a", better)], "a")).Message);
    }
}
