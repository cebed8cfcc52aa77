using System.Diagnostics;
using SeasonalGrains.Data.Cleaning;
using SeasonalGrains.Forecasting.Backtest;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Simulation.Compare;

/// <summary>A comparison to run: the scenario, which policies, the baseline and where to write.</summary>
public sealed record CompareRequest
{
    public required string ScenarioPath { get; init; }

    /// <summary>
    /// Policies to compare, each a label of the scenario's policies or a policy name (<c>sS</c>,
    /// <c>sS-tuned</c>, <c>forecast-order-up-to:ets</c>) run with derived parameters. Empty = the scenario's policies.
    /// </summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>The policy the others are compared with (a label; under a sweep, a policy's label picks its run at the scenario's targetServiceLevel, else its first value). Null = the first policy.</summary>
    public string? Baseline { get; init; }

    /// <summary>The output folder; null = runs/&lt;scenario&gt;-compare-&lt;timestamp&gt;.</summary>
    public string? OutDir { get; init; }

    public BootstrapOptions Bootstrap { get; init; } = new();

    /// <summary>
    /// Days per grain call; null = the scenario's chunkDays, else 365, or <see cref="CompareRunner.ReviewsPerForecastChunk"/>
    /// review periods when forecast policies run (their reviews forecast inside the grain calls, which must end within the
    /// silo's response timeout).
    /// </summary>
    public int? ChunkDays { get; init; }

    /// <summary>Whether to compute the hindsight bound (<see cref="HindsightResult"/>) beside the policies.</summary>
    public bool Hindsight { get; init; } = true;
}

/// <summary>Progress of a comparison: the stage's name and how far it is (0..1).</summary>
public readonly record struct CompareStatus(string Stage, double Fraction);

/// <summary>One replayed variant: a policy (at one value of the sweep, when there is one).</summary>
/// <param name="Label">Unique in the comparison: the policy's label, with <c>@value</c> under a sweep.</param>
/// <param name="Policy">The policy's label in the scenario (a frontier series).</param>
/// <param name="Name">The catalog name of the policy.</param>
/// <param name="Forecaster">The forecaster of a forecast policy, else null.</param>
/// <param name="Tuned">Whether the parameters were tuned on the training days.</param>
/// <param name="SweepValue">The swept parameter's value of this variant, or null.</param>
public sealed record CompareVariant(string Label, string Policy, string Name, string? Forecaster, bool Tuned, double? SweepValue);

/// <summary>The result of one variant: per-SKU metrics and results (aligned with <see cref="CompareResult.Skus"/>).</summary>
public sealed record CompareVariantResult(CompareVariant Variant, IReadOnlyList<InventoryMetrics> Metrics, IReadOnlyList<SkuResult> Results, double Seconds)
{
    /// <summary>Accuracy of the forecasts the reviews were given; null for a policy without forecasts.</summary>
    public OutlookAccuracy? ForecastAccuracy =>
        Variant.Forecaster is null ? null : ForecastLogAccuracy.Of(Results.Select(r => r.Forecasts).OfType<ForecastLog>());
}

/// <summary>How a tuned policy was tuned, and what each SKU got (<paramref name="Forecaster"/>: the forecaster of a tuned forecast policy).</summary>
public sealed record TuningReport(string Label, string Policy, string Grid, TuningScope Scope, DateOnly TrainingStart, DateOnly TrainingEnd, IReadOnlyList<TuningChoice> Choices, string? Forecaster = null)
{
    /// <summary>One sentence on the method, for reports.</summary>
    public string Method => Forecaster is null ? ClassicalMethod : ForecastMethod;

    private string ForecastMethod =>
        $"{Label}: {Grid}. Each grid point is replayed over the days {TrainingStart:yyyy-MM-dd}..{TrainingEnd:yyyy-MM-dd} just before the window " +
        $"with the bare domain ledger, from the SKU's initial stock, with the scenario's costs, fulfilment and review days, each review reading the {Forecaster} " +
        "forecast made that day from the days before it (the lstm's weights were fitted on days before its validation range, which these days lie in " +
        "when the model was trained up to the window), and the point with the lowest total cost is kept " +
        $"({(Scope == TuningScope.Sku ? "per SKU" : "per category: lowest summed cost over its SKUs")}; ties go to the first point in grid order). " +
        "The window is then replayed with those parameters.";

