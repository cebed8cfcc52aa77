using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Simulation.Compare;

/// <summary>
/// The forecast sources of a scenario's forecast policies, for a replay or a comparison: described by the run's
/// <see cref="ReplayForecasters"/> (the scenario's forecasters, dataset, model and outlook settings), which goes into the
/// run's plan so any silo can build them; built here over the run's (cleaned) dataset for the silo of this process and
/// registered with its <see cref="ReplayForecastService"/> under the run id for as long as the run lasts.
/// </summary>
public static class ScenarioForecasts
{
    /// <summary>
    /// The forecasters <paramref name="names"/> of a run, forecasting as far ahead as the run's <paramref name="policies"/>
    /// (catalog names) read; with <paramref name="fingerprints"/>, the SHA-256 of the dataset and model folders, for silos
    /// that read them themselves.
    /// </summary>
    /// <param name="windowForm">Runs the lstm in its window form whatever the scenario says (for forecasts at any origin, as tuning reads them).</param>
    public static ReplayForecasters Spec(
        Scenario scenario, Dataset dataset, ReplayWindow window, IEnumerable<string> names, IEnumerable<string> policies, bool windowForm = false, bool fingerprints = false)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(policies);
        var defaults = new OutlookOptions();
        var lead = dataset.Skus.Select(s => s.LeadTimeDays).DefaultIfEmpty(0).Max();
        var days = ForecastPolicyCatalog.OutlookDays(policies, lead, scenario.ReviewPeriodDays);
        var lstm = scenario.Forecasters.TryGetValue(ForecasterRegistry.Lstm, out var l) ? l : null;
        var model = lstm?.Model is { } folder ? Path.GetFullPath(folder) : null;
        var datasetFolder = Path.GetFullPath(scenario.DatasetFolder);
        return new ReplayForecasters
        {
            Names = [.. names],
            DatasetFolder = datasetFolder,
            DatasetSha256 = fingerprints ? FolderFingerprint.Of(datasetFolder) : "",
            Missing = scenario.Cleaning.Missing.ToString(),
            Outliers = scenario.Cleaning.Outliers.ToString(),
            IqrK = scenario.Cleaning.IqrK,
            MinObservationsForOutliers = scenario.Cleaning.MinObservationsForOutliers,
            ModelFolder = model,
            ModelSha256 = fingerprints && model is not null && Directory.Exists(model) ? FolderFingerprint.Of(model) : null,
            ReviewPeriodDays = scenario.ReviewPeriodDays,
            Horizon = days > lead + scenario.ReviewPeriodDays ? days : null,
            Seed = scenario.Outlook.Seed,
            Paths = scenario.Outlook.Paths,
            Correlation = scenario.Outlook.Correlation,

            // every origin of the window (and the error record's before it) stays cached, so each is forecast once
            RetainOrigins = Math.Max(defaults.RetainOrigins, window.Days + defaults.ErrorWindowDays + (2 * scenario.ReviewPeriodDays)),
            LstmInference = (windowForm || lstm is null ? LstmInference.Window : lstm.Inference).ToString(),
            LstmRestartDays = lstm?.RestartDays ?? LstmTrackerOptions.DefaultRestartDays,
            LstmPrecision = lstm?.Precision ?? InferencePrecisions.Float32,
            FirstOrigin = windowForm ? null : window.StartIndex,
        };
    }

    /// <summary>
    /// Sources for <paramref name="names"/> (forecaster names), forecasting as far ahead as the run's
    /// <paramref name="policies"/> (catalog names) read; problems come back as <see cref="ScenarioException"/> under <c>forecasters</c>.
    /// </summary>
    /// <param name="windowForm">Runs the lstm in its window form whatever the scenario says (for forecasts at any origin, as tuning reads them).</param>
    public static ReplayForecastSources Create(Scenario scenario, Dataset dataset, ReplayWindow window, IEnumerable<string> names, IEnumerable<string> policies, bool windowForm = false) =>
        Create(scenario, dataset, Spec(scenario, dataset, window, names, policies, windowForm));

    /// <summary>The sources a spec describes over the run's dataset; problems come back as <see cref="ScenarioException"/> under <c>forecasters</c>.</summary>
    public static ReplayForecastSources Create(Scenario scenario, Dataset dataset, ReplayForecasters spec)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        try
        {
            return ReplayForecastPlan.Create(dataset, spec);
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or InvalidDataException or ArgumentException)
        {
            throw new ScenarioException(scenario.SourcePath, $"forecasters: {e.Message}");
        }
    }

    /// <summary>
    /// The forecasters of a prepared replay's forecast policies, with the fingerprints of the dataset and model folders,
    /// for the run's plan; null when no policy orders from a forecast.
    /// </summary>
    public static ReplayForecasters? Plan(PreparedReplay prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var names = prepared.Input.Policies.SelectMany(p => p.Setups).Select(s => s.Forecast?.Source).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return null;
        }

        var policies = prepared.Input.Policies.SelectMany(p => p.Setups).Select(s => s.Policy.Name).Distinct(StringComparer.Ordinal);
        return Spec(prepared.Scenario, prepared.Dataset, prepared.Window, names, policies, fingerprints: true);
    }

    /// <summary>
    /// Registers the sources of <paramref name="spec"/> (a prepared replay's, see <see cref="Plan"/>) with the silo of this
    /// process under <paramref name="runId"/>; disposing the result unregisters and releases them. Null without a spec, or
    /// without a silo here (a cluster reached as a client: its silos build the sources from the run's plan).
    /// </summary>
    public static IDisposable? Register(PreparedReplay prepared, ReplayForecasters? spec, ReplayForecastService? service, string runId)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (spec is null || service is null)
        {
            return null;
        }

        var sources = Create(prepared.Scenario, prepared.Dataset, spec);
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

    private sealed class Registration(IDisposable registration, ReplayForecastSources sources) : IDisposable
    {
        public void Dispose()
        {
            registration.Dispose();
            sources.Dispose();
        }
    }
}
