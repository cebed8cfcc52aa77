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
/// candidate (a Silver-Meal choice of the cycle).</item>
/// <item>Now or later: the candidate is placed only if it costs less over the days it governs than leaving the order to
/// the next review, whose order arrives R days later (the best such order over the same days, fixed cost included, or
/// none). When even the top path keeps stock until that later order could arrive, the policy waits without scoring.</item>
/// </list>
/// Assumptions: the forecast distribution is right (calibrated); comonotone paths give each day's total its exact
/// distribution but make lost sales before the arrival depend only on the path's level; decisions after the next review
/// are not modelled (a one-step lookahead on a Silver-Meal cycle).
/// </summary>
public sealed class ForecastLookaheadPolicy : IReorderPolicy
{
    public const string PolicyName = "forecast-lookahead";

    /// <summary>The longest cover an order is scored for, in days, unless given.</summary>
    public const int DefaultMaxCoverDays = 56;

    private const int BisectionSteps = 40;

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
    /// <param name="spread">Scales each path's distance from the median path (1 = the forecast as it is); tuning adjusts it.</param>
    public ForecastLookaheadPolicy(SkuTerms terms, CostRates costs, Fulfilment fulfilment, int reviewPeriodDays, double shortageMultiplier = 1, int maxCoverDays = DefaultMaxCoverDays, double spread = 1)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentOutOfRangeException.ThrowIfLessThan(reviewPeriodDays, 1);
        if (!(shortageMultiplier > 0 && double.IsFinite(shortageMultiplier)))
        {
            throw new ArgumentOutOfRangeException(nameof(shortageMultiplier), shortageMultiplier, $"Policy '{PolicyName}' needs a finite shortageMultiplier > 0.");
        }

        if (!(spread > 0 && double.IsFinite(spread)))
        {
            throw new ArgumentOutOfRangeException(nameof(spread), spread, $"Policy '{PolicyName}' needs a finite spread > 0.");
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
        Spread = spread;
        MaxCoverDays = maxCoverDays;
        ReviewPeriodDays = reviewPeriodDays;
        _covers = Covers(reviewPeriodDays, maxCoverDays);
    }

    public string Name => PolicyName;

    public double ShortageMultiplier { get; }

    public double Spread { get; }

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

        // not ordering governs the next review period only (the next order can arrive at L + R)
        var skipDays = (int)Math.Min(review, seasonDays - lead);
        var (shortest, longestScored) = CoverRange(outlook, lead, review);
        var longestCover = review;
        foreach (var cover in _covers)
        {
            if (cover <= longestScored)
            {
                longestCover = Math.Max(longestCover, cover);
            }
        }

        // one set of paths serves both windows: a path over fewer days is the start of the same path over more
        var windowDays = lead + (int)Math.Min(longestCover, seasonDays - lead);
        var width = windowDays + 1;
        var paths = Rent(ref t_paths, LookaheadPaths.Levels.Length * width);
        LookaheadPaths.Build(outlook, windowDays, paths, Spread);
        var skip = Prepare(context, paths, width, lead + skipDays);
        var skipRate = skip.Cost(0, skipDays, lead + skipDays >= seasonDays) / skipDays;

        // if even the top path keeps stock until the next order could arrive, that order is as good and holds less
        if (lead + skipDays < seasonDays && skip.CoversAll(skipDays))
        {
            return new LookaheadDecision(0, skipRate, double.PositiveInfinity, 0);
        }

