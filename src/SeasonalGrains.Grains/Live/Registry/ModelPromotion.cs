using System.Globalization;

namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>
/// The promotion rule, shared by <c>seasonal models promote</c> and <c>POST /api/v1/models/promote</c>: the challenger
/// (<see cref="ModelRegistryBook.Challenger"/>) becomes active when, over the SKU-days scored for both it and the active
/// version (at least <see cref="DefaultMinDays"/> unless told otherwise), its total pinball loss is lower than the active
/// version's. <c>force</c> promotes it whatever the scores say (a challenger is still needed).
/// </summary>
public static class ModelPromotion
{
    /// <summary>SKU-days scored for both versions a promotion needs by default: one SKU's whole window.</summary>
    public const int DefaultMinDays = ShadowScoring.WindowDays;

    /// <summary>
    /// Whether the challenger of <paramref name="book"/> may be promoted on <paramref name="totals"/> (the scores of the pair,
    /// null when none were found); a refusal is a <see cref="ModelRegistryException"/> (<see cref="ModelRegistryFailure.NoChallenger"/>
    /// or <see cref="ModelRegistryFailure.NotBetter"/>) saying why. Returns the challenger and a sentence on the scores.
    /// </summary>
    public static (ModelVersionInfo Challenger, string Verdict) Decide(ModelRegistryBook book, ShadowTotals? totals, int minDays, bool force)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentOutOfRangeException.ThrowIfNegative(minDays);
        if (book.Active is not { } active)
        {
            throw new ModelRegistryException(ModelRegistryFailure.NoChallenger, "no version is active, so there is nothing to promote over: activate one with `seasonal models activate NAME@VERSION`.");
        }

        if (book.Challenger is not { } challenger)
        {
            throw new ModelRegistryException(
                ModelRegistryFailure.NoChallenger,
                $"there is no challenger to {active}: add a version (`seasonal models add --path DIR`) and let live SKUs shadow-forecast with it.");
        }

        var scores = totals is { Days: > 0 } t && t.Active == active.ToString() && t.Challenger == challenger.Id.ToString() ? t : null;
        var verdict = Describe(active.ToString(), challenger.Id.ToString(), scores);
        if (force)
        {
            return (challenger, verdict + " Promoted with --force.");
        }

        var days = scores?.Days ?? 0;
        if (days < minDays)
        {
            throw new ModelRegistryException(
                ModelRegistryFailure.NotBetter,
                string.Create(CultureInfo.InvariantCulture, $"{challenger.Id} has {days} SKU-days scored beside {active}; a promotion needs at least {minDays}. {verdict} Close more days, or promote with --force (force: true)."));
        }

        if (!(scores!.ChallengerPinball < scores.ActivePinball))
        {
            throw new ModelRegistryException(ModelRegistryFailure.NotBetter, $"{challenger.Id} is not better than {active}. {verdict} Nothing was promoted.");
        }

        return (challenger, verdict);
    }

    /// <summary>"jackets@2 pinball 1.2000 against jackets@1 1.5000 (0.3000 lower, 20.0%) over 56 SKU-days of 2 SKUs; MASE 0.81 against 0.95."</summary>
    public static string Describe(string active, string challenger, ShadowTotals? scores)
    {
        if (scores is not { Days: > 0 })
        {
            return $"No day is scored for both {challenger} and {active} yet.";
        }

        var difference = scores.ActivePinball - scores.ChallengerPinball;
        var relative = scores.ActivePinball > 0 ? difference / scores.ActivePinball : double.NaN;
        var direction = difference >= 0 ? "lower" : "higher";
        var mase = double.IsNaN(scores.ChallengerMase) ? "MASE undefined (no SKU has a scale)" : $"MASE {scores.ChallengerMase:0.0000} against {scores.ActiveMase:0.0000}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{challenger} pinball {scores.ChallengerPinball:0.0000} against {active} {scores.ActivePinball:0.0000} ({Math.Abs(difference):0.0000} {direction}{(double.IsNaN(relative) ? "" : $", {Math.Abs(relative):0.0%}")}) over {scores.Days} SKU-days of {scores.Skus} SKU(s); {mase}.");
    }
}
