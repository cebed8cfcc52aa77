using SeasonalGrains.Abstractions.Live;
using SeasonalGrains.Grains.Live;
using SeasonalGrains.Grains.Live.Registry;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>How live SKUs score model versions on realised days, which version is the challenger, and when it is promoted.</summary>
public sealed class ShadowScoringTests
{
    private static readonly DateOnly Day0 = new(2025, 3, 1);
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    [Fact]
    public void A_forecast_that_is_exactly_the_realised_sales_scores_pinball_0_and_error_0()
    {
        var score = ShadowScoring.Score(Forecast("jackets@2", Day0, [5], [[5, 5, 5]]), Day0, 5);

        Assert.Equal(new VersionScore { Version = "jackets@2", Pinball = 0, AbsoluteError = 0, Step = 0 }, score);
    }

    [Fact]
    public void A_days_pinball_is_the_mean_over_the_levels_and_its_error_that_of_the_median()
    {
        // actual 5 against quantiles 2, 4, 6 at 0.1, 0.5, 0.9: 0.1 x 3 = 0.3, 0.5 x 1 = 0.5, (1 - 0.9) x 1 = 0.1; mean 0.9 / 3 = 0.3
        var forecast = Forecast("jackets@1", Day0, [4.5, 9], [[2, 4, 6], [1, 1, 1]]);
        var score = ShadowScoring.Score(forecast, Day0, 5)!;
        var later = ShadowScoring.Score(forecast, Day0.AddDays(1), 0)!;

        Assert.Equal(0.3, score.Pinball, 12);
        Assert.Equal(1, score.AbsoluteError); // |4 - 5|: the median's error, not the mean's (0.5)
        Assert.Equal(0.5, later.Pinball, 12); // step 1: quantiles 1, 1, 1 over actual 0: (0.9 + 0.5 + 0.1) / 3
        Assert.Equal((1.0, 1), (later.AbsoluteError, later.Step)); // the mean 9 would have erred by 9
    }

    [Fact]
    public void Without_a_median_level_the_error_is_that_of_the_median_interpolated_between_the_levels()
    {
        var forecast = new LiveForecast { Start = Day0, Forecaster = "lstm", ModelVersion = "jackets@1", Levels = [0.25, 0.75], Mean = [9], Quantiles = [[2, 6]] };

        Assert.Equal(3, ShadowScoring.Score(forecast, Day0, 7)!.AbsoluteError, 6); // median (2 + 6) / 2 = 4
    }

    [Fact]
    public void Only_model_forecasts_that_cover_the_day_are_scored_and_each_version_once()
    {
        var day = new LiveDay { Date = Day0, Sales = 3 };
        var active = Forecast("jackets@1", Day0, [3], [[3, 3, 3]]);
        var fallback = Forecast("jackets@2", Day0, [3], [[3, 3, 3]]) with { FallbackReason = "the SKU has 10 days of history" };
        var history = Forecast(null, Day0, [3], [[3, 3, 3]]);
        var before = Forecast("jackets@3", Day0.AddDays(1), [3], [[3, 3, 3]]);

        var scored = ShadowScoring.ScoreDay(day, active, fallback, history, before, active)!;

        Assert.Equal(["jackets@1"], scored.Scores.Select(s => s.Version));
        Assert.Null(ShadowScoring.ScoreDay(day, fallback, history, before, null));
    }

    [Fact]
    public void The_window_keeps_the_last_28_scored_days_and_a_day_is_never_added_twice()
    {
        var window = new List<ScoredDay>();
        for (var d = 0; d < 30; d++)
        {
            ShadowScoring.Append(window, new ScoredDay { Date = Day0.AddDays(d), Actual = d });
        }

        ShadowScoring.Append(window, new ScoredDay { Date = Day0.AddDays(29), Actual = 99 });

        Assert.Equal(28, window.Count);
        Assert.Equal((Day0.AddDays(2), Day0.AddDays(29), 29.0), (window[0].Date, window[^1].Date, window[^1].Actual));
    }

    [Fact]
    public void A_skus_summary_counts_the_days_scored_for_both_versions_and_scales_MASE_by_the_seasonal_naive_before_them()
    {
        // sales before the window: 1..7 then 3, 2, 5: the seasonal naive (period 7) misses by 2, 0, 2: scale 4/3
        double[] sales = [1, 2, 3, 4, 5, 6, 7, 3, 2, 5, /* window */ 4, 6, 8];
        var open = Day0.AddDays(13);
        var window = new List<ScoredDay>
        {
            Scored(Day0.AddDays(10), ("a@1", 0.5, 1)),                 // the challenger had not forecast yet: left out
            Scored(Day0.AddDays(11), ("a@1", 1.0, 1), ("a@2", 0.2, 2)),
            Scored(Day0.AddDays(12), ("a@1", 2.0, 3), ("a@2", 0.4, 0)),
        };

        var summary = ShadowScoring.Summarize("S", "a@1", "a@2", window, sales, open, sequence: 3);

        Assert.Equal((2, 3.0, 4.0, 2.0), (summary.Days, summary.ActivePinballSum, summary.ActiveAbsoluteErrorSum, summary.ChallengerAbsoluteErrorSum));
        Assert.Equal(0.6, summary.ChallengerPinballSum, 12);
        Assert.Equal(4.0 / 3, summary.Scale, 12);
        Assert.Equal((1.5, 0.3), (summary.ActivePinball, Math.Round(summary.ChallengerPinball, 12)));
        Assert.Equal(2 / (4.0 / 3), summary.ActiveMase, 12); // MAE 4 / 2 days = 2
        Assert.Equal(1 / (4.0 / 3), summary.ChallengerMase, 12);
    }

