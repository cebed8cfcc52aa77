using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// A cost-aware forecast policy: at each review it chooses the order (0, or a quantity that respects MOQ and case
/// pack) with the lowest expected cost per day of the days the decision governs, from the forecast's distribution
/// of cumulative demand. The rule, in full:
/// <list type="number">
/// <item>Demand paths: for each of <see cref="LookaheadPaths.Levels"/> (strata of [0, 1], finer in the tails, each
/// with its probability as weight) the path of cumulative demand from today is the outlook's quantile of total demand
/// over the first n days at that level, n = 1, 2, ... (common random numbers: every candidate order is scored on the
/// same paths). Each day's total has exactly the forecast's distribution. Beyond the outlook's horizon a path grows at
/// the horizon's mean rate, its deviation from the mean growing with the square root of the days.</item>
/// <item>Stock when the order arrives: along each path the pipeline arrives as scheduled and demand is served or lost
/// (or backordered) until the lead time L has passed; an order placed today arrives at the start of day L.</item>
/// <item>An order covering k review periods governs days L .. L + kR - 1 (cut at the season end), during which no other
/// order arrives. Its cost on a path: holding h per unit on hand at each day's end; for lost sales (p - c) per lost unit
/// (a lost unit is charged p but not bought at c); for backorders b per unit backordered at each day's end; if the
/// window reaches the season end, (c - salvage) per unit left. Units left inside the season are worth their cost (they
/// replace a later purchase), so they carry no charge beyond their holding. The expected cost is convex in the order;
/// its minimum is found by bisection on the derivative, then the MOQ/case-pack multiples on either side are scored.</item>
/// <item>For each k the rate g(k) = (K + expected cost) / days governed; the order of the k with the lowest rate is the
/// candidate. Not ordering governs only the next review period (the next order can arrive at L + R): the policy orders
/// only when the expected cost per day of that period with the stock it has exceeds the best rate with an order.</item>
/// </list>
/// Assumptions: the forecast distribution is right (calibrated); comonotone paths give each day's total its exact
/// distribution but make lost sales before the arrival depend only on the path's level; the cost of later decisions is
/// not modelled beyond the rate comparison (a Silver-Meal rule under uncertainty).
/// </summary>
public sealed class ForecastLookaheadPolicy : IReorderPolicy
{
    public const string PolicyName = "forecast-lookahead";

    /// <summary>The longest cover an order is scored for, in days, unless given.</summary>
    public const int DefaultMaxCoverDays = 56;

    private const int BisectionSteps = 60;

    [ThreadStatic]
    private static double[]? t_paths;

    [ThreadStatic]
    private static double[]? t_start;

    [ThreadStatic]
    private static double[]? t_prefix;

    private readonly SkuTerms _terms;
    private readonly Fulfilment _fulfilment;
    private readonly double _holding;
    private readonly double _shortage;
    private readonly double _fixed;
    private readonly double _leftoverAtEnd;
    private readonly int[] _covers;

    /// <param name="terms">The SKU's terms (lead time, MOQ, case pack, cost, salvage).</param>
    /// <param name="costs">The scenario's cost rates for the SKU.</param>
    /// <param name="fulfilment">Lost sales or backorders.</param>
    /// <param name="reviewPeriodDays">R.</param>
    /// <param name="shortageMultiplier">Scales the shortage cost the rule weighs (1 = the costs as given); tuning adjusts it.</param>
    /// <param name="maxCoverDays">The longest cover scored, in days (at least one review period is always scored).</param>
    public ForecastLookaheadPolicy(SkuTerms terms, CostRates costs, Fulfilment fulfilment, int reviewPeriodDays, double shortageMultiplier = 1, int maxCoverDays = DefaultMaxCoverDays)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentOutOfRangeException.ThrowIfLessThan(reviewPeriodDays, 1);
        if (!(shortageMultiplier > 0 && double.IsFinite(shortageMultiplier)))
        {
            throw new ArgumentOutOfRangeException(nameof(shortageMultiplier), shortageMultiplier, $"Policy '{PolicyName}' needs a finite shortageMultiplier > 0.");
        }

