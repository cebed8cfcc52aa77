using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SeasonalGrains.Forecasting.Metrics;

namespace SeasonalGrains.Forecasting.Ensemble;

/// <summary>
/// Chooses, per SKU and origin, one of its members or a blend of members by their pinball loss on validation windows
/// that end before the origin, and returns that member's forecast (mean, quantiles and, where the member has them,
/// interval quantiles) or the blend's weighted mean of its members' forecasts, so its quantiles are as ordered as the
/// members'.
/// </summary>
/// <remarks>
/// <para>
/// Validation: with horizon H and S = max(H, StrideDays), the windows start at the latest ceil(ValidationDays / S)
/// multiples v of S (counted from the dataset's first day) with v + H &lt;= origin and v &gt;= MinHistoryDays. At each v every member forecasts
/// the SKUs from v (reading days before v only) and is scored on days v..v+H-1, all before the origin, by the mean
/// pinball loss over those days and the request's levels (<see cref="ForecastMetrics.Pinball"/>). The windows lie on a
/// fixed grid, so successive origins share them; each window's losses are computed once per dataset and cached.
/// A member fitted once on a range of days (<see cref="EnsembleMember.FittedBefore"/>: the LSTM, on the days before
/// its held-out validation range) is scored only on windows starting after the days it was fitted on; all members are
/// compared on the same windows, and when no window suits every member, those fitted once are left out.
/// </para>
/// <para>
/// Candidates: each member alone, and blends of the first <see cref="EnsembleOptions.BlendMembers"/> members compared
/// (each pair at weights 3/4, 1/2, 1/4; all of them at equal weights): per horizon day and level the weighted mean of
/// the members' quantiles (Vincentization), scored on the same windows from the same member forecasts.
/// </para>
/// <para>
/// Choice: for SKU s and candidate m, L(s, m) is its mean loss over the windows, and R(m) the mean over SKUs of
/// L(s, m) / min over m' of L(s, m') (1 = the best candidate of every SKU; SKUs where that minimum is 0 left out, n
/// SKUs counted). The default member d is the first member fitted at each origin (ets in the registered ensemble).
/// The pooled member g is the member alone with the lowest R if R(g) &lt; (1 - Margin / sqrt(n)) R(d), else d; the
/// blend b with the lowest R replaces it if R(b) &lt; (1 - Margin / sqrt(n)) R(g) and b's loss summed over the SKUs is
/// below g's in every window. SKU s takes its own best member
/// alone c if L(s, c) &lt; (1 - Margin) L(s, g), else g. So a SKU leaves the pooled member, and the
/// pool the default, only on clear evidence, and the pool's margin shrinks as the number of SKUs it is measured on
/// grows: with one SKU a member must beat the default by Margin, with 100 by a tenth of it. Ties go to the member
/// listed first. Without any validation window (an origin too early) every SKU takes d.
/// </para>
/// </remarks>
public sealed class EnsembleForecaster : IForecaster
{
    public const string ForecasterName = "ensemble";

    /// <summary>The classical members of the registered ensemble, in order (the LSTM goes first when there is a model).</summary>
    public static readonly IReadOnlyList<string> ClassicalMembers = ["ets", "croston", "seasonal-naive", "seasonal-naive-yearly"];

    private readonly EnsembleMember[] _members;
    private readonly ConditionalWeakTable<Dataset, ConcurrentDictionary<WindowKey, Lazy<double[][]>>> _losses = [];
    private readonly ConcurrentDictionary<(int Sku, int Origin), EnsembleChoice> _choices = new();

    public EnsembleForecaster(IEnumerable<EnsembleMember> members, EnsembleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        _members = [.. members];
        Options = options ?? new EnsembleOptions();
        Options.Validate();
        if (_members.Length == 0)
        {
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        }

        if (_members.All(m => m.FittedBefore is not null))
        {
            throw new ArgumentException("An ensemble needs at least one member fitted at each origin (a classical forecaster), to fall back on.", nameof(members));
        }

        var repeated = _members.GroupBy(m => m.Forecaster.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            throw new ArgumentException($"Ensemble members must differ; given more than once: {string.Join(", ", repeated)}.", nameof(members));
        }

        MemberNames = [.. _members.Select(m => m.Forecaster.Name)];
    }

    public string Name => ForecasterName;

    public EnsembleOptions Options { get; }

    public IReadOnlyList<EnsembleMember> Members => _members;

    /// <summary>The members' names, in member order (the order of <see cref="EnsembleChoice.Losses"/>).</summary>
    public IReadOnlyList<string> MemberNames { get; }

    /// <summary>Every choice made so far, ordered by origin and SKU.</summary>
    public IReadOnlyList<EnsembleChoice> Choices() =>
        [.. _choices.Values.OrderBy(c => c.Origin).ThenBy(c => c.SkuIndex)];

