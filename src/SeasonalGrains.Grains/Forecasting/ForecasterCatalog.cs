using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Forecasting;

namespace SeasonalGrains.Grains.Forecasting;

/// <summary>
/// The forecasters a replay's forecast policy may name after a colon, as in
/// <c>forecast-order-up-to:ets</c>: the statistical baselines (<see cref="BaselineForecasters"/>),
/// <c>oracle</c> (the true distribution of a generated dataset, from its truth.csv; also called
/// <c>perfect-foresight</c>) and <c>lstm</c> (a trained model folder named by the scenario).
/// </summary>
public static class ForecasterCatalog
{
    public const string Oracle = "oracle";

    /// <summary>Another name of <see cref="Oracle"/>.</summary>
    public const string PerfectForesight = "perfect-foresight";

    public const string Lstm = "lstm";

    private static readonly string[] BaselineNames = [.. BaselineForecasters.CreateAll().Select(f => f.Name)];

    /// <summary>Every name accepted, baselines first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. BaselineNames, Oracle, PerfectForesight, Lstm];

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The name the forecaster runs under: <c>perfect-foresight</c> becomes <c>oracle</c>; others stay.</summary>
    public static string Canonical(string name) => name == PerfectForesight ? Oracle : name;

    public static bool IsBaseline(string name) => BaselineNames.Contains(name, StringComparer.Ordinal);
}

/// <summary>
/// A policy name as written in a scenario or on the command line: a policy of the catalog,
/// optionally followed by <c>:forecaster</c> for the policies that order from a forecast
/// (<c>forecast-order-up-to:ets</c>), and, for the policies that can be tuned, the suffix
/// <c>-tuned</c> before the colon (<c>sS-tuned</c>, <c>forecast-lookahead-tuned:lstm</c>).
/// </summary>
/// <param name="Policy">The policy's catalog name.</param>
/// <param name="Forecaster">The forecaster after the colon (canonical name), or null.</param>
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
        var policy = colon < 0 ? text : text[..colon];
        var forecaster = colon < 0 ? null : text[(colon + 1)..];
        var tuned = false;
        if (!catalog.Contains(policy) && policy.EndsWith(TunedSuffix, StringComparison.Ordinal) && catalog.Contains(policy[..^TunedSuffix.Length]))
        {
            policy = policy[..^TunedSuffix.Length];
            tuned = true;
        }

        if (!catalog.Contains(policy))
        {
            error = $"unknown policy '{policy}' (known: {string.Join(", ", catalog.Names)}; forecast policies take ':forecaster', e.g. '{ForecastOrderUpToPolicy.PolicyName}:ets'; {string.Join(", ", Tunable)} may end in '{TunedSuffix}')";
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
                error = $"policy '{policy}' orders from a forecast: name the forecaster, as in '{policy}:ets' (forecasters: {string.Join(", ", ForecasterCatalog.Names)})";
                return null;
            }

            return new PolicyName(policy, null, tuned);
        }

        if (!needsOutlook)
        {
            error = $"policy '{policy}' does not use a forecast, so it takes no ':{forecaster}'";
            return null;
        }

        if (!ForecasterCatalog.IsKnown(forecaster))
        {
            error = $"unknown forecaster '{forecaster}' in '{text}' (known: {string.Join(", ", ForecasterCatalog.Names)})";
            return null;
        }

        return new PolicyName(policy, ForecasterCatalog.Canonical(forecaster), tuned);
    }

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="ArgumentException"/> with the reason.</summary>
    public static PolicyName Parse(string text, PolicyCatalog catalog) =>
        TryParse(text, catalog, out var error) ?? throw new ArgumentException(error, nameof(text));

    public override string ToString() =>
        Policy + (Tuned ? TunedSuffix : "") + (Forecaster is null ? "" : ForecasterSeparator + Forecaster);
}