    private string ClassicalMethod =>
        $"{Label}: {Grid}; d and sd are the mean and standard deviation of daily demand over the training days " +
        $"{TrainingStart:yyyy-MM-dd}..{TrainingEnd:yyyy-MM-dd} (the history before the window), L the lead time and R the review period. " +
        "Each grid point is replayed over those days with the bare domain ledger, from the SKU's initial stock, with the scenario's costs, " +
        $"fulfilment and review days, and the point with the lowest total cost is kept ({(Scope == TuningScope.Sku ? "per SKU" : "per category: lowest summed cost over its SKUs")}; " +
        "ties go to the first point in grid order). The window is then replayed with those parameters.";
}

/// <summary>Everything a comparison produced.</summary>
public sealed record CompareResult
{
    public required Scenario Scenario { get; init; }

    public required ReplayWindow Window { get; init; }

    public required string RunId { get; init; }

    public required IReadOnlyList<SkuInfo> Skus { get; init; }

    public required string Baseline { get; init; }

    public required IReadOnlyList<CompareVariantResult> Variants { get; init; }

    /// <summary>One row per variant, in variant order, with bootstrap differences to the baseline.</summary>
    public required IReadOnlyList<PolicyComparisonRow> Rows { get; init; }

    public required IReadOnlyList<CompareMetric> Metrics { get; init; }

    public required IReadOnlyList<FrontierPoint> Frontier { get; init; }

    public required IReadOnlyList<TuningReport> Tuning { get; init; }

    public required BootstrapOptions Bootstrap { get; init; }

    /// <summary>The lowest costs reachable with the demand known in advance, on the same SKUs and days; null when not asked for.</summary>
    public HindsightResult? Hindsight { get; init; }

    /// <summary>Wall-clock seconds per stage: prepare, tuning, hindsight, replay (and total).</summary>
    public required IReadOnlyDictionary<string, double> Seconds { get; init; }

    /// <summary>
    /// With an LSTM model in the run: the permutation importance of its feature groups (<see cref="PermutationImportance"/>)
    /// on windows from every <see cref="ImportanceStepDays"/>-th day of the replay window after the model's training days.
    /// </summary>
    public IReadOnlyList<ImportanceRow> Importance { get; init; } = [];

    /// <summary>Days between the origins of <see cref="Importance"/>'s windows.</summary>
    public const int ImportanceStepDays = 28;

    public CompareVariantResult VariantOf(string label) => Variants.First(v => v.Variant.Label == label);
}

/// <summary>
/// Runs a comparison: the scenario's dataset (generated if missing), the chosen policies (each at
/// each value of the scenario's sweep), the tuning of <c>-tuned</c> policies on the history before
/// the window, and one replay of every variant through the grains on the same SKUs and days, with
/// the forecast sources of the forecast policies registered with the silo's
/// <see cref="ReplayForecastService"/> for the run. Then the comparison with the baseline (paired
/// bootstrap over SKUs) and the service-versus-inventory frontier.
/// </summary>
public static class CompareRunner
{
    /// <summary>Reviews per grain call of a run with forecast policies, when no chunk size is given.</summary>
    public const int ReviewsPerForecastChunk = 4;

    /// <summary>The metrics compared: total cost, operating cost, fill rate, cycle service level, stockout days, lost units, average inventory value, turnover, leftover value.</summary>
    public static IReadOnlyList<CompareMetric> MetricsFor(int days) =>
    [
        CompareMetric.TotalCost,
        CompareMetric.OperatingCost,
        CompareMetric.FillRate,
        CompareMetric.CycleServiceLevel,
        CompareMetric.StockoutDays,
        CompareMetric.LostUnits,
        CompareMetric.AverageInventoryValue,
        CompareMetric.Turnover(days),
        CompareMetric.LeftoverValue,
    ];