    /// <summary>The validation window starts for an origin and horizon (ascending), before members' own limits.</summary>
    public IReadOnlyList<int> ValidationOrigins(int origin, int horizon)
    {
        var stride = Math.Max(horizon, Options.StrideDays);
        var count = (Options.ValidationDays + stride - 1) / stride;
        var latest = (origin - horizon) / stride * stride;
        var starts = new List<int>();
        for (var j = count - 1; j >= 0; j--)
        {
            var v = latest - (j * stride);
            if (v >= Options.MinHistoryDays && v >= 1 && v + horizon <= origin)
            {
                starts.Add(v);
            }
        }

        return starts;
    }

    public IReadOnlyList<SkuForecast> Forecast(ForecastRequest request)
    {
        ForecastRequestChecks.Validate(request, Name);
        var targets = request.Targets.ToArray();
        var (active, windows) = Validation(request.Dataset, request.Origin, request.Horizon);
        var candidates = Candidates(active);
        var (losses, byWindow) = MeanLosses(request, targets, active, candidates, windows);
        var chosen = Choose(targets.Length, active, candidates, losses, byWindow);

        // each member forecasts once, for every SKU whose choice reads it
        var readers = new Dictionary<int, List<int>>();
        for (var i = 0; i < targets.Length; i++)
        {
            foreach (var (member, _) in candidates[chosen[i]].Parts)
            {
                if (!readers.TryGetValue(member, out var list))
                {
                    readers[member] = list = [];
                }

                list.Add(targets[i]);
            }
        }

        var answers = new Dictionary<int, Dictionary<int, SkuForecast>>();
        foreach (var (member, skus) in readers.OrderBy(r => r.Key))
        {
            answers[member] = _members[member].Forecaster.Forecast(request with { SkuIndices = skus }).ToDictionary(f => f.SkuIndex);
        }

        var forecasts = new SkuForecast[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            var candidate = candidates[chosen[i]];
            var parts = candidate.Parts.Select(p => answers[p.Member].TryGetValue(targets[i], out var f)
                ? (Forecast: f, p.Weight)
                : throw new InvalidOperationException($"{Name}: member {_members[p.Member].Forecaster.Name} gave no forecast for SKU index {targets[i]}.")).ToArray();
            forecasts[i] = parts.Length == 1 ? parts[0].Forecast : Blend(parts);
        }

        for (var i = 0; i < targets.Length; i++)
        {
            // the members alone are the first candidates, in active order
            var row = new double[_members.Length];
            Array.Fill(row, double.NaN);
            for (var c = 0; c < active.Length; c++)
            {
                row[active[c]] = losses[c][i];
            }

            _choices[(targets[i], request.Origin)] = new EnsembleChoice(targets[i], request.Origin, candidates[chosen[i]].Name, row, windows.Count)
            {
                Loss = windows.Count > 0 ? losses[chosen[i]][i] : double.NaN,
            };
        }

        return forecasts;
    }

    /// <summary>
    /// The blend of members' forecasts of one SKU: per horizon day and level the weighted mean of their quantiles
    /// (so the blend's quantiles are ordered wherever the members' are), of their means, and of their interval
    /// quantiles when every member has them.
    /// </summary>
    private static SkuForecast Blend(IReadOnlyList<(SkuForecast Forecast, double Weight)> parts)
    {
        var first = parts[0].Forecast;
        var horizon = first.Mean.Length;
        var mean = new double[horizon];
        var quantiles = new double[horizon][];
        var sums = parts.All(p => p.Forecast.IntervalQuantiles is not null) ? new double[horizon][] : null;
        for (var h = 0; h < horizon; h++)
        {
            quantiles[h] = new double[first.Quantiles[h].Length];
            if (sums is not null)
            {
                sums[h] = new double[first.IntervalQuantiles![h].Length];
            }

            foreach (var (forecast, weight) in parts)
            {
                mean[h] += weight * forecast.Mean[h];
                for (var k = 0; k < quantiles[h].Length; k++)
                {
                    quantiles[h][k] += weight * forecast.Quantiles[h][k];
                }

                if (sums is not null)
                {
                    for (var k = 0; k < sums[h].Length; k++)
                    {
                        sums[h][k] += weight * forecast.IntervalQuantiles![h][k];
                    }
                }
            }
        }

        return new SkuForecast(first.SkuIndex, first.Origin, mean, quantiles, first.Levels) { IntervalQuantiles = sums };
    }

