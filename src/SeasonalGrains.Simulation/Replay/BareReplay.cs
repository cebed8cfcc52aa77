using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Grains;
using SeasonalGrains.Grains.Forecasting;
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
        if (forecasts is not null && policy.Setups.Any(s => s.Forecast is { } f && forecasts.IsStateful(f.Source)))
        {
            for (var first = 0; first < results.Length; first += blockSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunBlock(input, policy, catalog, forecasts, logs, first, Math.Min(blockSize, results.Length - first), results);
            }

            return results;
        }

        var holidays = input.DaysToNextHoliday;
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

    /// <summary>SKUs [first, first + count) day by day, each day's reviews forecast in one batched call.</summary>

    private static void RunBlock(
        ReplayInput input, PolicyRunInput policy, PolicyCatalog catalog, ReplayForecastSources? forecasts, ForecastLog?[]? logs, int first, int count, InventoryMetrics[] results)
    {
        var holidays = input.DaysToNextHoliday;
        var ledgers = new InventoryLedger[count];
        var rules = new IReorderPolicy[count];
        var sessions = new SkuForecastSession?[count];
        for (var j = 0; j < count; j++)
        {
            var setup = policy.Setups[first + j];
            ledgers[j] = setup.CreateLedger();
            rules[j] = setup.CreatePolicy(catalog);
            sessions[j] = setup.Forecast is null ? null
                : new SkuForecastSession(forecasts ?? throw new ArgumentException($"Policy '{policy.Label}' orders from a forecast; give the run's forecast sources.", nameof(forecasts)), setup);
        }

        var reviewing = new List<SkuForecastSession>(count);
        for (var d = 0; d < input.Days; d++)
        {
            reviewing.Clear();
            for (var j = 0; j < count; j++)
            {
                if (sessions[j] is { Track: not null } session && ledgers[j].IsReviewDay(d))
                {
                    reviewing.Add(session);
                }
            }

            SkuForecastSession.ForecastAll(reviewing, d);

            for (var j = 0; j < count; j++)
            {
                var ledger = ledgers[j];
                var session = sessions[j];
                var review = ledger.IsReviewDay(d);
                var units = input.Units[first + j][d];
                var day = new DayInput(units, review, holidays is null ? int.MaxValue : holidays[d])
                {
                    DaysToSeasonEnd = input.Days - 1 - d,
                    Outlook = session is not null && review ? session.Review(d) : null,
                };
                ledger.Step(in day, rules[j]);
                session?.Observe(d, units);
            }
        }

        for (var j = 0; j < count; j++)
        {
            results[first + j] = ledgers[j].Close();
            if (logs is not null)
            {
                logs[first + j] = sessions[j]?.Recorder.Snapshot();
            }
        }
    }
}