        var window = windowDays == lead + skipDays ? skip : Prepare(context, paths, width, windowDays);
        var bestRate = double.PositiveInfinity;
        double bestQuantity = 0;
        var bestDays = 0;
        var worse = 0;
        foreach (var cover in _covers)
        {
            if (cover > review && (cover < shortest || cover > longestScored))
            {
                continue;
            }

            var governed = (int)Math.Min(cover, seasonDays - lead);
            var atEnd = lead + governed >= seasonDays;
            var raw = window.Minimise(governed, atEnd);
            var coverRate = double.PositiveInfinity;
            if (raw > 0)
            {
                var up = _terms.RoundOrder(raw);
                coverRate = Consider(window, up, governed, atEnd, ref bestRate, ref bestQuantity, ref bestDays);
                var down = RoundDown(raw);
                if (down > 0 && down < up)
                {
                    coverRate = Math.Min(coverRate, Consider(window, down, governed, atEnd, ref bestRate, ref bestQuantity, ref bestDays));
                }
            }

            // the cost per day of a cover falls and then rises with its length: stop two covers after it rises
            worse = coverRate > bestRate ? worse + 1 : 0;
            if (governed < cover || worse >= 2)
            {
                break; // longer covers are cut at the same season end, or cost more per day
            }
        }

        if (!(bestQuantity > 0))
        {
            return new LookaheadDecision(0, skipRate, bestRate, bestDays);
        }

        // order now, or leave it to the next review: the best order arriving R days later over the same days
        var end = lead + bestDays >= seasonDays;
        var now = _fixed + window.Cost(bestQuantity, bestDays, end);
        var later = window.Cost(0, bestDays, end);
        if (bestDays > skipDays)
        {
            var raw = window.Minimise(bestDays, end, skipDays);
            if (raw > 0)
            {
                var up = _terms.RoundOrder(raw);
                later = Math.Min(later, _fixed + window.Cost(up, bestDays, end, skipDays));
                var down = RoundDown(raw);
                if (down > 0 && down < up)
                {
                    later = Math.Min(later, _fixed + window.Cost(down, bestDays, end, skipDays));
                }
            }
        }

