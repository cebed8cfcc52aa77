using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting.Baselines;
using SeasonalGrains.Forecasting.Metrics;

namespace SeasonalGrains.Forecasting.Ensemble;

/// <summary>
/// Chooses, per SKU and origin, one of its members by their pinball loss on validation windows that end before the
/// origin, and returns that member's forecast (mean, quantiles and, where the member has them, interval quantiles),
/// so its quantiles are as ordered as the member's.
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
/// Choice: for SKU s and member m, L(s, m) is its mean loss over the windows, and R(m) the mean over SKUs of
/// L(s, m) / min over m' of L(s, m') (1 = the best member of every SKU; SKUs where that minimum is 0 left out, n
/// SKUs counted). The default member d is the first member fitted at each origin (ets in the registered ensemble).
/// The pooled member g is the one with the lowest R if R(g) &lt; (1 - Margin / sqrt(n)) R(d), else d. SKU s takes
/// its own best member c if L(s, c) &lt; (1 - Margin) L(s, g), else g. So a SKU leaves the pooled member, and the
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
    private readonly ConditionalWeakTable<Dataset, ConcurrentDictionary<WindowKey, Lazy<double[]>>> _losses = [];
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
        var losses = new double[_members.Length][];
        foreach (var m in active)
        {
            losses[m] = MeanLosses(request, targets, m, windows);
        }

        var chosen = Choose(targets.Length, active, losses, windows.Count);
        var forecasts = new SkuForecast[targets.Length];
        foreach (var group in Enumerable.Range(0, targets.Length).GroupBy(i => chosen[i]))
        {
            var indices = group.ToArray();
            var answers = _members[group.Key].Forecaster.Forecast(request with { SkuIndices = [.. indices.Select(i => targets[i])] });
            var bySku = answers.ToDictionary(f => f.SkuIndex);
            foreach (var i in indices)
            {
                forecasts[i] = bySku.TryGetValue(targets[i], out var f)
                    ? f
                    : throw new InvalidOperationException($"{Name}: member {_members[group.Key].Forecaster.Name} gave no forecast for SKU index {targets[i]}.");
            }
        }

        for (var i = 0; i < targets.Length; i++)
        {
            var row = new double[_members.Length];
            for (var m = 0; m < _members.Length; m++)
            {
                row[m] = losses[m]?[i] ?? double.NaN;
            }

            _choices[(targets[i], request.Origin)] = new EnsembleChoice(targets[i], request.Origin, MemberNames[chosen[i]], row, windows.Count);
        }

        return forecasts;
    }

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

    private int[] Choose(int skus, int[] active, double[][] losses, int windows)
    {
        var chosen = new int[skus];
        if (windows == 0)
        {
            Array.Fill(chosen, active.First(m => _members[m].FittedBefore is null));
            return chosen;
        }

        // the pooled best: the lowest mean relative loss (1 = the best member of that SKU)
        var relative = new double[_members.Length];
        var counted = 0;
        for (var i = 0; i < skus; i++)
        {
            var best = active.Min(m => losses[m][i]);
            if (best > 0)
            {
                counted++;
                foreach (var m in active)
                {
                    relative[m] += losses[m][i] / best;
                }
            }
        }

        // the default member (the first classical one) stays the pooled choice unless beaten by a margin that shrinks
        // with the number of SKUs the evidence comes from
        var fallback = active.First(m => _members[m].FittedBefore is null);
        var pooled = fallback;
        foreach (var m in active)
        {
            if (relative[m] < relative[pooled])
            {
                pooled = m;
            }
        }

        if (counted == 0 || !(relative[pooled] < (1 - (Options.Margin / Math.Sqrt(counted))) * relative[fallback]))
        {
            pooled = fallback;
        }

        for (var i = 0; i < skus; i++)
        {
            var own = active[0];
            foreach (var m in active)
            {
                if (losses[m][i] < losses[own][i])
                {
                    own = m;
                }
            }

            chosen[i] = losses[own][i] < (1 - Options.Margin) * losses[pooled][i] ? own : pooled;
        }

        return chosen;
    }

    /// <summary>Per target, the member's mean pinball loss over the windows (each window's loss computed once per dataset).</summary>
    private double[] MeanLosses(ForecastRequest request, int[] targets, int member, IReadOnlyList<int> windows)
    {
        var cache = _losses.GetValue(request.Dataset, _ => new ConcurrentDictionary<WindowKey, Lazy<double[]>>());
        var levels = string.Join(",", request.Levels.Select(l => l.ToString("R", CultureInfo.InvariantCulture)));
        var skus = string.Join(",", targets);
        var mean = new double[targets.Length];
        foreach (var v in windows)
        {
            var key = new WindowKey(member, v, request.Horizon, levels, skus);
            var window = cache.GetOrAdd(key, k => new Lazy<double[]>(() => WindowLosses(request, targets, k), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
            for (var i = 0; i < targets.Length; i++)
            {
                mean[i] += window[i] / windows.Count;
            }
        }

        return mean;
    }

    private double[] WindowLosses(ForecastRequest request, int[] targets, WindowKey key)
    {
        var forecasts = _members[key.Member].Forecaster.Forecast(request with { Origin = key.Origin });
        var bySku = forecasts.ToDictionary(f => f.SkuIndex);
        var levels = request.Levels;
        var losses = new double[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            var forecast = bySku[targets[i]];
            var series = request.Dataset.Series[targets[i]];
            var units = series.Units;
            var sum = 0.0;
            var scored = 0;
            for (var h = 0; h < key.Horizon; h++)
            {
                // an out-of-stock day's sales understate its demand: it scores no member
                if (series.IsCensored(key.Origin + h))
                {
                    continue;
                }

                scored++;
                for (var k = 0; k < levels.Count; k++)
                {
                    sum += ForecastMetrics.Pinball(units[key.Origin + h], forecast.Quantiles[h][k], levels[k]);
                }
            }

            // a window out of stock on every day gives every member the same loss, 0
            losses[i] = scored > 0 ? sum / (scored * levels.Count) : 0;
        }

        return losses;
    }

    private readonly record struct WindowKey(int Member, int Origin, int Horizon, string Levels, string Skus);
}