    /// <summary>
    /// What a SKU may be given at an origin whose compared members are <paramref name="active"/>: each member alone,
    /// then (with <see cref="EnsembleOptions.BlendMembers"/> b &gt;= 2) the blends of the first b of them: each pair
    /// at weights 1/4, 1/2 and 3/4, and all b at equal weights when b &gt;= 3.
    /// </summary>
    private Candidate[] Candidates(int[] active)
    {
        var list = active.Select(m => new Candidate(MemberNames[m], [(m, 1.0)])).ToList();
        var blended = active.Take(Options.BlendMembers).ToArray();
        if (blended.Length < 2)
        {
            return [.. list];
        }

        for (var a = 0; a < blended.Length; a++)
        {
            for (var b = a + 1; b < blended.Length; b++)
            {
                foreach (var w in BlendWeights)
                {
                    list.Add(Candidate.Of([(blended[a], w, Label(w)), (blended[b], 1 - w, Label(1 - w))], MemberNames));
                }
            }
        }

        if (blended.Length >= 3)
        {
            list.Add(Candidate.Of([.. blended.Select(m => (m, 1.0 / blended.Length, $"1/{blended.Length}"))], MemberNames));
        }

        return [.. list];
    }

    private static string Label(double weight) => weight.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The weights of a pair's first member in the blends tried.</summary>
    private static readonly double[] BlendWeights = [0.75, 0.5, 0.25];

    /// <summary>One line per member: how many SKUs chose it, most first, e.g. "lstm 40 SKUs, ets 8, croston 2".</summary>
    public static string Describe(IEnumerable<EnsembleChoice> choices, string unit = "SKUs")
    {
        ArgumentNullException.ThrowIfNull(choices);
        var counts = choices.GroupBy(c => c.Member, StringComparer.Ordinal)
            .Select(g => (Member: g.Key, Count: g.Count()))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Member, StringComparer.Ordinal)
            .ToList();
        return string.Join(", ", counts.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{c.Member} {c.Count:N0}{(i == 0 ? " " + unit : "")}")));
    }

    /// <summary>The members compared at this origin and the validation windows they are compared on.</summary>
    private (int[] Active, IReadOnlyList<int> Windows) Validation(Dataset dataset, int origin, int horizon)
    {
        var starts = ValidationOrigins(origin, horizon);
        var all = Enumerable.Range(0, _members.Length).ToArray();
        var common = starts.Where(v => all.All(m => v >= FirstUsable(dataset, m))).ToList();
        if (common.Count > 0)
        {
            return (all, common);
        }

        var classical = all.Where(m => _members[m].FittedBefore is null).ToArray();
        return (classical, starts);
    }

    private int FirstUsable(Dataset dataset, int member) =>
        _members[member].FittedBefore is { } date ? date.DayNumber - dataset.Start.DayNumber : 0;

    private int[] Choose(int skus, int[] active, Candidate[] candidates, double[][] losses, IReadOnlyList<double[][]> byWindow)
    {
        var windows = byWindow.Count;
        // candidate indices: the members alone come first, in active order, then the blends
        var chosen = new int[skus];
        var fallback = Array.IndexOf(active, active.First(m => _members[m].FittedBefore is null));
        if (windows == 0)
        {
            Array.Fill(chosen, fallback);
            return chosen;
        }

        // the pooled best: the lowest mean relative loss (1 = the best candidate of that SKU)
        var relative = new double[candidates.Length];
        var counted = 0;
        for (var i = 0; i < skus; i++)
        {
            var best = double.PositiveInfinity;
            for (var c = 0; c < candidates.Length; c++)
            {
                best = Math.Min(best, losses[c][i]);
            }

            if (best > 0)
            {
                counted++;
                for (var c = 0; c < candidates.Length; c++)
                {
                    relative[c] += losses[c][i] / best;
                }
            }
        }

        // the default member (the first classical one) stays the pooled choice unless a member alone beats it by a
        // margin that shrinks with the number of SKUs the evidence comes from; a blend replaces that member only if it
        // beats it by the same margin
        var margin = counted == 0 ? 0 : 1 - (Options.Margin / Math.Sqrt(counted));
        var pooled = fallback;
        for (var c = 0; c < active.Length; c++)
        {
            if (relative[c] < relative[pooled])
            {
                pooled = c;
            }
        }

        if (counted == 0 || !(relative[pooled] < margin * relative[fallback]))
        {
            pooled = fallback;
        }

        // ... and only if its total loss over the SKUs is below that member's in every window: a blend wins where its
        // members' errors offset each other, which a window where they do not (a turn of the season) shows
        var blend = -1;
        for (var c = active.Length; c < candidates.Length; c++)
        {
            if (relative[c] < margin * relative[pooled] && (blend < 0 || relative[c] < relative[blend]) && BelowInEveryWindow(byWindow, c, pooled))
            {
                blend = c;
            }
        }

        if (blend >= 0)
        {
            pooled = blend;
        }

        // a SKU leaves the pool only for a member alone that is clearly better on it
        for (var i = 0; i < skus; i++)
        {
            var own = 0;
            for (var c = 0; c < active.Length; c++)
            {
                if (losses[c][i] < losses[own][i])
                {
                    own = c;
                }
            }

            chosen[i] = losses[own][i] < (1 - Options.Margin) * losses[pooled][i] ? own : pooled;
        }

        return chosen;
    }