        if (maxCoverDays is < 1 or > 3660)
        {
            throw new ArgumentOutOfRangeException(nameof(maxCoverDays), maxCoverDays, $"Policy '{PolicyName}' needs maxCoverDays between 1 and 3660.");
        }

        _terms = terms;
        _fulfilment = fulfilment;
        _holding = costs.HoldingPerUnitDay;
        var purchase = costs.PurchasePerUnit;
        _shortage = shortageMultiplier * (fulfilment == Fulfilment.LostSales ? Math.Max(0, costs.ShortagePerUnit - purchase) : costs.ShortagePerUnit);
        _fixed = costs.FixedPerOrder;
        _leftoverAtEnd = Math.Max(0, purchase - terms.SalvageValue);
        ShortageMultiplier = shortageMultiplier;
        MaxCoverDays = maxCoverDays;
        ReviewPeriodDays = reviewPeriodDays;
        _covers = Covers(reviewPeriodDays, maxCoverDays);
    }

    public string Name => PolicyName;

    public double ShortageMultiplier { get; }

    public int MaxCoverDays { get; }

    public int ReviewPeriodDays { get; }

    public double Order(in ReviewContext context) => Decide(context).Quantity;

    /// <summary>The decision of a review with what it weighed (for tests and explanations).</summary>
    public LookaheadDecision Decide(in ReviewContext context)
    {
        var outlook = ForecastPolicySupport.RequireOutlook(context, PolicyName);
        var lead = context.LeadTimeDays;
        var review = Math.Max(1, context.ReviewPeriodDays);
        var seasonDays = context.DaysToSeasonEnd == int.MaxValue ? int.MaxValue : context.DaysToSeasonEnd + 1;
        if (lead >= seasonDays)
        {
            return new LookaheadDecision(0, 0, double.PositiveInfinity, 0);
        }

        // the days governed by each cover, cut at the season end
        var longest = Math.Min((long)lead + _covers[^1], seasonDays);
        var days = (int)longest;
        var levels = LookaheadPaths.Levels;
        var m = levels.Length;
        var paths = Rent(ref t_paths, m * (days + 1));
        LookaheadPaths.Build(outlook, days, paths);
        var width = days + 1;

        // stock at the start of day L on each path, before an order placed today arrives
        var start = Rent(ref t_start, m);
        for (var j = 0; j < m; j++)
        {
            start[j] = StartingStock(context, paths.AsSpan(j * width, width), lead);
        }

        // prefix sums of demand since day L over the longest window, per path: row j holds D_j(L..t) for t = L..days-1
        var span = days - lead;
        var prefix = Rent(ref t_prefix, m * ((2 * span) + 1));
        for (var j = 0; j < m; j++)
        {
            var row = paths.AsSpan(j * width, width);
            var cum = prefix.AsSpan(j * ((2 * span) + 1), span);
            var sums = prefix.AsSpan((j * ((2 * span) + 1)) + span, span + 1);
            sums[0] = 0;
            for (var t = 0; t < span; t++)
            {
                cum[t] = row[lead + t + 1] - row[lead];
                sums[t + 1] = sums[t] + cum[t];
            }
        }

        var window = new Window(this, prefix, start, span);

        // not ordering: the next review period only
        var skipDays = (int)Math.Min(review, seasonDays - lead);
        var skipCost = window.Cost(0, skipDays, lead + skipDays >= seasonDays);
        var skipRate = skipCost / skipDays;

        var bestRate = double.PositiveInfinity;
        double bestQuantity = 0;
        var bestDays = 0;
        foreach (var cover in _covers)
        {
            var governed = (int)Math.Min(cover, seasonDays - lead);
            var atEnd = lead + governed >= seasonDays;
            var raw = window.Minimise(governed, atEnd);
            foreach (var q in Candidates(raw))
            {
                var rate = (_fixed + window.Cost(q, governed, atEnd)) / governed;
                if (rate < bestRate)
                {
                    (bestRate, bestQuantity, bestDays) = (rate, q, governed);
                }
            }

            if (governed < cover)
            {
                break; // longer covers are cut at the same season end
            }
        }

        if (!(bestQuantity > 0) || skipRate <= bestRate)
        {
            return new LookaheadDecision(0, skipRate, bestRate, bestDays);
        }

        return new LookaheadDecision(bestQuantity, skipRate, bestRate, bestDays);
    }

    /// <summary>The order sizes a raw optimum can be placed as: the MOQ/case-pack multiples just below and above it.</summary>
    private IEnumerable<double> Candidates(double raw)
    {
        if (!(raw > 0))
        {
            yield break;
        }

        var up = _terms.RoundOrder(raw);
        var pack = _terms.CasePack > 1 ? _terms.CasePack : 0;
        var down = pack > 0 ? Math.Floor((raw / pack) + 1e-9) * pack : raw;
        if (down > 0 && down >= _terms.Moq && down < up)
        {
            yield return down;
        }

        yield return up;
    }

    /// <summary>On hand at the start of day L (lost sales) or net stock (backorders) on one path, before today's order.</summary>
    private double StartingStock(in ReviewContext context, ReadOnlySpan<double> path, int lead)
    {
        if (_fulfilment == Fulfilment.Backorders)
        {
            return context.InventoryPosition - path[lead];
        }

        var onHand = context.OnHand + (context.Pipeline.IsKnown ? 0 : context.OnOrder);
        for (var t = 0; t < lead; t++)
        {
            if (t > 0 && context.Pipeline.IsKnown)
            {
                onHand += context.Pipeline.DueIn(t);
            }

            onHand = Math.Max(0, onHand - (path[t + 1] - path[t]));
        }

        return onHand;
    }

    private static int[] Covers(int review, int maxCoverDays)
    {
        // 1, 2, 3, 4, 6, 8, 12, 16, ... review periods, up to the longest cover
        var list = new List<int>();
        var k = 1;
        while (true)
        {
            var daysCovered = (long)k * review;
            if (daysCovered > maxCoverDays && list.Count > 0)
            {
                break;
            }

            list.Add((int)Math.Min(daysCovered, int.MaxValue));
            var next = k < 4 ? k + 1 : k + (int)Math.Pow(2, Math.Floor(Math.Log2(k)) - 1);
            k = next;
        }

        return [.. list];
    }

    private static double[] Rent(ref double[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new double[Math.Max(length, (buffer?.Length ?? 0) * 2)];
        }

        return buffer;
    }

    /// <summary>The expected cost of an order over the first days from L, on every path.</summary>
    private readonly ref struct Window(ForecastLookaheadPolicy policy, double[] prefix, double[] start, int span)
    {
        private readonly int _stride = (2 * span) + 1;

        /// <summary>Expected holding + shortage (+ leftover at the season end) over days L .. L + days - 1 with order q.</summary>
        public double Cost(double q, int days, bool atEnd)
        {
            var levels = LookaheadPaths.Weights;
            double total = 0;
            for (var j = 0; j < levels.Length; j++)
            {
                total += levels[j] * PathCost(j, start[j] + q, days, atEnd);
            }

            return total;
        }

        /// <summary>The order (raw, &gt;= 0) that minimises <see cref="Cost"/>: where its derivative turns non-negative.</summary>
        public double Minimise(int days, bool atEnd)
        {
            if (Slope(0, days, atEnd) >= 0)
            {
                return 0;
            }

            // beyond the top path's demand over the window plus its shortfall the slope is >= 0 (h >= 0, no shortage left)
            double high = 0;
            for (var j = 0; j < start.Length; j++)
            {
                high = Math.Max(high, Demand(j, days - 1) - start[j]);
            }

            high = Math.Max(high, 1) * 1.0001;
            double low = 0;
            for (var i = 0; i < BisectionSteps && high - low > 1e-12 * Math.Max(1, high); i++)
            {
                var mid = 0.5 * (low + high);
                if (Slope(mid, days, atEnd) >= 0)
                {
                    high = mid;
                }
                else
                {
                    low = mid;
                }
            }

            return Snap(high, days);
        }

        /// <summary>
        /// The minimum of a piecewise-linear cost lies on a kink: the order at which some path's stock meets its demand
        /// on some day. Returns the kink nearest <paramref name="q"/> when it is within bisection noise of it.
        /// </summary>
        private double Snap(double q, int days)
        {
            var best = q;
            var distance = 1e-6 * Math.Max(1, q);
            for (var j = 0; j < start.Length; j++)
            {
                var y = start[j] + q;
                var t = Below(j, y, days);
                for (var k = Math.Max(0, t - 1); k <= Math.Min(days - 1, t); k++)
                {
                    var kink = Demand(j, k) - start[j];
                    if (Math.Abs(kink - q) < distance)
                    {
                        (best, distance) = (kink, Math.Abs(kink - q));
                    }
                }
            }

            return Math.Max(0, best);
        }

        private double Slope(double q, int days, bool atEnd)
        {
            var weights = LookaheadPaths.Weights;
            double total = 0;
            for (var j = 0; j < weights.Length; j++)
            {
                var y = start[j] + q;
                var held = Below(j, y, days);
                var slope = policy._holding * held;
                var last = Demand(j, days - 1);
                if (policy._fulfilment == Fulfilment.LostSales)
                {
                    if (last > y)
                    {
                        slope -= policy._shortage;
                    }
                    else if (atEnd && last < y)
                    {
                        slope += policy._leftoverAtEnd;
                    }
                }
                else
                {
                    slope -= policy._shortage * (days - held);
                    if (atEnd && last < y)
                    {
                        slope += policy._leftoverAtEnd;
                    }
                }

                total += weights[j] * slope;
            }

            return total;
        }

        private double PathCost(int j, double y, int days, bool atEnd)
        {
            var held = Below(j, y, days);
            var sums = prefix.AsSpan((j * _stride) + span, span + 1);
            var holdingUnits = (held * y) - sums[held];
            var cost = policy._holding * holdingUnits;
            var last = Demand(j, days - 1);
            if (policy._fulfilment == Fulfilment.LostSales)
            {
                cost += policy._shortage * Math.Max(0, last - y);
            }
            else
            {
                // backordered units at each day's end: sum over days of (D(t) - y)+
                var shortUnits = (sums[days] - sums[held]) - ((days - held) * y);
                cost += policy._shortage * shortUnits;
            }

            if (atEnd)
            {
                cost += policy._leftoverAtEnd * Math.Max(0, y - last);
            }

            return cost;
        }

        /// <summary>Demand of path j from day L through day L + t.</summary>
        private double Demand(int j, int t) => prefix[(j * _stride) + t];

        /// <summary>How many of the first <paramref name="days"/> days end with stock on path j: D(t) &lt; y (D rises with t).</summary>
        private int Below(int j, double y, int days)
        {
            var row = prefix.AsSpan(j * _stride, days);
            int lo = 0, hi = days;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (row[mid] < y)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}

/// <summary>
/// What a lookahead review weighed: the order placed (0 for none), the expected cost per day of the next review period
/// without an order, the best expected cost per day with one (fixed cost included) and the days that order would govern
/// (0 when none can arrive before the season end).
/// </summary>
public readonly record struct LookaheadDecision(double Quantity, double SkipRate, double OrderRate, int CoverDays);

/// <summary>
/// The demand paths of a lookahead review: strata of the probability range, finer in the tails (where a high critical
/// ratio puts the decision), each represented by its middle level and weighted by its width.
/// </summary>
public static class LookaheadPaths
{
    private static readonly double[] Edges = [0, 0.002, 0.01, 0.03, 0.07, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.93, 0.97, 0.99, 0.998, 1];

    /// <summary>The middle level of each stratum.</summary>
    public static double[] Levels { get; } = [.. Edges.Zip(Edges.Skip(1), (a, b) => 0.5 * (a + b))];

    /// <summary>Each stratum's probability (the weights sum to 1).</summary>
    public static double[] Weights { get; } = [.. Edges.Zip(Edges.Skip(1), (a, b) => b - a)];

    /// <summary>
    /// Fills <paramref name="destination"/> row j (length days + 1) with the cumulative demand of path j: 0, then the
    /// outlook's quantile of total demand over the first n days at level j for n = 1..days, made non-decreasing in n;
    /// beyond the outlook's horizon H, mean(H) n / H + (path(H) - mean(H)) sqrt(n / H).
    /// </summary>
    public static void Build(IDemandOutlook outlook, int days, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(outlook);
        var m = Levels.Length;
        var width = days + 1;
        var known = Math.Min(days, outlook.Horizon);
        Span<double> quantiles = known * m <= 4096 ? stackalloc double[known * m] : new double[known * m];
        if (known > 0)
        {
            outlook.CumulativeQuantiles(Levels, known, quantiles);
        }

        var meanAtHorizon = known > 0 && known < days ? outlook.Mean(0, known) : 0;
        for (var j = 0; j < m; j++)
        {
            var row = destination.Slice(j * width, width);
            row[0] = 0;
            for (var n = 1; n <= known; n++)
            {
                row[n] = Math.Max(row[n - 1], Math.Max(0, quantiles[(j * known) + n - 1]));
            }

            if (known < days)
            {
                var deviation = known > 0 ? row[known] - meanAtHorizon : 0;
                var rate = known > 0 ? meanAtHorizon / known : 0;
                for (var n = known + 1; n <= days; n++)
                {
                    var extended = known > 0 ? (rate * n) + (deviation * Math.Sqrt((double)n / known)) : 0;
                    row[n] = Math.Max(row[n - 1], extended);
                }
            }
        }
    }
}

/// <summary>
/// Creates <see cref="ForecastLookaheadPolicy"/>. Registered through <see cref="ForecastPolicyCatalog"/> (it needs an
/// outlook on every review).
/// </summary>
public sealed class ForecastLookaheadPolicyFactory : IReorderPolicyFactory, IOutlookDays
{
    private ForecastLookaheadPolicyFactory()
    {
    }

    public static ForecastLookaheadPolicyFactory Instance { get; } = new();

    public string Name => ForecastLookaheadPolicy.PolicyName;

    public string Description =>
        "Orders when the expected cost per day of the next review period without an order exceeds the best expected cost per day " +
        "of an order cycle (fixed cost, holding, shortage, leftover at the season end), from the forecast's quantile paths; the order " +
        $"minimises that cycle's cost. shortageMultiplier (default 1) scales the shortage cost; maxCoverDays (default {ForecastLookaheadPolicy.DefaultMaxCoverDays}) the longest cycle.";

    public IReorderPolicy Create(PolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.RejectUnknown(Name, "shortageMultiplier", "maxCoverDays");
        var cover = inputs.Parameter("maxCoverDays") ?? ForecastLookaheadPolicy.DefaultMaxCoverDays;
        if (cover != Math.Floor(cover) || cover is < 1 or > 3660)
        {
            throw new ArgumentException($"Policy '{Name}' needs maxCoverDays as a whole number of days 1-3660 (got {cover}).");
        }

        var multiplier = inputs.Parameter("shortageMultiplier") ?? 1;
        if (!(multiplier > 0 && double.IsFinite(multiplier)))
        {
            throw new ArgumentException($"Policy '{Name}' needs shortageMultiplier > 0 (got {multiplier}).");
        }

        return new ForecastLookaheadPolicy(inputs.Terms, inputs.Costs, inputs.Fulfilment, inputs.ReviewPeriodDays, multiplier, (int)cover);
    }

    /// <summary>Lead time + review period, and a month more for the covers (beyond the forecast the paths are extended).</summary>
    public int OutlookDays(int leadTimeDays, int reviewPeriodDays) => leadTimeDays + Math.Max(reviewPeriodDays, 28);
}
