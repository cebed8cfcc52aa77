using SeasonalGrains.Grains;
using SeasonalGrains.Forecasting.Inference;

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
    /// SKUs run one after the other, except under a stateful source (the LSTM carrying its state): then blocks
    /// of <paramref name="blockSize"/> SKUs run day by day, and each day's reviews of a block are forecast in one
    /// batched model call, as the silo's batcher does for the grains.
    /// </summary>
    public static InventoryMetrics[] Run(
        ReplayInput input,
        PolicyRunInput policy,
        PolicyCatalog? catalog,
        ReplayForecastSources? forecasts,
        ForecastLog?[]? logs = null,
        CancellationToken cancellationToken = default,
        int blockSize = LstmTracker.DefaultBatchSkus)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        catalog ??= ForecastPolicyCatalog.All;
        var results = new InventoryMetrics[input.Skus.Count];
        var block = forecasts is not null && policy.Setups.Any(s => s.Forecast is { } f && forecasts.IsStateful(f.Source)) ? blockSize : 1;
        for (var first = 0; first < results.Length; first += block)
        {
            if (block > 1 || (first & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            RunBlock(input, policy, catalog, forecasts, logs, first, Math.Min(block, results.Length - first), results);
        }

        return results;
    }

    /// <summary>SKUs [first, first + count) day by day, each day's reviews of stateful sources forecast in one batched call.</summary>
    private static void RunBlock(
        ReplayInput input, PolicyRunInput policy, PolicyCatalog catalog, ReplayForecastSources? forecasts, ForecastLog?[]? logs, int first, int count, InventoryMetrics[] results)
    {
        var holidays = input.DaysToNextHoliday;
        var seasons = new SeasonStep[count];
        var sessions = new SkuForecastSession?[count];
        for (var j = 0; j < count; j++)
        {
            var setup = policy.Setups[first + j];
            var ledger = setup.CreateLedger();
            var rule = setup.CreatePolicy(catalog);
            sessions[j] = setup.Forecast is null ? null
                : new SkuForecastSession(forecasts ?? throw new ArgumentException($"Policy '{policy.Label}' orders from a forecast; give the run's forecast sources.", nameof(forecasts)), setup);
            seasons[j] = new SeasonStep(ledger, rule, input.Days, sessions[j]);
        }

        var reviewing = new List<SkuForecastSession>(count);
        for (var d = 0; d < input.Days; d++)
        {
            reviewing.Clear();
            for (var j = 0; j < count; j++)
            {
                if (sessions[j] is { Track: not null } session && seasons[j].IsReviewDay(d))
                {
                    reviewing.Add(session);
                }
            }

            if (reviewing.Count > 0)
            {
                SkuForecastSession.ForecastAll(reviewing, d);
            }

            var daysToNextHoliday = holidays is null ? int.MaxValue : holidays[d];
            for (var j = 0; j < count; j++)
            {
                seasons[j].Step(input.Units[first + j][d], daysToNextHoliday);
            }
        }

        for (var j = 0; j < count; j++)
        {
            results[first + j] = seasons[j].Close();
            if (logs is not null)
            {
                logs[first + j] = sessions[j]?.Recorder.Snapshot();
            }
        }
    }
}