    [Fact]
    public void Totals_pool_the_SKU_days_for_pinball_and_average_the_SKUs_MASE()
    {
        ShadowSummary[] summaries =
        [
            new() { Sku = "A", Active = "a@1", Challenger = "a@2", Days = 3, ActivePinballSum = 3, ChallengerPinballSum = 1.5, ActiveAbsoluteErrorSum = 6, ChallengerAbsoluteErrorSum = 3, Scale = 2 },
            new() { Sku = "B", Active = "a@1", Challenger = "a@2", Days = 1, ActivePinballSum = 1, ChallengerPinballSum = 2.5, ActiveAbsoluteErrorSum = 1, ChallengerAbsoluteErrorSum = 1 },
            new() { Sku = "C", Active = "a@0", Challenger = "a@2", Days = 5, ActivePinballSum = 50, ChallengerPinballSum = 50 }, // another pair
        ];

        var totals = ShadowScoring.Total("a@1", "a@2", summaries);

        Assert.Equal((2, 4), (totals.Skus, totals.Days));
        Assert.Equal((1.0, 1.0), (totals.ActivePinball, totals.ChallengerPinball)); // (3 + 1) / 4 and (1.5 + 2.5) / 4
        Assert.Equal((1.0, 0.5, 1), (totals.ActiveMase, totals.ChallengerMase, totals.MaseSkus)); // B has no scale: A's 6/3/2 and 3/3/2
    }

    [Fact]
    public void The_challenger_is_the_version_added_last_after_the_active_one_that_was_never_activated()
    {
        var book = new ModelRegistryBook([], []);
        var at = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        book.Add(Version("jackets", at), at);
        Assert.Null(book.Challenger); // the first version is active

        book.Add(Version("jackets", at.AddMinutes(1)), at);
        book.Add(Version("jackets", at.AddMinutes(2)), at);
        Assert.Equal("jackets@3", book.Challenger!.Id.ToString());

        book.Activate(new ModelVersionId("jackets", 3), at);
        Assert.Null(book.Challenger); // jackets@2 was added before the active jackets@3

        book.Rollback(at);
        Assert.Equal("jackets@2", book.Challenger!.Id.ToString()); // jackets@3 was active once: it is no challenger again
        var promoted = book.Promote(new ModelVersionId("jackets", 2), at);
        Assert.Equal(("jackets@2", "jackets@2"), (promoted.Id.ToString(), book.Active.ToString()));
        Assert.Null(book.Challenger);
        var stale = Assert.Throws<ModelRegistryException>(() => book.Promote(new ModelVersionId("jackets", 2), at));
        Assert.Equal(ModelRegistryFailure.NoChallenger, stale.Failure);
    }

    [Fact]
    public void A_promotion_needs_a_challenger_enough_scored_days_and_a_lower_total_pinball_unless_forced()
    {
        var at = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var book = new ModelRegistryBook([], []);
        book.Add(Version("jackets", at), at);
        var none = Assert.Throws<ModelRegistryException>(() => ModelPromotion.Decide(book, null, 28, force: true));
        book.Add(Version("jackets", at.AddMinutes(1)), at);
        var better = new ShadowTotals { Active = "jackets@1", Challenger = "jackets@2", Skus = 2, Days = 30, ActivePinball = 1.5, ChallengerPinball = 1.2, ActiveMase = 0.95, ChallengerMase = 0.81 };
        var worse = better with { ChallengerPinball = 1.6 };

        var tooFew = Assert.Throws<ModelRegistryException>(() => ModelPromotion.Decide(book, better, 31, force: false));
        var notBetter = Assert.Throws<ModelRegistryException>(() => ModelPromotion.Decide(book, worse, 28, force: false));
        var (challenger, verdict) = ModelPromotion.Decide(book, better, 28, force: false);
        var (forced, _) = ModelPromotion.Decide(book, worse, 28, force: true);

        Assert.Equal("there is no challenger to jackets@1: add a version (`seasonal models add --path DIR`) and let live SKUs shadow-forecast with it.", none.Message);
        Assert.Equal(ModelRegistryFailure.NotBetter, tooFew.Failure);
        Assert.StartsWith("jackets@2 has 30 SKU-days scored beside jackets@1; a promotion needs at least 31.", tooFew.Message, StringComparison.Ordinal);
        Assert.StartsWith("jackets@2 is not better than jackets@1. jackets@2 pinball 1.6000 against jackets@1 1.5000 (0.1000 higher, 6.7%)", notBetter.Message, StringComparison.Ordinal);
        Assert.Equal("jackets@2", challenger.Id.ToString());
        Assert.Equal("jackets@2 pinball 1.2000 against jackets@1 1.5000 (0.3000 lower, 20.0%) over 30 SKU-days of 2 SKU(s); MASE 0.8100 against 0.9500.", verdict);
        Assert.Equal("jackets@2", forced.Id.ToString());
    }

    private static LiveForecast Forecast(string? version, DateOnly start, double[] mean, double[][] quantiles) =>
        new() { Start = start, Forecaster = "lstm", ModelVersion = version, Levels = Levels, Mean = mean, Quantiles = quantiles };

    private static ScoredDay Scored(DateOnly date, params (string Version, double Pinball, double Error)[] scores) =>
        new() { Date = date, Scores = [.. scores.Select(s => new VersionScore { Version = s.Version, Pinball = s.Pinball, AbsoluteError = s.Error })] };

    private static ModelVersionInfo Version(string name, DateTimeOffset addedAt) => new()
    {
        Name = name,
        Version = 0,
        Fingerprint = addedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        AddedAt = addedAt,
        TrainedAt = addedAt,
        DatasetName = "d",
        DatasetStart = Day0,
        TrainEndDay = 10,
        ValidationStartDay = 8,
        TrainingDataSha256 = "",
    };
}
