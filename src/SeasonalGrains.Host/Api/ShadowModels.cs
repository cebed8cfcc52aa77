using System.Text.Json.Serialization;
using SeasonalGrains.Grains.Live;

namespace SeasonalGrains.Host.Api;

/// <summary>One version's score of a closed day.</summary>
/// <param name="Step">Days between the forecast's first day and the scored day (0: made at the close before it).</param>
public sealed record VersionScoreResponse(string Version, double Pinball, double AbsoluteError, int Step);

/// <summary>A closed day and its realised sales, scored once per model version that forecast it.</summary>
public sealed record ScoredDayResponse(DateOnly Date, double Actual, IReadOnlyList<VersionScoreResponse> Scores);

/// <summary>
/// A SKU's shadow comparison: the challenger it shadow-forecasts with, its shadow forecast of the open day on, the scored
/// days (the last 28 closed days scored) and the two versions' pinball and MASE over the days scored for both.
/// </summary>
public sealed record SkuShadowResponse(
    string? Active,
    string? Challenger,
    int Days,
    double? ActivePinball,
    double? ChallengerPinball,
    double? ActiveMase,
    double? ChallengerMase,
    ForecastResponse? ChallengerForecast,
    IReadOnlyList<ScoredDayResponse> ScoredDays);

/// <summary>One SKU's figures in <see cref="ModelScoresResponse"/>.</summary>
public sealed record SkuScoreResponse(string Sku, int Days, double? ActivePinball, double? ChallengerPinball, double? ActiveMase, double? ChallengerMase);

/// <summary>
/// The shadow scores of the registry's active version and its challenger over every SKU: pinball = the sum of the day losses
/// over the SKU-days scored for both (each SKU's last 28 scored days), divided by their number; MASE = the mean of the SKUs'.
/// </summary>
public sealed record ModelScoresResponse(
    string? Active,
    string? Challenger,
    int WindowDays,
    int Skus,
    int Days,
    double? ActivePinball,
    double? ChallengerPinball,
    double? ActiveMase,
    double? ChallengerMase,
    int MaseSkus,
    string Verdict,
    IReadOnlyList<SkuScoreResponse> PerSku);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ModelPromoteRequest
{
    /// <summary>SKU-days scored for both versions the promotion needs (default 28).</summary>
    public int? MinDays { get; init; }

    /// <summary>Promote the challenger whatever the scores say.</summary>
    public bool? Force { get; init; }
}

/// <param name="Promoted">The version now active (the former challenger).</param>
/// <param name="Previous">The version active before, kept in the registry for a rollback.</param>
/// <param name="Verdict">The scores the decision was made on, in a sentence.</param>
public sealed record ModelPromoteResponse(string Promoted, string Previous, string Verdict, ModelScoresResponse Scores, ModelListResponse Models);

internal static class ShadowMapping
{
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    public static SkuShadowResponse? ToShadowResponse(this LiveSkuView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.ChallengerVersion is null && view.ScoredDays.Length == 0)
        {
            return null;
        }

        var s = view.Shadow;
        return new SkuShadowResponse(
            view.ModelVersion,
            view.ChallengerVersion,
            s?.Days ?? 0,
            Finite(s?.ActivePinball ?? double.NaN),
            Finite(s?.ChallengerPinball ?? double.NaN),
            Finite(s?.ActiveMase ?? double.NaN),
            Finite(s?.ChallengerMase ?? double.NaN),
            view.ChallengerForecast?.ToResponse(view.Definition.Sku),
            [.. view.ScoredDays.Select(d => new ScoredDayResponse(d.Date, d.Actual, [.. d.Scores.Select(v => new VersionScoreResponse(v.Version, v.Pinball, v.AbsoluteError, v.Step))]))]);
    }

    public static ModelScoresResponse ToResponse(this ShadowTotals? totals, string? active, string? challenger, string verdict) =>
        new(
            active,
            challenger,
            ShadowScoring.WindowDays,
            totals?.Skus ?? 0,
            totals?.Days ?? 0,
            Finite(totals?.ActivePinball ?? double.NaN),
            Finite(totals?.ChallengerPinball ?? double.NaN),
            Finite(totals?.ActiveMase ?? double.NaN),
            Finite(totals?.ChallengerMase ?? double.NaN),
            totals?.MaseSkus ?? 0,
            verdict,
            [.. (totals?.PerSku ?? []).Select(s => new SkuScoreResponse(s.Sku, s.Days, Finite(s.ActivePinball), Finite(s.ChallengerPinball), Finite(s.ActiveMase), Finite(s.ChallengerMase)))]);
}
