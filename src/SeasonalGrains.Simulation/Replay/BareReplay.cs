using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Grains;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>
/// The replay without grains: the domain ledger and policy of each SKU run over the window in one
/// loop, on the calling thread. The reference the grain replay must match, and the bench's baseline.
/// </summary>
public static class BareReplay
{
    /// <summary>Each SKU's closed metrics for one policy of the input, index-aligned with <see cref="ReplayInput.Skus"/>.</summary>
    public static InventoryMetrics[] Run(ReplayInput input, PolicyRunInput policy, PolicyCatalog? catalog = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        catalog ??= PolicyCatalog.Classical;
        var holidays = input.DaysToNextHoliday;
        var results = new InventoryMetrics[input.Skus.Count];
        for (var i = 0; i < results.Length; i++)
        {
            if ((i & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var setup = policy.Setups[i];
            var ledger = setup.CreateLedger();
            var rule = setup.CreatePolicy(catalog);
            var units = input.Units[i];
            for (var d = 0; d < input.Days; d++)
            {
                var day = new DayInput(units[d], ledger.IsReviewDay(d), holidays is null ? int.MaxValue : holidays[d])
                {
                    DaysToSeasonEnd = input.Days - 1 - d,
                };
                ledger.Step(in day, rule);
            }

            results[i] = ledger.Close();
        }

        return results;
    }
}