    /// <summary>Whether candidate <paramref name="c"/>'s loss summed over the SKUs is below candidate <paramref name="than"/>'s in every window.</summary>
    private static bool BelowInEveryWindow(IReadOnlyList<double[][]> byWindow, int c, int than) =>
        byWindow.All(window => window[c].Sum() < window[than].Sum());

    /// <summary>
    /// Per candidate and target, the mean pinball loss over the windows, and each window's losses (candidate, target),
    /// each computed once per dataset.
    /// </summary>
    private (double[][] Mean, IReadOnlyList<double[][]> ByWindow) MeanLosses(ForecastRequest request, int[] targets, int[] active, Candidate[] candidates, IReadOnlyList<int> windows)
    {
        var cache = _losses.GetValue(request.Dataset, _ => new ConcurrentDictionary<WindowKey, Lazy<double[][]>>());
        var levels = string.Join(",", request.Levels.Select(l => l.ToString("R", CultureInfo.InvariantCulture)));
        var skus = string.Join(",", targets);
        var members = string.Join(",", active);
        var mean = candidates.Select(_ => new double[targets.Length]).ToArray();
        var byWindow = new List<double[][]>(windows.Count);
        foreach (var v in windows)
        {
            var key = new WindowKey(members, v, request.Horizon, levels, skus);
            var window = cache.GetOrAdd(key, k => new Lazy<double[][]>(() => WindowLosses(request, targets, active, candidates, k), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
            byWindow.Add(window);
            for (var c = 0; c < candidates.Length; c++)
            {
                for (var i = 0; i < targets.Length; i++)
                {
                    mean[c][i] += window[c][i] / windows.Count;
                }
            }
        }

        return (mean, byWindow);
    }

    /// <summary>Per candidate and target, the mean pinball loss on the window from <see cref="WindowKey.Origin"/>: every active member forecasts it once.</summary>
    private double[][] WindowLosses(ForecastRequest request, int[] targets, int[] active, Candidate[] candidates, WindowKey key)
    {
        var byMember = new Dictionary<int, Dictionary<int, SkuForecast>>();
        foreach (var m in active)
        {
            byMember[m] = _members[m].Forecaster.Forecast(request with { Origin = key.Origin }).ToDictionary(f => f.SkuIndex);
        }

        var levels = request.Levels;
        var losses = candidates.Select(_ => new double[targets.Length]).ToArray();
        var quantile = new double[levels.Count];
        for (var i = 0; i < targets.Length; i++)
        {
            var series = request.Dataset.Series[targets[i]];
            var units = series.Units;
            for (var c = 0; c < candidates.Length; c++)
            {
                var parts = candidates[c].Parts;
                var sum = 0.0;
                var scored = 0;
                for (var h = 0; h < key.Horizon; h++)
                {
                    // an out-of-stock day's sales understate its demand: it scores no candidate
                    if (series.IsCensored(key.Origin + h))
                    {
                        continue;
                    }

                    scored++;
                    Array.Clear(quantile);
                    foreach (var (member, weight) in parts)
                    {
                        var q = byMember[member][targets[i]].Quantiles[h];
                        for (var k = 0; k < levels.Count; k++)
                        {
                            quantile[k] += weight * q[k];
                        }
                    }

                    for (var k = 0; k < levels.Count; k++)
                    {
                        sum += ForecastMetrics.Pinball(units[key.Origin + h], quantile[k], levels[k]);
                    }
                }

                // a window out of stock on every day gives every candidate the same loss, 0
                losses[c][i] = scored > 0 ? sum / (scored * levels.Count) : 0;
            }
        }

        return losses;
    }

    /// <summary>A member alone (one part of weight 1) or a blend of members' forecasts.</summary>
    private sealed record Candidate(string Name, (int Member, double Weight)[] Parts)
    {
        /// <summary>A blend named by its parts, e.g. "0.75 lstm + 0.25 ets" or "1/3 lstm + 1/3 ets + 1/3 croston".</summary>
        public static Candidate Of((int Member, double Weight, string Label)[] parts, IReadOnlyList<string> names) => new(
            string.Join(" + ", parts.Select(p => $"{p.Label} {names[p.Member]}")),
            [.. parts.Select(p => (p.Member, p.Weight))]);
    }

    private readonly record struct WindowKey(string Members, int Origin, int Horizon, string Levels, string Skus);
}