    /// <summary>
    /// Prepares, replays through <paramref name="grains"/> and compares; nothing is written. The run's plan carries the
    /// forecasters of its forecast variants, built by the silos of a cluster reached as a client (<paramref name="forecasts"/>
    /// null), or here for the silo of this process.
    /// </summary>
    public static async Task<CompareResult> RunAsync(
        CompareRequest request, IGrainFactory grains, ReplayForecastService? forecasts, IProgress<CompareStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(grains);
        var total = Stopwatch.StartNew();
        var prepared = await Task.Run(() => Prepare(request, progress, cancellationToken), cancellationToken);
        var prepareSeconds = total.Elapsed.TotalSeconds;

        var watch = Stopwatch.StartNew();
        var tuning = await Task.Run(() => Tune(prepared, progress, cancellationToken), cancellationToken);
        var tuningSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var hindsight = request.Hindsight ? await Task.Run(() => ComputeHindsight(prepared, progress, cancellationToken), cancellationToken) : null;
        var hindsightSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();

        var runId = ReplayRunner.NewRunId(prepared.Scenario.Name);
        var sourceNames = prepared.Variants.Select(v => v.Forecaster).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var forecasters = sourceNames.Count == 0
            ? null
            : ScenarioForecasts.Spec(prepared.Scenario, prepared.Dataset, prepared.Window, sourceNames, prepared.Variants.Select(v => v.Name), fingerprints: true);
        using var sources = forecasters is null || forecasts is null ? null : ScenarioForecasts.Create(prepared.Scenario, prepared.Dataset, forecasters);
        using var registration = sources is null ? null : forecasts!.Register(runId, sources);
        var sourceSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var chunkDays = request.ChunkDays ?? prepared.Scenario.ChunkDays
            ?? (forecasters is null ? ReplayDriverOptions.DefaultChunkDays : ReviewsPerForecastChunk * prepared.Scenario.ReviewPeriodDays);
        var driver = new ReplayDriver(grains, new ReplayDriverOptions { ChunkDays = chunkDays });
        progress?.Report(new("Replaying", 0));
        var outcome = await driver.RunAsync(
            runId,
            ReplaySkuSource.Of(prepared.Input),
            source: null,
            progress is null ? null : new Progress<ReplayProgress>(p => progress.Report(new("Replaying", p.Fraction))),
            cancellationToken,
            forecasters);
        var replaySeconds = watch.Elapsed.TotalSeconds;
        var importance = sources?.LstmModel is { } model ? Importance(prepared, model) : [];

        var variants = new List<CompareVariantResult>();
        var position = prepared.Input.Skus.Select((s, i) => (s.Sku, i)).ToDictionary(x => x.Sku, x => x.i, StringComparer.Ordinal);
        foreach (var (variant, policy) in prepared.Variants.Zip(outcome.Policies))
        {
            var ordered = new SkuResult[position.Count];
            foreach (var r in policy.Result.Skus)
            {
                ordered[position[r.Sku]] = r;
            }

            variants.Add(new CompareVariantResult(variant, [.. ordered.Select(r => r.Metrics)], ordered, policy.Elapsed.TotalSeconds));
        }

        var result = Compare(prepared, runId, variants, tuning, request.Bootstrap);
        return result with
        {
            Hindsight = hindsight,
            Importance = importance,
            Seconds = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["prepare"] = prepareSeconds,
                ["tuning"] = tuningSeconds,
                ["hindsight"] = hindsightSeconds,
                ["forecastSetup"] = sourceSeconds,
                ["replay"] = replaySeconds,
                ["total"] = total.Elapsed.TotalSeconds,
            },
        };
    }

    /// <summary>
    /// The lstm's permutation importance on the window's origins every <see cref="CompareResult.ImportanceStepDays"/>
    /// days that lie after its training days and leave a whole horizon inside the dataset: windows it never trained on,
    /// a few thousand forecasts at most, cheap beside the replay.
    /// </summary>
    private static IReadOnlyList<ImportanceRow> Importance(PreparedComparison prepared, LstmModel model)
    {
        var dataset = prepared.Dataset;
        var trained = model.Metadata.DatasetStart.DayNumber + model.Metadata.TrainEndDay - dataset.Start.DayNumber;
        var origins = new List<int>();
        for (var o = prepared.Window.StartIndex; o + model.Horizon <= Math.Min(dataset.Days, prepared.Window.StartIndex + prepared.Window.Days); o += CompareResult.ImportanceStepDays)
        {
            if (o >= trained)
            {
                origins.Add(o);
            }
        }

        return origins.Count < 2
            ? []
            : PermutationImportance.Compute(model, dataset, origins, [.. Enumerable.Range(0, dataset.Skus.Count)], model.Horizon, BacktestOptions.DefaultLevels);
    }

    /// <summary>A scenario with its dataset loaded and cleaned, the variants chosen and their input built (tuned setups not yet tuned).</summary>
    public sealed record PreparedComparison(
        Scenario Scenario, Dataset Dataset, ReplayWindow Window, IReadOnlyList<CompareVariant> Variants, ReplayInput Input, string Baseline);

    /// <summary>Everything before the grains; bad input throws <see cref="ScenarioException"/> or <see cref="DatasetLoadException"/>.</summary>
    public static PreparedComparison Prepare(CompareRequest request, IProgress<CompareStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = ForecastPolicyCatalog.All;
        var scenario = ScenarioLoader.Load(request.ScenarioPath, catalog);
        var source = scenario.SourcePath;
        var entries = SelectEntries(scenario, request.Policies, catalog);
        DatasetProvisioner.Ensure(scenario, progress is null ? null : new Progress<double>(f => progress.Report(new("Generating dataset", f))));
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new("Reading dataset", 0));
        var raw = DatasetLoadException.Read(scenario.DatasetFolder, progress is null ? null : new Progress<double>(f => progress.Report(new("Reading dataset", f))));
        var (dataset, _) = DatasetCleaner.Clean(raw, scenario.Cleaning);
        var window = ReplayWindow.Resolve(scenario.Window, scenario.HistoryDays, dataset, source);
        var traced = scenario.TraceSkus.Count > 0
            ? scenario.TraceSkus
            : [.. dataset.Skus.GroupBy(s => s.Category, StringComparer.Ordinal).Select(g => g.First().Sku).Take(3)];

        // every variant: each policy at each sweep value (tuned policies once: the tuning picks their levels)
        var variants = new List<(CompareVariant Variant, PolicyEntry Entry, double Level)>();
        foreach (var entry in entries)
        {
            if (scenario.Sweep is { } sweep && !entry.Tuned)
            {
                foreach (var value in sweep.Values)
                {
                    var label = $"{entry.Label}@{value.ToString("0.###", CultureInfo.InvariantCulture)}";
                    variants.Add((new CompareVariant(label, entry.Label, entry.Name, entry.Forecaster, false, value), AtLevel(entry, value, catalog), value));
                }
            }
            else
            {
                variants.Add((new CompareVariant(entry.Label, entry.Label, entry.Name, entry.Forecaster, entry.Tuned, null), entry, scenario.TargetServiceLevel));
            }
        }

        CheckUnique(variants.Select(v => v.Variant.Label), source);

        // one input per service level; the series (units, holidays) are the same in all
        var policies = new List<PolicyRunInput>();
        ReplayInput? input = null;
        foreach (var level in variants.Select(v => v.Level).Distinct())
        {
            var at = variants.Where(v => v.Level == level).ToList();
            var built = ReplayInputBuilder.Build(
                scenario with { TargetServiceLevel = level, Policies = [.. at.Select(v => v.Entry with { Label = v.Variant.Label })], TraceSkus = traced },
                dataset,
                window,
                catalog: catalog);
            input ??= built;
            policies.AddRange(built.Policies);
        }

        ModelProvisioner.Ensure(
            scenario,
            dataset,
            window,
            variants.Select(v => v.Variant.Forecaster).OfType<string>(),
            progress is null ? null : new Progress<double>(f => progress.Report(new("Training the LSTM (first use)", f))),
            cancellationToken);
        var ordered = variants.Select(v => policies.First(p => p.Label == v.Variant.Label)).ToList();
        var finalInput = input! with { Policies = ordered };
        var baseline = ResolveBaseline(request.Baseline, variants.Select(v => v.Variant).ToList(), scenario);
        return new PreparedComparison(scenario, dataset, window, [.. variants.Select(v => v.Variant)], finalInput, baseline);
    }

    /// <summary>
    /// Days before the window a forecast policy is tuned on: the scenario's (a year unless given), or the history if shorter,
    /// but never the dataset's first day, which has no history to forecast from.
    /// </summary>
    internal static int ForecastTuningDays(Scenario scenario, ReplayWindow window) =>
        Math.Min(scenario.Tuning.ForecastDays, Math.Min(window.HistoryDays, window.StartIndex - 1));

    /// <summary>Tunes the setups of the tuned variants on the history before the window; replaces their parameters in place.</summary>
    public static IReadOnlyList<TuningReport> Tune(PreparedComparison prepared, IProgress<CompareStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var reports = new List<TuningReport>();
        var tuned = prepared.Variants.Select((v, i) => (v, i)).Where(x => x.v.Tuned).ToList();
        if (tuned.Count == 0)
        {
            return reports;
        }

        progress?.Report(new("Tuning", 0));
        var window = prepared.Window;
        var dataset = prepared.Dataset;
        var holidays = HolidayDistancesOfAllDays(dataset);
        var done = 0;
        foreach (var (variant, index) in tuned)
        {
            var policy = prepared.Input.Policies[index];
            var grid = TuningGrids.For(variant.Name);

            // a forecast policy is tuned on the last days before the window, with forecasts made at each of those days from
            // the days before it; a classical one on all the history
            var first = variant.Forecaster is null ? window.HistoryStartIndex : window.StartIndex - ForecastTuningDays(prepared.Scenario, window);
            var days = window.StartIndex - first;
            using var sources = variant.Forecaster is { } forecaster
                ? ScenarioForecasts.Create(prepared.Scenario, dataset, window, [forecaster], [variant.Name], windowForm: true)
                : null;
            var skus = policy.Setups.Select((setup, i) => new TuningSku(
                setup with { WindowDays = 0, Trace = false, Forecast = null },
                dataset.Skus[i].Category,
                dataset.Series[i].Units.AsSpan(first, days).ToArray(),
                holidays?.AsSpan(first, days).ToArray(),
                sources is null ? null : d => sources.Outlook(variant.Forecaster!, i, first + d))).ToList();
            var choices = TuningSearch.Run(skus, grid, prepared.Scenario.Tuning.Scope, ForecastPolicyCatalog.All, cancellationToken);
            for (var i = 0; i < policy.Setups.Length; i++)
            {
                var parameters = choices[i].Best.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PolicyParameter(p.Key, p.Value)).ToArray();
                policy.Setups[i] = policy.Setups[i] with { Policy = policy.Setups[i].Policy with { Parameters = parameters } };
            }

            reports.Add(new TuningReport(
                variant.Label, variant.Name, grid.Description, prepared.Scenario.Tuning.Scope,
                dataset.DateOf(first), dataset.DateOf(window.StartIndex - 1), choices, variant.Forecaster));
            progress?.Report(new("Tuning", (double)++done / tuned.Count));
        }

        return reports;
    }

    /// <summary>
    /// The hindsight bound of a prepared comparison: every SKU's window units of the cleaned dataset (as the replay
    /// feeds them) with the terms, costs and review period of the baseline's setups.
    /// </summary>
    public static HindsightResult ComputeHindsight(PreparedComparison prepared, IProgress<CompareStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        progress?.Report(new("Hindsight bound", 0));
        var baseline = prepared.Input.Policies[prepared.Variants.Select(v => v.Label).ToList().IndexOf(prepared.Baseline)];
        try
        {
            var result = HindsightResult.Compute(prepared.Input, baseline, cancellationToken);
            progress?.Report(new("Hindsight bound", 1));
            return result;
        }
        catch (ArgumentException e)
        {
            throw new ScenarioException(prepared.Scenario.SourcePath, e.Message);
        }
    }

    /// <summary>The forecast sources of a comparison's forecast policies, over its cleaned dataset, with the scenario's outlook settings.</summary>
    public static ReplayForecastSources CreateSources(PreparedComparison prepared, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        return ScenarioForecasts.Create(prepared.Scenario, prepared.Dataset, prepared.Window, names, prepared.Variants.Select(v => v.Name));
    }

    /// <summary>The comparison of replayed variants (all on the same SKUs, in the same order).</summary>
    public static CompareResult Compare(
        PreparedComparison prepared, string runId, IReadOnlyList<CompareVariantResult> variants, IReadOnlyList<TuningReport> tuning, BootstrapOptions? bootstrap = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(variants);
        var options = bootstrap ?? new BootstrapOptions();
        var metrics = MetricsFor(prepared.Window.Days);
        var rows = PolicyComparison.Compare([.. variants.Select(v => new PolicyResults(v.Variant.Label, v.Metrics))], prepared.Baseline, metrics, options);

        // identical points (a policy the swept value does not change) are shown once
        var points = rows.Zip(variants)
            .Select(x => new FrontierPoint(
                x.Second.Variant.Policy,
                x.Second.Variant.SweepValue is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : x.Second.Variant.Policy,
                x.First.Total.FillRate,
                x.First.Total.AverageOnHandValue))
            .DistinctBy(p => (p.Policy, p.Service, p.InventoryValue));
        return new CompareResult
        {
            Scenario = prepared.Scenario,
            Window = prepared.Window,
            RunId = runId,
            Skus = prepared.Input.Skus,
            Baseline = prepared.Baseline,
            Variants = variants,
            Rows = rows,
            Metrics = metrics,
            Frontier = Frontier.Build(points),
            Tuning = tuning,
            Bootstrap = options,
            Seconds = new Dictionary<string, double>(StringComparer.Ordinal),
        };
    }

    private static List<PolicyEntry> SelectEntries(Scenario scenario, IReadOnlyList<string> names, PolicyCatalog catalog)
    {
        if (names.Count == 0)
        {
            return [.. scenario.Policies];
        }

        var entries = new List<PolicyEntry>();
        var errors = new List<string>();
        foreach (var name in names)
        {
            if (scenario.Policies.FirstOrDefault(p => p.Label == name) is { } existing)
            {
                entries.Add(existing);
            }
            else if (PolicyName.TryParse(name, catalog, out var reason) is { } parsed)
            {
                entries.Add(new PolicyEntry { Name = parsed.Policy, Label = name, Forecaster = parsed.Forecaster, Tuned = parsed.Tuned });
            }
            else
            {
                errors.Add($"--policies: '{name}' is no label of the scenario's policies ({string.Join(", ", scenario.Policies.Select(p => p.Label))}) and {reason}");
            }
        }

        ScenarioLoader.CheckForecasterSettings(entries.Select(e => (e.Forecaster, $"--policies: {e.Label}")), scenario.Forecasters, errors);
        if (errors.Count > 0)
        {
            throw new ScenarioException(scenario.SourcePath, errors);
        }

        CheckUnique(entries.Select(e => e.Label), scenario.SourcePath);
        return entries;
    }

    /// <summary>
    /// The entry run at service level <paramref name="level"/>: a forecast policy that takes
    /// <c>serviceLevel</c> gets it as its parameter (unless the entry sets q or serviceLevel itself);
    /// the classical ones derive their parameters from the scenario's targetServiceLevel, set to the level.
    /// </summary>
    private static PolicyEntry AtLevel(PolicyEntry entry, double level, PolicyCatalog catalog)
    {
        if (!ForecastPolicyCatalog.NeedsOutlook(entry.Name) || !TakesServiceLevel(entry.Name, catalog))
        {
            return entry;
        }

        var scopes = entry.PerCategory.Values.Concat(entry.PerSku.Values).Prepend(entry.Parameters);
        if (scopes.Any(p => p.ContainsKey("q") || p.ContainsKey("serviceLevel")))
        {
            return entry;
        }

        return entry with { Parameters = new Dictionary<string, double>(entry.Parameters, StringComparer.Ordinal) { ["serviceLevel"] = level } };
    }

    private static bool TakesServiceLevel(string policy, PolicyCatalog catalog)
    {
        try
        {
            catalog.Create(policy, ScenarioLoader.ProbeInputs(new Dictionary<string, double> { ["serviceLevel"] = 0.9 }));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string ResolveBaseline(string? baseline, IReadOnlyList<CompareVariant> variants, Scenario scenario)
    {
        if (baseline is null)
        {
            return variants[0].Label;
        }

        if (variants.FirstOrDefault(v => v.Label == baseline) is { } exact)
        {
            return exact.Label;
        }

        var ofPolicy = variants.Where(v => v.Policy == baseline).ToList();
        if (ofPolicy.Count > 0)
        {
            return (ofPolicy.FirstOrDefault(v => v.SweepValue == scenario.TargetServiceLevel) ?? ofPolicy[0]).Label;
        }

        throw new ScenarioException(scenario.SourcePath, $"--baseline: '{baseline}' is not one of the compared policies ({string.Join(", ", variants.Select(v => v.Label))})");
    }

    private static void CheckUnique(IEnumerable<string> labels, string source)
    {
        var duplicate = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ScenarioException(source, $"policies: '{duplicate.Key}' is compared twice; give each policy once (or a distinct label)");
        }
    }

    private static int[]? HolidayDistancesOfAllDays(Dataset dataset) =>
        ReplayInputBuilder.HolidayDistances(dataset, new ReplayWindow(dataset.Start, dataset.End, 0, dataset.Days, 0));
}
