namespace SeasonalGrains.Simulation.Compare;

/// <summary>One point of a tuning grid for one SKU: its label (the same for every SKU) and the explicit parameters it gives the policy.</summary>
public sealed record TuningCandidate(string Label, IReadOnlyDictionary<string, double> Parameters);

/// <summary>
/// The grid a classical policy is tuned over: for one SKU, the explicit parameter sets to try,
/// computed from the SKU's inputs (demand statistics of the training days, lead time, review period,
/// costs). Every SKU gets the same number of points with the same labels, in the same order. One
/// class per policy; the grid of a policy is found by its <see cref="Policy"/> name.
/// </summary>
public interface ITuningGrid
{
    /// <summary>The catalog name of the policy tuned.</summary>
    string Policy { get; }

    /// <summary>Exactly how the grid is built (for reports).</summary>
    string Description { get; }

    IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs);
}

/// <summary>The tuning grids, by policy name.</summary>
public static class TuningGrids
{
    public static IReadOnlyList<ITuningGrid> All { get; } =
        [new MinMaxTuningGrid(), new BaseStockTuningGrid(), new RuleTuningGrid(), new LookaheadTuningGrid(), new ForecastOrderUpToTuningGrid(), new ForecastSsTuningGrid()];

    public static ITuningGrid For(string policy) =>
        All.FirstOrDefault(g => g.Policy == policy)
            ?? throw new ArgumentException($"Policy '{policy}' has no tuning grid (tunable: {string.Join(", ", All.Select(g => g.Policy))}).", nameof(policy));

    internal static string Format(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The values as a set for a description: <c>{0.5, 1, 2}</c>.</summary>
    internal static string Set(IEnumerable<double> values) => $"{{{string.Join(", ", values.Select(Format))}}}";

    /// <summary>
    /// Every pair of an outer and an inner value, outer first, labelled <c>a=1 b=2</c> with the given names, with the
    /// parameters <paramref name="parameters"/> makes of the pair.
    /// </summary>
    internal static IReadOnlyList<TuningCandidate> Pairs(
        string outerName,
        IReadOnlyList<double> outer,
        string innerName,
        IReadOnlyList<double> inner,
        Func<double, double, Dictionary<string, double>> parameters) =>
        [.. outer.SelectMany(a => inner.Select(b => new TuningCandidate($"{outerName}={Format(a)} {innerName}={Format(b)}", parameters(a, b))))];
}

/// <summary>
/// (s,S): s = d (L+R) + z sd sqrt(L+R) and S = s + m EOQ, for safety factors z in {0, 0.5, ..., 3}
/// and order-size multiples m in {0.5, 1, 2, 4}: 28 points, z outer, m inner.
/// </summary>
public sealed class MinMaxTuningGrid(IReadOnlyList<double>? safetyFactors = null, IReadOnlyList<double>? eoqMultiples = null) : ITuningGrid
{
    public static IReadOnlyList<double> DefaultSafetyFactors { get; } = [0, 0.5, 1, 1.5, 2, 2.5, 3];

    public static IReadOnlyList<double> DefaultEoqMultiples { get; } = [0.5, 1, 2, 4];

    public IReadOnlyList<double> SafetyFactors { get; } = safetyFactors ?? DefaultSafetyFactors;

    public IReadOnlyList<double> EoqMultiples { get; } = eoqMultiples ?? DefaultEoqMultiples;

    public string Policy => MinMaxPolicy.PolicyName;

    public string Description =>
        $"sS: s = d (L+R) + z sd sqrt(L+R), S = s + m EOQ (EOQ = sqrt(2 K d / h), at least 1), for z in {TuningGrids.Set(SafetyFactors)} " +
        $"and m in {TuningGrids.Set(EoqMultiples)} ({SafetyFactors.Count * EoqMultiples.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs)
    {
        var eoq = inputs.EconomicOrderQuantity();
        return TuningGrids.Pairs("z", SafetyFactors, "m", EoqMultiples, (z, m) =>
        {
            var s = inputs.ProtectionLevel(inputs.ProtectionDays, z);
            return new Dictionary<string, double>(StringComparer.Ordinal) { ["s"] = s, ["S"] = s + (m * eoq) };
        });
    }
}

/// <summary>Base-stock: S = d (L+R) + z sd sqrt(L+R) for z in {0, 0.25, ..., 3} (13 points).</summary>
public sealed class BaseStockTuningGrid : ITuningGrid
{
    public static IReadOnlyList<double> SafetyFactors { get; } = [.. Enumerable.Range(0, 13).Select(i => i * 0.25)];

    public string Policy => BaseStockPolicy.PolicyName;

