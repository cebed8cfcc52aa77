using SeasonalGrains.Simulation.Compare;

namespace SeasonalGrains.Simulation.Reports;

/// <summary>What the season report shows: the comparison of policies, the frontier and a few SKUs' seasons.</summary>
public sealed record SeasonReport
{
    public required string Title { get; init; }

    /// <summary>Facts shown under the title (scenario, dataset, days, SKUs, forecaster, seed ...).</summary>
    public IReadOnlyList<SeasonFact> Facts { get; init; } = [];

    /// <summary>The policy the others are compared with (one of <see cref="Policies"/>).</summary>
    public required string Baseline { get; init; }

    /// <summary>One row per policy, from <see cref="PolicyComparison.Compare"/>.</summary>
    public required IReadOnlyList<PolicyComparisonRow> Policies { get; init; }

    /// <summary>The lowest costs reachable with the demand known in advance: a row named hindsight and each policy's gap to it; null = not shown.</summary>
    public HindsightResult? Hindsight { get; init; }

    /// <summary>
    /// Where each row's cost comes from (the policies, then hindsight), shown as a table and a stacked bar chart
    /// (holding, shortage, ordering, purchase minus salvage); empty = not shown.
    /// </summary>
    public IReadOnlyList<SeasonCostRow> CostBreakdown { get; init; } = [];

    /// <summary>Service-versus-inventory points, e.g. from <see cref="PolicyComparison.FrontierOf"/> or a sweep of service levels.</summary>
    public IReadOnlyList<FrontierPoint> Frontier { get; init; } = [];

    /// <summary>What the frontier's service axis measures.</summary>
    public string ServiceMeasure { get; init; } = "fill rate";

    /// <summary>Forecast accuracy during the replay, one row per forecast source.</summary>
    public IReadOnlyList<SeasonForecastRow> Forecasts { get; init; } = [];

    /// <summary>Days of a few SKUs under one policy each.</summary>
    public IReadOnlyList<SeasonSkuTrace> Traces { get; init; } = [];

    /// <summary>Free sentences shown at the end (method notes, caveats).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>The cost breakdown of one row of the report (a policy, or hindsight).</summary>
public sealed record SeasonCostRow(string Policy, CostBreakdown Breakdown);

/// <summary>A name and a value shown under the report's title.</summary>
public sealed record SeasonFact(string Name, string Value);

/// <summary>How good one forecast source was during the replay.</summary>
public sealed record SeasonForecastRow(string Source, OutlookAccuracy Accuracy);

/// <summary>
/// One SKU's season under one policy: daily demand, end-of-day on hand, units ordered, and where the
/// policy had one, the forecast of each day (mean and band; NaN for days without a forecast).
/// Arrays are aligned by day from <see cref="Start"/>.
/// </summary>
public sealed record SeasonSkuTrace(
    string Sku,
    string Policy,
    DateOnly Start,
    double[] Demand,
    double[] OnHand,
    double[] Ordered,
    double[]? ForecastMean = null,
    double[]? ForecastLower = null,
    double[]? ForecastUpper = null,
    string BandLabel = "forecast 5-95%")
{
    public int Days => Demand.Length;

    /// <summary>Throws unless every given array has one value per day.</summary>
    public void Validate()
    {
        var n = Demand.Length;
        Check(OnHand, nameof(OnHand));
        Check(Ordered, nameof(Ordered));
        Check(ForecastMean, nameof(ForecastMean));
        Check(ForecastLower, nameof(ForecastLower));
        Check(ForecastUpper, nameof(ForecastUpper));
        if ((ForecastLower is null) != (ForecastUpper is null))
        {
            throw new ArgumentException($"Trace of SKU '{Sku}' ({Policy}): a forecast band needs both its lower and upper edge.");
        }

        void Check(double[]? values, string name)
        {
            if (values is not null && values.Length != n)
            {
                throw new ArgumentException($"Trace of SKU '{Sku}' ({Policy}): {name} has {values.Length} days, demand has {n}.");
            }
        }
    }
}
