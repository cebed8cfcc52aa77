using SeasonalGrains.Forecasting.Metrics;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// How live SKUs score model versions on realised days (the challenger's shadow forecasts beside the active version's):
/// a closed day is scored with each version's latest forecast made before it (the one made at the previous close; after a
/// close of several days at once, its later steps), by the mean pinball loss over the forecast's quantile levels and the
/// absolute error of its median (<see cref="ForecastMetrics.AbsoluteErrorLevel"/>, as backtests score MAE and MASE). A SKU keeps the last <see cref="WindowDays"/> scored days; a day is scored once, when it
/// closes (a closed day never closes again), and once per version.
/// </summary>
public static class ShadowScoring
{
    /// <summary>Scored days each SKU keeps: its rolling window.</summary>
    public const int WindowDays = 28;

    /// <summary>The period of the seasonal naive whose in-sample error scales MASE (as the backtests').</summary>
    public const int MasePeriod = 7;

    /// <summary>
    /// The score of <paramref name="forecast"/> on the day <paramref name="date"/> that sold <paramref name="actual"/>; null when
    /// the forecast is not a model version's (a history forecaster's, or the fallback's) or does not cover the day.
    /// </summary>
    public static VersionScore? Score(LiveForecast? forecast, DateOnly date, double actual)
    {
        if (forecast is not { ModelVersion: { } version, FallbackReason: null })
        {
            return null;
        }

        var step = date.DayNumber - forecast.Start.DayNumber;
        if (step < 0 || step >= forecast.Mean.Length || step >= forecast.Quantiles.Length || forecast.Levels.Length == 0)
        {
            return null;
        }

        var quantiles = forecast.Quantiles[step];
        var pinball = 0.0;
        for (var k = 0; k < forecast.Levels.Length; k++)
        {
            pinball += ForecastMetrics.Pinball(actual, quantiles[k], forecast.Levels[k]);
        }

        return new VersionScore
        {
            Version = version,
            Pinball = pinball / forecast.Levels.Length,
            AbsoluteError = Math.Abs(ForecastMetrics.Median(forecast.Levels, quantiles) - actual),
            Step = step,
        };
    }

    /// <summary>The closed day scored with each of <paramref name="forecasts"/> that covers it (a version once); null when none does.</summary>
    public static ScoredDay? ScoreDay(LiveDay day, params LiveForecast?[] forecasts)
    {
        ArgumentNullException.ThrowIfNull(day);
        var scores = new List<VersionScore>();
        foreach (var forecast in forecasts)
        {
            if (Score(forecast, day.Date, day.Sales) is { } score && scores.TrueForAll(s => s.Version != score.Version))
            {
                scores.Add(score);
            }
        }

        return scores.Count == 0 ? null : new ScoredDay { Date = day.Date, Actual = day.Sales, Scores = [.. scores] };
    }

    /// <summary>Appends <paramref name="day"/> to the window (a day already in it is not scored again) and keeps its last <see cref="WindowDays"/> days.</summary>
    public static void Append(List<ScoredDay> window, ScoredDay day)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(day);
        if (window.Exists(d => d.Date == day.Date))
        {
            return;
        }

        window.Add(day);
        if (window.Count > WindowDays)
        {
            window.RemoveRange(0, window.Count - WindowDays);
        }
    }

    /// <summary>
    /// The SKU's comparison of <paramref name="active"/> with <paramref name="challenger"/> over the days of its window scored
    /// for both. <paramref name="salesHistory"/> are the units sold on each day before <paramref name="openDate"/>, oldest
    /// first; the MASE scale is the seasonal naive's in-sample error over those before the window's first day.
    /// </summary>
    public static ShadowSummary Summarize(
        string sku, string active, string challenger, IReadOnlyList<ScoredDay> window, IReadOnlyList<double> salesHistory, DateOnly openDate, int sequence)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(salesHistory);
        double activePinball = 0, challengerPinball = 0, activeError = 0, challengerError = 0;
        var days = 0;
        foreach (var day in window)
        {
            var a = Array.Find(day.Scores, s => s.Version == active);
            var c = Array.Find(day.Scores, s => s.Version == challenger);
            if (a is null || c is null)
            {
                continue;
            }

            days++;
            activePinball += a.Pinball;
            challengerPinball += c.Pinball;
            activeError += a.AbsoluteError;
            challengerError += c.AbsoluteError;
        }

        var scale = double.NaN;
        if (window.Count > 0)
        {
            var before = salesHistory.Count - (openDate.DayNumber - window[0].Date.DayNumber);
            if (before > MasePeriod)
            {
                var training = salesHistory.Take(before).ToArray();
                var s = ForecastMetrics.SeasonalNaiveScale(training, MasePeriod);
                scale = s > 0 ? s : double.NaN;
            }
        }

        return new ShadowSummary
        {
            Sku = sku,
            Active = active,
            Challenger = challenger,
            Days = days,
            ActivePinballSum = activePinball,
            ChallengerPinballSum = challengerPinball,
            ActiveAbsoluteErrorSum = activeError,
            ChallengerAbsoluteErrorSum = challengerError,
            Scale = scale,
            Sequence = sequence,
        };
    }

    /// <summary>
    /// Totals over SKUs' summaries of one pair: pinball = the sum of day losses over the SKU-days scored for both, divided by
    /// their number; MASE = the mean of the SKUs' MASE (SKUs without a scale left out for both versions alike).
    /// </summary>
    public static ShadowTotals Total(string active, string challenger, IEnumerable<ShadowSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var of = summaries.Where(s => s.Active == active && s.Challenger == challenger && s.Days > 0).ToList();
        var days = of.Sum(s => s.Days);
        var scaled = of.Where(s => s.Scale > 0).ToList();
        return new ShadowTotals
        {
            Active = active,
            Challenger = challenger,
            Skus = of.Count,
            Days = days,
            ActivePinball = days == 0 ? double.NaN : of.Sum(s => s.ActivePinballSum) / days,
            ChallengerPinball = days == 0 ? double.NaN : of.Sum(s => s.ChallengerPinballSum) / days,
            ActiveMase = scaled.Count == 0 ? double.NaN : scaled.Average(s => s.ActiveMase),
            ChallengerMase = scaled.Count == 0 ? double.NaN : scaled.Average(s => s.ChallengerMase),
            MaseSkus = scaled.Count,
            PerSku = [.. of.OrderBy(s => s.Sku, StringComparer.Ordinal)],
        };
    }
}

/// <summary>The shadow comparison of the active version and the challenger over every SKU (see <see cref="ShadowScoring.Total"/>).</summary>
public sealed record ShadowTotals
{
    public required string Active { get; init; }

    public required string Challenger { get; init; }

    /// <summary>SKUs with at least one day scored for both.</summary>
    public int Skus { get; init; }

    /// <summary>SKU-days scored for both.</summary>
    public int Days { get; init; }

    public double ActivePinball { get; init; } = double.NaN;

    public double ChallengerPinball { get; init; } = double.NaN;

    public double ActiveMase { get; init; } = double.NaN;

    public double ChallengerMase { get; init; } = double.NaN;

    /// <summary>SKUs whose MASE is defined (their sales before the window vary week on week).</summary>
    public int MaseSkus { get; init; }

    public IReadOnlyList<ShadowSummary> PerSku { get; init; } = [];
}
