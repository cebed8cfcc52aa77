using SeasonalGrains.Domain.Planning;
using SeasonalGrains.Grains;

namespace SeasonalGrains.Simulation.Compare;

/// <summary>A policy's distance to the hindsight bound: policy - bound, absolute and as a share of the bound (null when the bound is not positive).</summary>
public sealed record HindsightGap(double TotalCost, double? TotalCostShare, double OperatingCost, double? OperatingCostShare);

/// <summary>
/// The hindsight bound of a comparison: per SKU, the lowest cost reachable with the window's realised demand
/// known in advance (<see cref="HindsightPlanner"/>), on the same SKUs, days, terms, costs, fulfilment, review
/// days and initial stock as the replayed policies. Two plans per SKU: the one of lowest total cost and the one of
/// lowest operating cost; each cost column's bound comes from its own plan.
/// </summary>
/// <param name="TotalCostPlans">Per SKU (aligned with the comparison's SKUs): the ledger's metrics of the plan of lowest total cost.</param>
/// <param name="OperatingCostPlans">Per SKU: the ledger's metrics of the plan of lowest operating cost.</param>
/// <param name="RelaxedSkus">SKUs with an MOQ or a case pack, planned without them (their bound may not be reachable).</param>
/// <param name="UnreachedSkus">Relaxed SKUs whose plan of lowest total cost breaks their MOQ or case pack.</param>
public sealed record HindsightResult(IReadOnlyList<InventoryMetrics> TotalCostPlans, IReadOnlyList<InventoryMetrics> OperatingCostPlans, int RelaxedSkus, int UnreachedSkus)
{
    /// <summary>The row's name in tables and files.</summary>
    public const string Label = "hindsight";

    /// <summary>One sentence on what the row is, for reports.</summary>
    public const string Description =
        "hindsight: the lowest cost reachable with each SKU's realised demand of the window known in advance (a lot-sizing dynamic programme under the " +
        "replay's day sequence: the same review days, lead times, initial stock, costs and fulfilment), not a policy. Its total cost and its operating " +
        "cost are each the lowest of their own plan, so they may come from two different plans; the other figures are those of the plan of lowest total cost. " +
        "SKUs with an MOQ or a case pack are planned without them: there the bound may not be reachable (it stays a lower bound).";

    /// <summary>The plans of lowest total cost summed over the SKUs (the row's figures).</summary>
    public InventoryMetrics Total { get; } = InventoryMetrics.Sum(TotalCostPlans);

    /// <summary>The plans of lowest operating cost summed over the SKUs.</summary>
    public InventoryMetrics OperatingTotal { get; } = InventoryMetrics.Sum(OperatingCostPlans);

    /// <summary>The lowest total cost (sum over SKUs).</summary>
    public double TotalCost => Total.TotalCost;

    /// <summary>The lowest operating cost (sum over SKUs).</summary>
    public double OperatingCost => OperatingTotal.OperatingCost;

    /// <summary>The distance of a policy's totals to the bound.</summary>
    public HindsightGap GapOf(InventoryMetrics total)
    {
        ArgumentNullException.ThrowIfNull(total);
        var cost = total.TotalCost - TotalCost;
        var operating = total.OperatingCost - OperatingCost;
        return new HindsightGap(cost, TotalCost > 0 ? cost / TotalCost : null, operating, OperatingCost > 0 ? operating / OperatingCost : null);
    }

    /// <summary>
    /// Plans every SKU of <paramref name="input"/> with the terms, costs and review period of <paramref name="setupsOf"/>'s
    /// setups (those of every policy of a run but under a sweep of derived shortage costs) and the window's units. SKUs run in parallel.
    /// </summary>
    public static HindsightResult Compute(ReplayInput input, PolicyRunInput setupsOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(setupsOf);
        var n = input.Skus.Count;
        var total = new HindsightPlan[n];
        var operating = new HindsightPlan[n];
        var objectives = new HindsightObjective[n];
        for (var i = 0; i < n; i++)
        {
            var setup = setupsOf.Setups[i];
            objectives[i] = HindsightObjective.TotalCost(setup.Terms.ToDomain(), setup.Costs.ToDomain());
            try
            {
                objectives[i].Validate();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"hindsight: SKU '{setup.Sku}': {e.Message} Check its salvage value and unit cost, or leave the bound out (--no-hindsight).", e);
            }
        }

        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var setup = setupsOf.Setups[i];
            var terms = setup.Terms.ToDomain();
            var costs = setup.Costs.ToDomain();
            var fulfilment = setup.Fulfilment.ToDomain();
            total[i] = HindsightPlanner.Plan(terms, costs, fulfilment, setup.ReviewPeriodDays, input.Units[i], objectives[i]);
            operating[i] = HindsightPlanner.Plan(terms, costs, fulfilment, setup.ReviewPeriodDays, input.Units[i], HindsightObjective.OperatingCost);
        });
        return new HindsightResult(
            [.. total.Select(p => p.Metrics)],
            [.. operating.Select(p => p.Metrics)],
            total.Count(p => p.Relaxed),
            total.Count(p => !p.Reachable));
    }
}
