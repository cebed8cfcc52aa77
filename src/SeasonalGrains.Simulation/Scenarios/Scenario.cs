using SeasonalGrains.Data.Cleaning;

namespace SeasonalGrains.Simulation.Scenarios;

/// <summary>A replay scenario as read from its JSON file (see README.md in this project).</summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The full path of the scenario file (empty when built in code).</summary>
    public string SourcePath { get; init; } = "";

    /// <summary>The dataset folder, resolved against the scenario file's folder.</summary>
    public required string DatasetFolder { get; init; }

    public GenerateSpec? Generate { get; init; }

    public required WindowSpec Window { get; init; }

    /// <summary>Use at most this many days before the window to derive policy parameters (null = all).</summary>
    public int? HistoryDays { get; init; }

    public Fulfilment Fulfilment { get; init; } = Fulfilment.LostSales;

    public int ReviewPeriodDays { get; init; } = 1;

    public double TargetServiceLevel { get; init; } = 0.95;

    public CostSpec Costs { get; init; } = new();

    public CleaningOptions Cleaning { get; init; } = new();

    public required IReadOnlyList<PolicyEntry> Policies { get; init; }

    /// <summary>Days per grain call; null = the runner's default.</summary>
    public int? ChunkDays { get; init; }

    /// <summary>SKUs whose daily on hand, orders and demand go to trace.csv.</summary>
    public IReadOnlyList<string> TraceSkus { get; init; } = [];

    /// <summary>Settings of forecasters by name (the model folder of <c>lstm</c>), resolved against the scenario's folder.</summary>
    public IReadOnlyDictionary<string, ForecasterSettings> Forecasters { get; init; } = new Dictionary<string, ForecasterSettings>(StringComparer.Ordinal);

    /// <summary>How forecasts become outlooks for the forecast policies (seed, sample paths, correlation).</summary>
    public OutlookSpec Outlook { get; init; } = new();

    /// <summary>A parameter run at several values by <c>seasonal compare</c> (each policy at each value); null for none.</summary>
    public SweepSpec? Sweep { get; init; }

    /// <summary>How the <c>-tuned</c> policies of <c>seasonal compare</c> are tuned.</summary>
    public TuningSpec Tuning { get; init; } = new();
}

/// <summary>
/// Settings of one forecaster: the model folder of a trained model, and for the LSTM how replays run it:
/// <see cref="LstmInference.Window"/> re-reads each SKU's window at every review; <see cref="LstmInference.Stateful"/>
/// carries each SKU's encoder state from day to day (<c>LstmTracker</c>), restarting it every
/// <paramref name="RestartDays"/> days, in <paramref name="Precision"/> (<c>float32</c> or <c>bfloat16</c>).
/// </summary>
public sealed record ForecasterSettings(string? Model, LstmInference Inference = LstmInference.Window, int RestartDays = Forecasting.Inference.LstmTrackerOptions.DefaultRestartDays, string Precision = "float32")
{
    /// <summary>Whether a missing model folder is trained on the days before the window on first use (and kept).</summary>
    public bool TrainIfMissing { get; init; }

    /// <summary>The unit scaling a model trained on first use gets (<see cref="TrainIfMissing"/>); a model folder that exists keeps its own.</summary>
    public Forecasting.Features.UnitScaling Scaling { get; init; } = Forecasting.Lstm.LstmOptions.TrainDefaults.Scaling;
}

/// <summary>How forecast policies' outlooks are drawn: the seed of the sample paths (with SKU and day), their number and the copula correlation between days.</summary>
public sealed record OutlookSpec(ulong Seed = 1, int Paths = 256, double Correlation = 0.2);

/// <summary>A parameter swept over values; the only one so far is <see cref="TargetServiceLevel"/>.</summary>
public sealed record SweepSpec(string Parameter, IReadOnlyList<double> Values)
{
    public const string TargetServiceLevel = "targetServiceLevel";
}

