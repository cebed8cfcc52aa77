namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>Settings of a <see cref="ForecastOutlookProvider"/>.</summary>
public sealed record OutlookOptions
{
    /// <summary>0.005, 0.025, 0.1, 0.165, 0.25, 0.5, 0.75, 0.835, 0.9, 0.975, 0.995: enough knots for the tails a policy reads.</summary>
    public static IReadOnlyList<double> DefaultLevels { get; } = [0.005, 0.025, 0.1, 0.165, 0.25, 0.5, 0.75, 0.835, 0.9, 0.975, 0.995];

    /// <summary>Days between reviews (R); sets the default horizon and which earlier forecasts the error record compares.</summary>
    public int ReviewPeriodDays { get; init; } = 1;

    /// <summary>Days forecast from each origin; null = the longest lead time of the SKUs + R (the protection interval).</summary>
    public int? Horizon { get; init; }

    /// <summary>Quantile levels asked of the forecaster (a forecaster may answer at its own levels).</summary>
    public IReadOnlyList<double> Levels { get; init; } = DefaultLevels;

    /// <summary>Sample paths and the dependence between days (see <see cref="SamplePathSettings"/>).</summary>
    public SamplePathSettings Sampling { get; init; } = new();

    /// <summary>
    /// Whether a forecast with interval quantiles (the LSTM's interval head) answers interval sums from them
    /// (<see cref="IntervalQuantileOutlook"/>); false simulates sample paths over its daily quantiles, as for
    /// every other forecaster.
    /// </summary>
    public bool UseIntervalQuantiles { get; init; } = true;

    /// <summary>Seed of the sample paths; with the SKU name and origin it keys every draw.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Days back from the origin whose forecast errors measure the error sd (0 = none).</summary>
    public int ErrorWindowDays { get; init; } = 28;

    /// <summary>Fewest errors for a measured sd; with fewer, the forecast's own day-0 spread stands in.</summary>
    public int MinErrors { get; init; } = 7;

    /// <summary>The SKUs forecast together at each origin (null = all SKUs of the dataset).</summary>
    public IReadOnlyList<int>? SkuIndices { get; init; }

    /// <summary>
    /// Origins whose full forecasts stay cached (the least recently used are dropped; their means are
    /// kept). The default holds a year of daily origins, so a replay that runs SKU by SKU (each SKU
    /// through all its days) forecasts every origin once: about SKUs x horizon x levels x 8 bytes
    /// per origin (200 x 28 x 11 x 8 = 0.5 MB).
    /// </summary>
    public int RetainOrigins { get; init; } = 366;

    /// <summary>Origins whose outlooks (with their sample paths) stay cached; older ones are rebuilt, identically, when asked again.</summary>
    public int RetainOutlookOrigins { get; init; } = 4;

    public void Validate()
    {
        Sampling.Validate();
        ForecastRequestChecks.ValidateLevels(Levels, "outlook options");
        Require(Levels.Count > 0, "Levels must not be empty.");
        Require(ReviewPeriodDays >= 1, $"ReviewPeriodDays must be at least 1 (got {ReviewPeriodDays}).");
        Require(Horizon is null || Horizon >= 1, $"Horizon must be at least 1 day (got {Horizon}).");
        Require(ErrorWindowDays >= 0, $"ErrorWindowDays must be 0 or more (got {ErrorWindowDays}).");
        Require(MinErrors >= 2, $"MinErrors must be at least 2 (got {MinErrors}).");
        Require(RetainOrigins >= 1, $"RetainOrigins must be at least 1 (got {RetainOrigins}).");
        Require(RetainOutlookOrigins >= 1 && RetainOutlookOrigins <= RetainOrigins, $"RetainOutlookOrigins must lie in 1..RetainOrigins (got {RetainOutlookOrigins}).");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Outlook options: {message}");
        }
    }
}
