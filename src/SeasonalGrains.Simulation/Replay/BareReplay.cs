using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Grains;
using SeasonalGrains.Grains.Forecasting;

namespace SeasonalGrains.Simulation.Replay;

/// <summary>
/// The replay without grains: the domain ledger and policy of each SKU run over the window in one
/// loop, on the calling thread. The reference the grain replay must match, and the bench's baseline.
/// </summary>
public static class BareReplay
{
    /// <summary>Each SKU's closed metrics for one policy of the input, index-aligned with <see cref="ReplayInput.Skus"/>.</summary>
    public static InventoryMetrics[] Run(ReplayInput input, PolicyRunInput policy, PolicyCatalog? catalog = null, CancellationToken cancellationToken = default) =>
        Run(input, policy, catalog, forecasts: null, logs: null, cancellationToken);

    /// <summary>
    /// As <see cref="Run(ReplayInput, PolicyRunInput, PolicyCatalog?, CancellationToken)"/>; a forecast policy's
    /// reviews get their outlooks from <paramref name="forecasts"/> (as the grains get them from the silo's
    /// forecast service), and each SKU's forecast log goes to <paramref name="logs"/> (index-aligned) when given.
    /// </summary>
    public static InventoryMetrics[] Run(
        ReplayInput input, PolicyRunInput policy, PolicyCatalog? catalog, ReplayForecastSources? forecasts, ForecastLog?[]? logs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        catalog ??= ForecastPolicyCatalog.All;
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
            var session = setup.Forecast is null ? null
                : new SkuForecastSession(forecasts ?? throw new ArgumentException($"Policy '{policy.Label}' orders from a forecast; give the run's forecast sources.", nameof(forecasts)), setup);
            for (var d = 0; d < input.Days; d++)
            {
                var review = ledger.IsReviewDay(d);
                var day = new DayInput(units[d], review, holidays is null ? int.MaxValue : holidays[d])
                {
                    DaysToSeasonEnd = input.Days - 1 - d,
                    Outlook = session is not null && review ? session.Review(d) : null,
                };
                ledger.Step(in day, rule);
                session?.Observe(d, units[d]);
            }

            results[i] = ledger.Close();
            if (logs is not null)
            {
                logs[i] = session?.Recorder.Snapshot();
            }
        }

        return results;
    }
}
