using System.Globalization;
using SeasonalGrains.Domain.Policies;

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
        $"sS: s = d (L+R) + z sd sqrt(L+R), S = s + m EOQ (EOQ = sqrt(2 K d / h), at least 1), for z in {{{string.Join(", ", SafetyFactors.Select(TuningGrids.Format))}}} " +
        $"and m in {{{string.Join(", ", EoqMultiples.Select(TuningGrids.Format))}}} ({SafetyFactors.Count * EoqMultiples.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var n = inputs.Terms.LeadTimeDays + inputs.ReviewPeriodDays;
        var eoq = inputs.EconomicOrderQuantity();
        var list = new List<TuningCandidate>();
        foreach (var z in SafetyFactors)
        {
            var s = (inputs.History.Mean * n) + (z * inputs.History.StandardDeviation * Math.Sqrt(n));
            foreach (var m in EoqMultiples)
            {
                list.Add(new TuningCandidate(
                    $"z={TuningGrids.Format(z)} m={TuningGrids.Format(m)}",
                    new Dictionary<string, double>(StringComparer.Ordinal) { ["s"] = s, ["S"] = s + (m * eoq) }));
            }
        }

        return list;
    }
}

/// <summary>Base-stock: S = d (L+R) + z sd sqrt(L+R) for z in {0, 0.25, ..., 3} (13 points).</summary>
public sealed class BaseStockTuningGrid : ITuningGrid
{
    public static IReadOnlyList<double> SafetyFactors { get; } = [.. Enumerable.Range(0, 13).Select(i => i * 0.25)];

    public string Policy => BaseStockPolicy.PolicyName;

    public string Description =>
        $"base-stock: S = d (L+R) + z sd sqrt(L+R) for z in {{{string.Join(", ", SafetyFactors.Select(TuningGrids.Format))}}} ({SafetyFactors.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var n = inputs.Terms.LeadTimeDays + inputs.ReviewPeriodDays;
        return SafetyFactors
            .Select(z => new TuningCandidate(
                $"z={TuningGrids.Format(z)}",
                new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    ["S"] = (inputs.History.Mean * n) + (z * inputs.History.StandardDeviation * Math.Sqrt(n)),
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
        $"rule: minDays = f (L+R) for f in {{{string.Join(", ", CoverFactors.Select(TuningGrids.Format))}}}, maxDays = minDays + e for e in " +
        $"{{{string.Join(", ", ExtraDays.Select(TuningGrids.Format))}}} days of mean demand; uplift and upliftDays at their defaults ({CoverFactors.Count * ExtraDays.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var n = inputs.Terms.LeadTimeDays + inputs.ReviewPeriodDays;
        var list = new List<TuningCandidate>();
        foreach (var f in CoverFactors)
        {
            foreach (var e in ExtraDays)
            {
                list.Add(new TuningCandidate(
                    $"f={TuningGrids.Format(f)} e={TuningGrids.Format(e)}",
                    new Dictionary<string, double>(StringComparer.Ordinal) { ["minDays"] = f * n, ["maxDays"] = (f * n) + e }));
            }
        }

        return list;
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
        $"forecast-lookahead: shortageMultiplier in {{{string.Join(", ", Multipliers.Select(TuningGrids.Format))}}} and spread in " +
        $"{{{string.Join(", ", Spreads.Select(TuningGrids.Format))}}} ({Multipliers.Count * Spreads.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs) =>
        [.. Multipliers.SelectMany(m => Spreads.Select(s => new TuningCandidate(
            $"m={TuningGrids.Format(m)} s={TuningGrids.Format(s)}",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["shortageMultiplier"] = m, ["spread"] = s })))];
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

    public string Description => $"forecast-order-up-to: q in {{{string.Join(", ", ForecastLevelGrid.Levels.Select(TuningGrids.Format))}}} ({ForecastLevelGrid.Levels.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs) =>
        [.. ForecastLevelGrid.Levels.Select(q => new TuningCandidate($"q={TuningGrids.Format(q)}", new Dictionary<string, double>(StringComparer.Ordinal) { ["q"] = q }))];
}

/// <summary>forecast-sS: q in <see cref="ForecastLevelGrid.Levels"/> and eoqMultiple m in {0.5, 1, 2} (18 points, q outer).</summary>
public sealed class ForecastSsTuningGrid : ITuningGrid
{
    public static IReadOnlyList<double> EoqMultiples { get; } = [0.5, 1, 2];

    public string Policy => ForecastSsPolicy.PolicyName;

    public string Description =>
        $"forecast-sS: q in {{{string.Join(", ", ForecastLevelGrid.Levels.Select(TuningGrids.Format))}}} and eoqMultiple in " +
        $"{{{string.Join(", ", EoqMultiples.Select(TuningGrids.Format))}}} ({ForecastLevelGrid.Levels.Count * EoqMultiples.Count} points)";

    public IReadOnlyList<TuningCandidate> Candidates(PolicyInputs inputs) =>
        [.. ForecastLevelGrid.Levels.SelectMany(q => EoqMultiples.Select(m => new TuningCandidate(
            $"q={TuningGrids.Format(q)} m={TuningGrids.Format(m)}",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["q"] = q, ["eoqMultiple"] = m })))];
}
