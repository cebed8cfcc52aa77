using SeasonalGrains.Data.Model;
using SeasonalGrains.Data.Truth;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Forecasting.Outlook;
using SeasonalGrains.Grains.Forecasting;
using SeasonalGrains.Simulation.Replay;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Compare;

/// <summary>
/// The forecast sources of a scenario's forecast policies, for a replay or a comparison on the embedded silo: built
/// over the run's (cleaned) dataset with the scenario's outlook settings, and registered with the silo's
/// <see cref="ReplayForecastService"/> under the run id for as long as the run lasts.
/// </summary>
public static class ScenarioForecasts
{
    /// <summary>
    /// Sources for <paramref name="names"/> (forecaster names), forecasting as far ahead as the run's
    /// <paramref name="policies"/> (catalog names) read; problems come back as <see cref="ScenarioException"/> under <c>forecasters</c>.
    /// </summary>
    /// <param name="windowForm">Runs the lstm in its window form whatever the scenario says (for forecasts at any origin, as tuning reads them).</param>
    public static ReplayForecastSources Create(Scenario scenario, Dataset dataset, ReplayWindow window, IEnumerable<string> names, IEnumerable<string> policies, bool windowForm = false)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(policies);
        var defaults = new OutlookOptions();
        var lead = dataset.Skus.Select(s => s.LeadTimeDays).DefaultIfEmpty(0).Max();
        var days = ForecastPolicyCatalog.OutlookDays(policies, lead, scenario.ReviewPeriodDays);
        var outlook = new OutlookOptions
        {
            ReviewPeriodDays = scenario.ReviewPeriodDays,
            Horizon = days > lead + scenario.ReviewPeriodDays ? days : null,
            Seed = scenario.Outlook.Seed,
            Sampling = new SamplePathSettings(scenario.Outlook.Paths, scenario.Outlook.Correlation),

            // every origin of the window (and the error record's before it) stays cached, so each is forecast once
            RetainOrigins = Math.Max(defaults.RetainOrigins, window.Days + defaults.ErrorWindowDays + (2 * scenario.ReviewPeriodDays)),
        };
        try
        {
            var sources = ReplayForecastSources.Create(dataset, names, new ForecastSourceOptions
            {
                Outlook = outlook,
                Truth = () => TruthOf(scenario, dataset),
                ModelFolders = scenario.Forecasters
                    .Where(f => f.Value.Model is not null)
                    .ToDictionary(f => f.Key, f => f.Value.Model!, StringComparer.Ordinal),
                Lstm = scenario.Forecasters.TryGetValue(ForecasterRegistry.Lstm, out var lstm)
                    ? new LstmSourceSettings
                    {
                        Inference = windowForm ? LstmInference.Window : lstm.Inference,
                        RestartDays = lstm.RestartDays,
                        Precision = InferencePrecisions.Parse(lstm.Precision),
                    }
                    : new LstmSourceSettings(),
            });
            WarmUp(sources, names, windowForm ? null : window.StartIndex, scenario.ReviewPeriodDays);
            return sources;
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or InvalidDataException or ArgumentException)
        {
            throw new ScenarioException(scenario.SourcePath, $"forecasters: {e.Message}");
        }
    }

    /// <summary>
    /// The ensemble chooses its members on validation windows before each origin, all SKUs at once: the first review of
    /// a replay needs every window's member fits, at its origin and at the earlier origins its error record reads (every
    /// review period back to <see cref="OutlookOptions.ErrorWindowDays"/>), which would otherwise run inside the first
    /// grain call and can pass the silo's response timeout. They are made here, before the grains start; later origins
    /// add one window at a time.
    /// </summary>
    private static void WarmUp(ReplayForecastSources sources, IEnumerable<string> names, int? firstOrigin, int reviewPeriodDays)
    {
        if (firstOrigin is not { } origin || !names.Any(n => ForecasterRegistry.Default.Resolve(n, ForecasterUses.Replay).Name == ForecasterRegistry.Ensemble))
        {
            return;
        }

        var provider = sources.Provider(ForecasterRegistry.Ensemble);
        for (var s = origin - reviewPeriodDays; s >= Math.Max(1, origin - provider.Options.ErrorWindowDays); s -= reviewPeriodDays)
        {
            _ = provider.Forecasts(s);
        }

        _ = provider.Forecasts(origin);
    }

    /// <summary>
    /// Registers the sources of a prepared replay's forecast policies with <paramref name="service"/> under
    /// <paramref name="runId"/>; disposing the result unregisters and releases them. Null when no policy orders from a forecast.
    /// </summary>
    /// <param name="service">The forecast service of the silo the SKU grains run in; null when the grains run on a cluster
    /// reached as a client, whose silos cannot be handed this process's forecasters (refused when a policy needs them).</param>
    public static IDisposable? Register(PreparedReplay prepared, ReplayForecastService? service, string runId)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var names = prepared.Input.Policies.SelectMany(p => p.Setups).Select(s => s.Forecast?.Source).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return null;
        }

        if (service is null)
        {
            var forecastPolicies = prepared.Input.Policies.Where(p => p.Setups.Any(s => s.Forecast is not null)).Select(p => p.Label);
            throw new ScenarioException(
                prepared.Scenario.SourcePath,
                $"policies {string.Join(", ", forecastPolicies)} order from forecasts, which run only in this process's embedded silo: " +
                "replay them without --clustering, or choose the classical policies with --policy");
        }

        var policies = prepared.Input.Policies.SelectMany(p => p.Setups).Select(s => s.Policy.Name).Distinct(StringComparer.Ordinal);
        var sources = Create(prepared.Scenario, prepared.Dataset, prepared.Window, names, policies);
        try
        {
            return new Registration(service.Register(runId, sources), sources);
        }
        catch
        {
            sources.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Days per grain call for a run with forecast policies when none is given: <see cref="CompareRunner.ReviewsPerForecastChunk"/>
    /// review periods, since the reviews forecast inside the grain calls, which must end within the silo's response timeout.
    /// </summary>
    public static int ChunkDays(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return CompareRunner.ReviewsPerForecastChunk * scenario.ReviewPeriodDays;
    }

    private static TruthTableDemandTruth TruthOf(Scenario scenario, Dataset dataset)
    {
        var table = TruthReader.Read(scenario.DatasetFolder, dataset)
            ?? throw new InvalidOperationException($"the 'oracle' forecaster needs the true demand distribution, but the dataset folder {scenario.DatasetFolder} has no truth.csv (only generated datasets have one)");
        return TruthTableDemandTruth.Create(table);
    }

    private sealed class Registration(IDisposable registration, ReplayForecastSources sources) : IDisposable
    {
        public void Dispose()
        {
            registration.Dispose();
            sources.Dispose();
        }
    }
}
