using SeasonalGrains.Grains;

namespace SeasonalGrains.Simulation.Compare;

/// <summary>
/// One SKU to tune: its setup (terms, costs, fulfilment, review period and the demand statistics
/// the grid is built from; the setup's explicit parameters are ignored), its category, and the
/// training days it is replayed over.
/// </summary>
/// <param name="Setup">The SKU's setup as the window replay would use it.</param>
/// <param name="Category">The SKU's category (for <see cref="TuningScope.Category"/>).</param>
/// <param name="Units">Demand of each training day.</param>
/// <param name="DaysToNextHoliday">Days from each training day to the next holiday; null without a calendar.</param>
/// <param name="Outlook">The forecast made on a training day (by its index), for the review days of a forecast policy; null for a classical one.</param>
public sealed record TuningSku(SkuSetup Setup, string Category, double[] Units, int[]? DaysToNextHoliday = null, Func<int, IDemandOutlook>? Outlook = null);

/// <summary>The grid point kept for one SKU, with its training cost and the cost of every point (in grid order).</summary>
public sealed record TuningChoice(string Sku, string Category, TuningCandidate Best, int BestIndex, double TrainingCost, IReadOnlyList<double> CandidateCosts);

/// <summary>
/// Tunes a classical policy on training days: every grid point of every SKU is replayed over the
/// SKU's training days with the bare domain ledger (the same day sequence, costs and review days as
/// the replay), from the SKU's initial stock, and the point with the lowest total cost is kept, per
/// SKU or per category (the lowest sum over the category's SKUs). Ties go to the first point in grid order.
/// </summary>
public static class TuningSearch
{
    public static IReadOnlyList<TuningChoice> Run(IReadOnlyList<TuningSku> skus, ITuningGrid grid, TuningScope scope = TuningScope.Sku, PolicyCatalog? catalog = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skus);
        ArgumentNullException.ThrowIfNull(grid);
        catalog ??= PolicyCatalog.Classical;
        var candidates = new IReadOnlyList<TuningCandidate>[skus.Count];
        var costs = new double[skus.Count][];
        Parallel.For(0, skus.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var sku = skus[i];
            if (sku.Units.Length == 0)
            {
                throw new ArgumentException($"SKU '{sku.Setup.Sku}' has no training days to tune on.", nameof(skus));
            }

            var inputs = sku.Setup.ToPolicyInputs() with { Parameters = new Dictionary<string, double>() };
            candidates[i] = grid.Candidates(inputs);
            costs[i] = [.. candidates[i].Select(c => TrainingCost(sku, catalog.Create(grid.Policy, inputs with { Parameters = c.Parameters })))];
        });

        var labels = candidates.Length == 0 ? [] : candidates[0].Select(c => c.Label).ToArray();
        for (var i = 1; i < candidates.Length; i++)
        {
            if (!candidates[i].Select(c => c.Label).SequenceEqual(labels))
            {
                throw new InvalidOperationException($"The {grid.Policy} grid gave SKU '{skus[i].Setup.Sku}' other points than SKU '{skus[0].Setup.Sku}'.");
            }
        }

        var best = new int[skus.Count];
        if (scope == TuningScope.Sku)
        {
            for (var i = 0; i < skus.Count; i++)
            {
                best[i] = ArgMin(costs[i]);
            }
        }
        else
        {
            foreach (var group in Enumerable.Range(0, skus.Count).GroupBy(i => skus[i].Category, StringComparer.Ordinal))
            {
                var sums = new double[labels.Length];
                foreach (var i in group)
                {
                    for (var k = 0; k < sums.Length; k++)
                    {
                        sums[k] += costs[i][k];
                    }
                }

                var index = ArgMin(sums);
                foreach (var i in group)
                {
                    best[i] = index;
                }
            }
        }

        return [.. Enumerable.Range(0, skus.Count).Select(i => new TuningChoice(
            skus[i].Setup.Sku, skus[i].Category, candidates[i][best[i]], best[i], costs[i][best[i]], costs[i]))];
    }

    /// <summary>Total cost of the policy over the SKU's training days (the ledger closed at the end: leftovers valued).</summary>
    public static double TrainingCost(TuningSku sku, IReorderPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(sku);
        ArgumentNullException.ThrowIfNull(policy);
        // the training days are no season: the policy sees no end, as a replay of an open-ended SKU does
        var season = new SeasonStep(sku.Setup.CreateLedger(), policy, seasonDays: 0, sku.Outlook is { } forecast ? IOutlookSource.From(forecast) : null);
        var holidays = sku.DaysToNextHoliday;
        for (var d = 0; d < sku.Units.Length; d++)
        {
            season.Step(sku.Units[d], holidays is null ? int.MaxValue : holidays[d]);
        }

        return season.Close().TotalCost;
    }

    private static int ArgMin(double[] values)
    {
        var best = 0;
        for (var k = 1; k < values.Length; k++)
        {
            if (values[k] < values[best])
            {
                best = k;
            }
        }

        return best;
    }
}