        return now < later
            ? new LookaheadDecision(bestQuantity, skipRate, bestRate, bestDays)
            : new LookaheadDecision(0, skipRate, bestRate, bestDays);
    }

    /// <summary>
    /// The covers worth scoring: around the deterministic economic cycle sqrt(2 K / (h d)) at the forecast's rate d
    /// (from 1/2.5 to 2.5 times it; the cost per day of a cover is flat near its minimum); only one review period
    /// without a fixed cost (ordering again at the next review then costs nothing, and later purchases hold less).
    /// </summary>
    private (double Shortest, double Longest) CoverRange(IDemandOutlook outlook, int lead, int review)
    {
        if (!(_fixed > 0))
        {
            return (review, review);
        }

        var days = Math.Max(1, Math.Min(outlook.Horizon, lead + review));
        var rate = outlook.Mean(0, days) / days;
        if (!(rate > 0 && _holding > 0))
        {
            return (review, double.PositiveInfinity);
        }

        var cycle = Math.Sqrt(2 * _fixed / (_holding * rate));
        return (cycle / 2.5, cycle * 2.5);
    }

    private double Consider(in Window window, double q, int governed, bool atEnd, ref double bestRate, ref double bestQuantity, ref int bestDays)
    {
        var rate = (_fixed + window.Cost(q, governed, atEnd)) / governed;
        if (rate < bestRate)
        {
            (bestRate, bestQuantity, bestDays) = (rate, q, governed);
        }

        return rate;
    }

    /// <summary>The case-pack multiple at or below a raw order, if it meets the MOQ (else 0).</summary>
    private double RoundDown(double raw)
    {
        var down = _terms.CasePack > 1 ? Math.Floor((raw / _terms.CasePack) + 1e-9) * _terms.CasePack : raw;
        return down >= _terms.Moq ? down : 0;
    }

    /// <summary>
    /// Over days 0..<paramref name="days"/> - 1 of the paths (rows of <paramref name="width"/> values, see
    /// <see cref="LookaheadPaths.Build"/>): each path's stock when an order would arrive, and the demand since then.
    /// </summary>
    private Window Prepare(in ReviewContext context, double[] paths, int width, int days)
    {
        var lead = context.LeadTimeDays;
        var m = LookaheadPaths.Levels.Length;

        // stock at the start of day L on each path, before an order placed today arrives
        var start = Rent(ref t_start, m);
        for (var j = 0; j < m; j++)
        {
            start[j] = StartingStock(context, paths.AsSpan(j * width, width), lead);
        }

        // per path: demand since day L through each day, then its prefix sums
        var span = days - lead;
        var stride = (2 * span) + 1;
        var prefix = Rent(ref t_prefix, m * stride);
        for (var j = 0; j < m; j++)
        {
            var row = paths.AsSpan(j * width, width);
            var cum = prefix.AsSpan(j * stride, span);
            var sums = prefix.AsSpan((j * stride) + span, span + 1);
            sums[0] = 0;
            for (var t = 0; t < span; t++)
            {
                cum[t] = row[lead + t + 1] - row[lead];
                sums[t + 1] = sums[t] + cum[t];
            }
        }

        return new Window(this, prefix, start, span);
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

    /// <summary>
    /// The expected cost of an order over the first days from L, on every path. An order may arrive at once (offset 0,
    /// day L) or <c>offset</c> days later (the next review's order), with no order before it.
    /// </summary>
    private readonly ref struct Window(ForecastLookaheadPolicy policy, double[] prefix, double[] start, int span)
    {
        private readonly int _stride = (2 * span) + 1;

        /// <summary>Expected holding + shortage (+ leftover at the season end) over days L .. L + days - 1 with order q arriving at L + offset.</summary>
        public double Cost(double q, int days, bool atEnd, int offset = 0)
        {
            var weights = LookaheadPaths.Weights;
            double total = 0;
            for (var j = 0; j < weights.Length; j++)
            {
                total += weights[j] * PathCost(j, q, days, atEnd, offset);
            }

            return total;
        }

        /// <summary>Whether no path runs out of stock in the first <paramref name="days"/> days without an order.</summary>
        public bool CoversAll(int days)
        {
            for (var j = 0; j < start.Length; j++)
            {
                if (Demand(j, days - 1) > start[j])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The order (raw, &gt;= 0) arriving at L + offset that minimises <see cref="Cost"/>: where its derivative turns non-negative.</summary>
        public double Minimise(int days, bool atEnd, int offset = 0)
        {
            if (Slope(0, days, atEnd, offset) >= 0)
            {
                return 0;
            }

            // beyond the top path's demand over the window plus its shortfall the slope is >= 0 (h >= 0, no shortage left)
            double high = 0;
            for (var j = 0; j < start.Length; j++)
            {
                high = Math.Max(high, Demand(j, days - 1) - Level(j, 0, offset));
            }

            high = Math.Max(high, 1) * 1.0001;
            double low = 0;
            for (var i = 0; i < BisectionSteps && high - low > 1e-4 * Math.Max(1, high); i++)
            {
                var mid = 0.5 * (low + high);
                if (Slope(mid, days, atEnd, offset) >= 0)
                {
                    high = mid;
                }
                else
                {
                    low = mid;
                }
            }

            return Kink(low, high, days, atEnd, offset);
        }

        /// <summary>
        /// The minimum of a piecewise-linear cost lies on a kink (an order at which some path's stock meets its demand on
        /// some day); between <paramref name="low"/> (slope &lt; 0) and <paramref name="high"/> (slope &gt;= 0), the kink
        /// (or <paramref name="high"/>) with the lowest cost.
        /// </summary>
        private double Kink(double low, double high, int days, bool atEnd, int offset)
        {
            var best = high;
            var bestCost = Cost(high, days, atEnd, offset);
            for (var j = 0; j < start.Length; j++)
            {
                // kinks of path j in (low, high]: days whose demand since L lies in (level + low, level + high]
                var level = Level(j, 0, offset);
                for (var t = Math.Max(offset, Below(j, level + low, days)); t < days; t++)
                {
                    var kink = Demand(j, t) - level;
                    if (kink > high)
                    {
                        break;
                    }

                    if (kink > low && kink != best)
                    {
                        var cost = Cost(kink, days, atEnd, offset);
                        if (cost < bestCost)
                        {
                            (best, bestCost) = (kink, cost);
                        }
                    }
                }
            }

            return Math.Max(0, best);
        }

        /// <summary>
        /// Path j's stock level from the order's arrival on, in units of demand since L: at day L + t (t &gt;= offset)
        /// the stock on hand (or net) is this minus the demand since L through that day. Lost sales before a late
        /// arrival do not carry over (the stock is at least the demand met by then).
        /// </summary>
        private double Level(int j, double q, int offset) =>
            offset > 0 && policy._fulfilment == Fulfilment.LostSales ? Math.Max(start[j], Demand(j, offset - 1)) + q : start[j] + q;

        private double Slope(double q, int days, bool atEnd, int offset)
        {
            var weights = LookaheadPaths.Weights;
            double total = 0;
            for (var j = 0; j < weights.Length; j++)
            {
                var y = Level(j, q, offset);
                var stocked = Math.Max(offset, Below(j, y, days));
                var slope = policy._holding * (stocked - offset);
                var last = Demand(j, days - 1);
                if (policy._fulfilment == Fulfilment.LostSales)
                {
                    if (last > y)
                    {
                        slope -= policy._shortage;
                    }
                }
                else
                {
                    slope -= policy._shortage * (days - stocked);
                }

                if (atEnd && last < y)
                {
                    slope += policy._leftoverAtEnd;
                }

                total += weights[j] * slope;
            }

            return total;
        }

        private double PathCost(int j, double q, int days, bool atEnd, int offset)
        {
            var sums = prefix.AsSpan((j * _stride) + span, span + 1);
            double cost = 0;
            if (offset > 0)
            {
                cost = PathCost(j, 0, offset, false, 0); // the days before the arrival, with the stock there is
            }

            var y = Level(j, q, offset);
            var stocked = Math.Max(offset, Below(j, y, days));
            var holdingUnits = ((stocked - offset) * y) - (sums[stocked] - sums[offset]);
            cost += policy._holding * holdingUnits;
            var last = Demand(j, days - 1);
            if (policy._fulfilment == Fulfilment.LostSales)
            {
                cost += policy._shortage * Math.Max(0, last - y);
            }
            else
            {
                // backordered units at each day's end: sum over the days from the arrival of (D(t) - y)+
                var shortUnits = (sums[days] - sums[stocked]) - ((days - stocked) * y);
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
    private static readonly double[] Edges = [0, 0.001, 0.005, 0.02, 0.06, 0.15, 0.27, 0.4, 0.6, 0.73, 0.85, 0.94, 0.98, 0.995, 0.999, 1];

    /// <summary>The middle level of each stratum.</summary>
    public static double[] Levels { get; } = [.. Edges.Zip(Edges.Skip(1), (a, b) => 0.5 * (a + b))];

    /// <summary>Each stratum's probability (the weights sum to 1).</summary>
    public static double[] Weights { get; } = [.. Edges.Zip(Edges.Skip(1), (a, b) => b - a)];

    /// <summary>
    /// Fills <paramref name="destination"/> row j (length days + 1) with the cumulative demand of path j: 0, then the
    /// outlook's quantile of total demand over the first n days at level j for n = 1..days, made non-decreasing in n;
    /// beyond the outlook's horizon H, mean(H) n / H + (path(H) - mean(H)) sqrt(n / H).
    /// </summary>
    public static void Build(IDemandOutlook outlook, int days, Span<double> destination, double spread = 1)
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
        var beyond = known > 0 ? days - known : 0;
        Span<double> growth = beyond <= 512 ? stackalloc double[beyond] : new double[beyond];
        for (var n = known + 1; n <= known + beyond; n++)
        {
            growth[n - known - 1] = Math.Sqrt((double)n / known);
        }

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
                    var extended = known > 0 ? (rate * n) + (deviation * growth[n - known - 1]) : 0;
                    row[n] = Math.Max(row[n - 1], extended);
                }
            }
        }

        if (spread != 1)
        {
            Widen(destination, m, width, spread);
        }
    }

    /// <summary>The index of the median path (level 0.5).</summary>
    public static int MedianPath { get; } = Array.IndexOf(Levels, 0.5);

    /// <summary>Moves every path's cumulative demand s times as far from the median path's, kept >= 0 and non-decreasing.</summary>
    private static void Widen(Span<double> paths, int m, int width, double spread)
    {
        Span<double> median = width <= 1024 ? stackalloc double[width] : new double[width];
        paths.Slice(MedianPath * width, width).CopyTo(median);
        for (var j = 0; j < m; j++)
        {
            if (j == MedianPath)
            {
                continue;
            }

            var row = paths.Slice(j * width, width);
            for (var n = 1; n < width; n++)
            {
                row[n] = Math.Max(row[n - 1], Math.Max(0, median[n] + (spread * (row[n] - median[n]))));
            }
        }
    }
}

/// <summary>
/// Creates <see cref="ForecastLookaheadPolicy"/>. Registered through <see cref="ForecastPolicyCatalog"/> (it needs an
/// outlook on every review).
/// </summary>
public sealed class ForecastLookaheadPolicyFactory : PolicyFactory, IOutlookDays
{
    private ForecastLookaheadPolicyFactory()
        : base(
            ForecastLookaheadPolicy.PolicyName,
            "Orders when the expected cost per day of the next review period without an order exceeds the best expected cost per day " +
            "of an order cycle (fixed cost, holding, shortage, leftover at the season end), from the forecast's quantile paths; the order " +
            $"minimises that cycle's cost. shortageMultiplier (default 1) scales the shortage cost; spread (default 1) each path's distance from the median; maxCoverDays (default {ForecastLookaheadPolicy.DefaultMaxCoverDays}) the longest cycle.",
            ["shortageMultiplier", "spread", "maxCoverDays"],
            Build)
    {
    }

    public static ForecastLookaheadPolicyFactory Instance { get; } = new();

    private static ForecastLookaheadPolicy Build(PolicyInputs inputs)
    {
        var cover = inputs.Parameter("maxCoverDays") ?? ForecastLookaheadPolicy.DefaultMaxCoverDays;
        if (cover != Math.Floor(cover) || cover is < 1 or > 3660)
        {
            throw new ArgumentException($"Policy '{ForecastLookaheadPolicy.PolicyName}' needs maxCoverDays as a whole number of days 1-3660 (got {cover}).");
        }

        var multiplier = inputs.Parameter("shortageMultiplier") ?? 1;
        if (!(multiplier > 0 && double.IsFinite(multiplier)))
        {
            throw new ArgumentException($"Policy '{ForecastLookaheadPolicy.PolicyName}' needs shortageMultiplier > 0 (got {multiplier}).");
        }

        var spread = inputs.Parameter("spread") ?? 1;
        if (!(spread > 0 && double.IsFinite(spread)))
        {
            throw new ArgumentException($"Policy '{ForecastLookaheadPolicy.PolicyName}' needs spread > 0 (got {spread}).");
        }

        return new ForecastLookaheadPolicy(inputs.Terms, inputs.Costs, inputs.Fulfilment, inputs.ReviewPeriodDays, multiplier, (int)cover, spread);
    }

    /// <summary>Lead time + review period, and a month more for the covers (beyond the forecast the paths are extended).</summary>
    public int OutlookDays(int leadTimeDays, int reviewPeriodDays) => leadTimeDays + Math.Max(reviewPeriodDays, 28);
}