    public string Description =>
        $"base-stock: S = d (L+R) + z sd sqrt(L+R) for z in {TuningGrids.Set(SafetyFactors)} ({SafetyFactors.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs)
    {
        var n = inputs.ProtectionDays;
        return SafetyFactors
            .Select(z => new TuningCandidate(
                $"z={TuningGrids.Format(z)}",
                new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    ["S"] = inputs.ProtectionLevel(n, z),
                }))
            .ToList();
    }
}

/// <summary>
/// Rule (min-max with the pre-holiday uplift at its defaults): minDays = f (L+R) for f in
/// {0.5, 1, 1.5, 2} and maxDays = minDays + e for e in {7, 14, 28} days of mean demand (12 points, f outer).
/// </summary>
public sealed class RuleTuningGrid : ITuningGrid
{
    public static IReadOnlyList<double> CoverFactors { get; } = [0.5, 1, 1.5, 2];

    public static IReadOnlyList<double> ExtraDays { get; } = [7, 14, 28];

    public string Policy => RuleEnginePolicy.PolicyName;

    public string Description =>
        $"rule: minDays = f (L+R) for f in {TuningGrids.Set(CoverFactors)}, maxDays = minDays + e for e in " +
        $"{TuningGrids.Set(ExtraDays)} days of mean demand; uplift and upliftDays at their defaults ({CoverFactors.Count * ExtraDays.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs)
    {
        var n = inputs.ProtectionDays;
        return TuningGrids.Pairs(
            "f", CoverFactors, "e", ExtraDays, (f, e) => new Dictionary<string, double>(StringComparer.Ordinal) { ["minDays"] = f * n, ["maxDays"] = (f * n) + e });
    }
}

/// <summary>
/// forecast-lookahead: the shortage multiplier m in {0.5, 1, 2} (how much the rule weighs a lost or backordered unit) and
/// the spread s in {0.8, 1, 1.25, 1.5} of the forecast's paths around their median (s &gt; 1 widens a band that was too
/// narrow on the training days): 12 points, m outer.
/// </summary>
public sealed class LookaheadTuningGrid : ITuningGrid
{
    public static IReadOnlyList<double> Multipliers { get; } = [0.5, 1, 2];

    public static IReadOnlyList<double> Spreads { get; } = [0.8, 1, 1.25, 1.5];

    public string Policy => ForecastLookaheadPolicy.PolicyName;

    public string Description =>
        $"forecast-lookahead: shortageMultiplier in {TuningGrids.Set(Multipliers)} and spread in " +
        $"{TuningGrids.Set(Spreads)} ({Multipliers.Count * Spreads.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs) => TuningGrids.Pairs(
        "m", Multipliers, "s", Spreads, (m, s) => new Dictionary<string, double>(StringComparer.Ordinal) { ["shortageMultiplier"] = m, ["spread"] = s });
}

/// <summary>The quantile levels a forecast policy's service level is tuned over: 0.8, 0.9, 0.95, 0.98, 0.99, 0.995.</summary>
public static class ForecastLevelGrid
{
    public static IReadOnlyList<double> Levels { get; } = [0.8, 0.9, 0.95, 0.98, 0.99, 0.995];
}

/// <summary>forecast-order-up-to: q in <see cref="ForecastLevelGrid.Levels"/> (6 points).</summary>
public sealed class ForecastOrderUpToTuningGrid : ITuningGrid
{
    public string Policy => ForecastOrderUpToPolicy.PolicyName;

    public string Description => $"forecast-order-up-to: q in {TuningGrids.Set(ForecastLevelGrid.Levels)} ({ForecastLevelGrid.Levels.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs) =>
        [.. ForecastLevelGrid.Levels.Select(q => new TuningCandidate($"q={TuningGrids.Format(q)}", new Dictionary<string, double>(StringComparer.Ordinal) { ["q"] = q }))];
}

/// <summary>forecast-sS: q in <see cref="ForecastLevelGrid.Levels"/> and eoqMultiple m in {0.5, 1, 2} (18 points, q outer).</summary>
public sealed class ForecastSsTuningGrid : ITuningGrid
{
    public static IReadOnlyList<double> EoqMultiples { get; } = [0.5, 1, 2];

    public string Policy => ForecastSsPolicy.PolicyName;

    public string Description =>
        $"forecast-sS: q in {TuningGrids.Set(ForecastLevelGrid.Levels)} and eoqMultiple in " +
        $"{TuningGrids.Set(EoqMultiples)} ({ForecastLevelGrid.Levels.Count * EoqMultiples.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs) => TuningGrids.Pairs(
        "q", ForecastLevelGrid.Levels, "m", EoqMultiples, (q, m) => new Dictionary<string, double>(StringComparer.Ordinal) { ["q"] = q, ["eoqMultiple"] = m });
}