public enum TuningScope
{
    /// <summary>Each SKU gets the grid point with its own lowest training cost.</summary>
    Sku,

    /// <summary>All SKUs of a category get the grid point with the category's lowest summed training cost.</summary>
    Category,
}

/// <summary>
/// Tuning on the history before the window: a classical policy on all the days <c>historyDays</c> allows, a forecast
/// policy on the last <paramref name="ForecastDays"/> of them (each with a forecast made from the days before it).
/// </summary>
public sealed record TuningSpec(TuningScope Scope = TuningScope.Sku, int ForecastDays = TuningSpec.DefaultForecastDays)
{
    /// <summary>
    /// A year: a whole season cycle. On the promo preset, tuning on the last 91 days (its fourth quarter) chose settings
    /// that cost the lookahead 26-35% more operating cost in the next year than untuned; tuned on 365 days it was within 5%.
    /// </summary>
    public const int DefaultForecastDays = 365;
}

/// <summary>How to create the dataset folder when it is missing; <paramref name="Start"/> null = the generator's default first day.</summary>
public sealed record GenerateSpec(string Preset, int Skus, int Years, int Seed, DateOnly? Start = null);

/// <summary>The replay window: explicit dates (inclusive) or the last days of the dataset.</summary>
public sealed record WindowSpec(DateOnly? Start, DateOnly? End, int? LastDays);

public enum HoldingBasis
{
    /// <summary>A fraction of the unit cost per year.</summary>
    AnnualRate,

    /// <summary>An amount per unit per day.</summary>
    PerUnitDay,
}

public enum ShortageBasis
{
    /// <summary>Chosen by the rules in the README (lost margin, lost price, or the service-level penalty).</summary>
    Default,

    /// <summary>An absolute amount per lost unit or per backordered unit-day.</summary>
    PerUnit,

    /// <summary>A multiple of the unit margin (price - cost).</summary>
    OfMargin,

    /// <summary>A multiple of the unit price.</summary>
    OfPrice,
}

public sealed record CostSpec
{
    public const double DefaultAnnualHoldingRate = 0.25;

    public HoldingBasis HoldingBasis { get; init; } = HoldingBasis.AnnualRate;

    public double Holding { get; init; } = DefaultAnnualHoldingRate;

    public ShortageBasis ShortageBasis { get; init; } = ShortageBasis.Default;

    public double Shortage { get; init; }

    public double FixedPerOrder { get; init; }

    /// <summary>Whether units ordered are charged at unit cost (and leftovers credited at salvage value).</summary>
    public bool PurchaseCost { get; init; }
}

/// <summary>One policy to replay: catalog name, report label, and explicit parameters by scope.</summary>
public sealed record PolicyEntry
{
    public required string Name { get; init; }

    /// <summary>Unique within the scenario; defaults to the name as written (with its forecaster or tuned suffix).</summary>
    public required string Label { get; init; }

    /// <summary>For a forecast policy, the forecaster its outlooks come from (written <c>name:forecaster</c>); null otherwise.</summary>
    public string? Forecaster { get; init; }

    /// <summary>Whether the policy's parameters are tuned per SKU on the history before the window (written <c>name-tuned</c>).</summary>
    public bool Tuned { get; init; }

    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> PerCategory { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> PerSku { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>Explicit parameters of one SKU: the SKU's own override those of its category, which override the defaults.</summary>
    public IReadOnlyDictionary<string, double> ParametersFor(string sku, string category)
    {
        var merged = new Dictionary<string, double>(Parameters, StringComparer.Ordinal);
        if (PerCategory.TryGetValue(category, out var byCategory))
        {
            foreach (var (k, v) in byCategory)
            {
                merged[k] = v;
            }
        }

        if (PerSku.TryGetValue(sku, out var bySku))
        {
            foreach (var (k, v) in bySku)
            {
                merged[k] = v;
            }
        }

        return merged;
    }
}
