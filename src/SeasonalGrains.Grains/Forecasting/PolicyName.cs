using SeasonalGrains.Domain.Naming;
using SeasonalGrains.Forecasting;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>
/// A policy name as written in a scenario or on the command line: a policy of the catalog,
/// optionally followed by <c>:forecaster</c> for the policies that order from a forecast
/// (<c>forecast-order-up-to:ets</c>, a forecaster of <see cref="ForecasterRegistry"/> usable in a replay),
/// and, for the policies that can be tuned, the suffix <c>-tuned</c> before the colon (<c>sS-tuned</c>,
/// <c>forecast-lookahead-tuned:lstm</c>). Both names are read as <see cref="RegisteredNames"/> says and
/// kept in their registered spelling (<c>forecast-order-up-to:perfect-foresight</c> runs as <c>oracle</c>).
/// </summary>
/// <param name="Policy">The policy's catalog name.</param>
/// <param name="Forecaster">The forecaster after the colon (its registered name), or null.</param>
/// <param name="Tuned">Whether the name ends in <see cref="TunedSuffix"/>.</param>
public readonly record struct PolicyName(string Policy, string? Forecaster, bool Tuned = false)
{
    public const char ForecasterSeparator = ':';

    public const string TunedSuffix = "-tuned";

    /// <summary>The policy names that may carry <see cref="TunedSuffix"/> (those with a tuning grid).</summary>
    public static IReadOnlyList<string> Tunable { get; } =
        [MinMaxPolicy.PolicyName, BaseStockPolicy.PolicyName, RuleEnginePolicy.PolicyName, ForecastLookaheadPolicy.PolicyName, ForecastOrderUpToPolicy.PolicyName, ForecastSsPolicy.PolicyName];

    /// <summary>
    /// Splits and checks <paramref name="text"/> against <paramref name="catalog"/>; null with the
    /// reason in <paramref name="error"/> when it names no policy, a forecast policy without a known
    /// forecaster, a forecaster on a policy that does not use one, or a tuned policy that has no grid.
    /// </summary>
    public static PolicyName? TryParse(string text, PolicyCatalog catalog, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(catalog);
        error = "";
        var colon = text.IndexOf(ForecasterSeparator, StringComparison.Ordinal);
        var written = colon < 0 ? text : text[..colon];
        var forecaster = colon < 0 ? null : text[(colon + 1)..];
        var tuned = false;
        var policy = catalog.Resolve(written);
        if (policy is null && written.EndsWith(TunedSuffix, StringComparison.OrdinalIgnoreCase) && catalog.Resolve(written[..^TunedSuffix.Length]) is { } untuned)
        {
            policy = untuned;
            tuned = true;
        }

        if (policy is null)
        {
            error = $"unknown policy '{written}' (known: {string.Join(", ", catalog.Names)}; forecast policies take ':forecaster', e.g. '{ForecastOrderUpToPolicy.PolicyName}:ets'; {string.Join(", ", Tunable)} may end in '{TunedSuffix}')";
            return null;
        }

        var needsOutlook = ForecastPolicyCatalog.NeedsOutlook(policy);
        if (tuned && !Tunable.Contains(policy))
        {
            error = $"'{policy}' cannot be tuned; '{TunedSuffix}' is for {string.Join(", ", Tunable)}";
            return null;
        }

        if (forecaster is null)
        {
            if (needsOutlook)
            {
                error = $"policy '{policy}' orders from a forecast: name the forecaster, as in '{policy}:ets' (forecasters: {string.Join(", ", ForecasterRegistry.Default.Names(ForecasterUses.Replay))})";
                return null;
            }

            return new PolicyName(policy, null, tuned);
        }

        if (!needsOutlook)
        {
            error = $"policy '{policy}' does not use a forecast, so it takes no ':{forecaster}'";
            return null;
        }

        if (ForecasterRegistry.Default.TryResolve(forecaster, ForecasterUses.Replay, out error, where: text) is not { } entry)
        {
            return null;
        }

        return new PolicyName(policy, entry.Name, tuned);
    }

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="ArgumentException"/> with the reason.</summary>
    public static PolicyName Parse(string text, PolicyCatalog catalog) =>
        TryParse(text, catalog, out var error) ?? throw new ArgumentException(error, nameof(text));

    public override string ToString() =>
        Policy + (Tuned ? TunedSuffix : "") + (Forecaster is null ? "" : ForecasterSeparator + Forecaster);
}
