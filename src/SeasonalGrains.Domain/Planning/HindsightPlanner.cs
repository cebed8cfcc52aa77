using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Domain.Planning;

/// <summary>The order plan of lowest cost for one SKU's window, with the demand known in advance.</summary>
public sealed record HindsightPlan
{
    /// <summary>Units ordered per day (index = day; non-zero only on review days).</summary>
    public required IReadOnlyList<double> Orders { get; init; }

    /// <summary>The plan run through <see cref="InventoryLedger"/> and closed: every figure is the ledger's own.</summary>
    public required InventoryMetrics Metrics { get; init; }

    /// <summary>The objective's value of <see cref="Metrics"/>: the lowest cost reachable (a lower bound when <see cref="Relaxed"/>).</summary>
    public required double Cost { get; init; }

    /// <summary>The objective's value as the dynamic programme computed it (equals <see cref="Cost"/> up to rounding).</summary>
    public required double PlannedCost { get; init; }

    /// <summary>
    /// Whether the SKU has an MOQ or a case pack that the plan ignored: then <see cref="Cost"/> is a lower
    /// bound of every plan under them (the plan may not be reachable) and the ledger ran without them.
    /// </summary>
    public required bool Relaxed { get; init; }

    /// <summary>Whether every planned order already meets the SKU's MOQ and case pack (always true when not <see cref="Relaxed"/>): then the bound is reached.</summary>
    public required bool Reachable { get; init; }
}

/// <summary>
/// The lowest cost of one SKU's window with its realised demand known in advance, under the ledger's
/// exact day sequence: orders only on review days (day % R == 0), an order of day t arriving at the
/// start of day t + L (L = 0 at once), demand served from on hand, the rest lost or backordered,
/// end-of-day holding and shortage costs, a fixed cost per order and the objective's purchase weight
/// and leftover credit.
/// <para>
/// The initial stock serves the first units of demand whatever is ordered (stock is never held back),
/// so it is taken off the demand first; the rest (the residual demand) is what orders can serve. The
/// residual of the first L days cannot be reached by any order. A dynamic programme in the spirit of
/// Wagner-Whitin then places lots at arrival epochs a = kR + L &lt; T, each covering a run of consecutive
/// days of residual demand (a lot never carries stock into the next lot's arrival: the later lot serves
/// those days for less holding):
/// </para>
/// <list type="bullet">
/// <item>Lost sales: a lot arriving at a covers days a, a+1, .. while a unit is cheaper to buy and hold
/// (w + h(t - a)) than to lose (p), and at most up to the next lot's arrival; the other days are lost.
/// O(m^2) over the m arrival epochs.</item>
/// <item>Backorders: a lot arriving at a covers the days [u, v) with u &lt;= a &lt; v, the days before a
/// as backorders (p per unit-day until a) and the days from a held (h per unit-day); consecutive lots
/// cover consecutive runs from day 0; days after the last lot stay backordered to the end.
/// F(v) = wD(v) + min over a &lt; v of [G(a) + h x sum of (t - a) r_t over [a, v)] with
/// G(a) = K + min over u &lt;= a of [F(u) - wD(u) + p x sum of (a - t) r_t over [u, a)]: O(T m).</item>
/// </list>
/// <para>
/// With prefix sums every run's cost is O(1), so a plan is O(T^2 / R) at most. MOQ and case pack are
/// not modelled: a SKU with either gets the plan without them, a lower bound that may not be reachable
/// (<see cref="HindsightPlan.Relaxed"/>, <see cref="HindsightPlan.Reachable"/>).
/// </para>
/// </summary>
public static class HindsightPlanner
{
    /// <summary>Plans the window of <paramref name="demand"/> (one value per day from day 0) and runs the plan through the ledger.</summary>
    public static HindsightPlan Plan(
        SkuTerms terms, CostRates costs, Fulfilment fulfilment, int reviewPeriodDays, IReadOnlyList<double> demand, HindsightObjective objective)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(objective);
        terms.Validate();
        costs.Validate();
        objective.Validate();
        if (reviewPeriodDays < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(reviewPeriodDays), reviewPeriodDays, "The review period must be at least 1 day.");
        }

        // the initial stock serves the first units of demand, whatever is ordered
        var days = demand.Count;
        var residual = new double[days];
        var left = terms.InitialOnHand;
        var initialUnitDays = 0.0;
        for (var t = 0; t < days; t++)
        {
            var d = demand[t];
            if (!(d >= 0) || double.IsInfinity(d))
            {
                throw new ArgumentOutOfRangeException(nameof(demand), d, $"Demand on day {t} must be a finite number >= 0.");
            }

            var used = Math.Min(left, d);
            left -= used;
            residual[t] = d - used;
            initialUnitDays += left;
        }

        var lead = terms.LeadTimeDays;
        var epochs = new List<int>();
        for (var review = 0; review < days && review + lead < days; review += reviewPeriodDays)
        {
            epochs.Add(review + lead);
        }

        var sums = new RunSums(residual);
        var (lots, lotsCost) = fulfilment == Fulfilment.LostSales
            ? LostSales([.. epochs], sums, costs, objective.PurchasePerUnit)
            : Backorders([.. epochs], sums, costs, objective.PurchasePerUnit);
        var orders = new double[days];
        foreach (var (arrival, units) in lots)
        {
            if (units > 0)
            {
                orders[arrival - lead] = units;
            }
        }

        var relaxed = terms.Moq > 0 || terms.CasePack > 1;
        var ledger = new InventoryLedger(relaxed ? terms with { Moq = 0, CasePack = 1 } : terms, costs, fulfilment, reviewPeriodDays);
        var policy = new PlannedOrdersPolicy(orders);
        for (var t = 0; t < days; t++)
        {
            ledger.Step(demand[t], policy);
        }

        var metrics = ledger.Close();
        return new HindsightPlan
        {
            Orders = orders,
            Metrics = metrics,
            Cost = objective.Of(metrics),
            PlannedCost = lotsCost + (costs.HoldingPerUnitDay * initialUnitDays) - (objective.LeftoverCreditPerUnit * left),
            Relaxed = relaxed,
            Reachable = !relaxed || orders.All(q => q == 0 || Math.Abs(terms.RoundOrder(q) - q) <= 1e-9 * Math.Max(1, q)),
        };
    }

    /// <summary>Lost sales: the lots and the cost of the residual demand (lots' costs plus every unit not covered at p).</summary>
    private static (List<(int Arrival, double Units)> Lots, double Cost) LostSales(int[] epochs, RunSums sums, CostRates costs, double purchase)
    {
        var (h, p, k) = (costs.HoldingPerUnitDay, costs.ShortagePerUnit, costs.FixedPerOrder);
        var days = sums.Days;
        var margin = p - purchase;

        // a unit demanded i days after its lot's arrival is worth covering while margin - h i > 0
        var reach = margin <= 0 ? 0 : h <= 0 ? days : (int)Math.Min(days, Math.Ceiling(margin / h));

        // a lot arriving at a and covering [a, e), less the shortage cost those units would have had
        double Lot(int a, int e) => k - (margin * sums.Units(a, e)) + (h * sums.Ahead(a, e));
        int End(int i, int next) => Math.Min(Math.Min(days, epochs[i] + reach), next < epochs.Length ? epochs[next] : days);

        var m = epochs.Length;
        var best = new double[m];
        var following = new int[m];
        for (var i = m - 1; i >= 0; i--)
        {
            best[i] = Lot(epochs[i], End(i, m));
            following[i] = m;
            for (var j = i + 1; j < m; j++)
            {
                var value = Lot(epochs[i], End(i, j)) + best[j];
                if (value < best[i])
                {
                    (best[i], following[i]) = (value, j);
                }
            }
        }

        var first = m;
        var saving = 0.0;
        for (var i = 0; i < m; i++)
        {
            if (best[i] < saving)
            {
                (saving, first) = (best[i], i);
            }
        }

        var lots = new List<(int, double)>();
        for (var i = first; i < m; i = following[i])
        {
            lots.Add((epochs[i], sums.Units(epochs[i], End(i, following[i]))));
        }

        return (lots, (p * sums.Units(0, days)) + saving);
    }

    /// <summary>Backorders: the lots and the cost of the residual demand (lots' costs, backorder unit-days, units never served backordered to the end).</summary>
    private static (List<(int Arrival, double Units)> Lots, double Cost) Backorders(int[] epochs, RunSums sums, CostRates costs, double purchase)
    {
        var (h, p, k) = (costs.HoldingPerUnitDay, costs.ShortagePerUnit, costs.FixedPerOrder);
        var days = sums.Days;
        var m = epochs.Length;

        // covered[v]: the lowest cost of serving the residual demand of days [0, v) by lots, the last one's run ending at v
        var covered = new double[days + 1];
        var lastLot = new int[days + 1];
        Array.Fill(covered, double.PositiveInfinity);
        covered[0] = 0;

        // opened[i]: K plus the lowest cost of the days before lot i's run and of its run's days before its arrival
        var opened = new double[m];
        var runStart = new int[m];
        var computed = 0;
        for (var v = 0; v <= days; v++)
        {
            for (var i = 0; i < computed; i++)
            {
                var value = opened[i] + (h * sums.Ahead(epochs[i], v)) + (purchase * sums.Units(0, v));
                if (value < covered[v])
                {
                    (covered[v], lastLot[v]) = (value, i);
                }
            }

            if (computed < m && epochs[computed] == v)
            {
                var a = v;
                opened[computed] = double.PositiveInfinity;
                for (var u = 0; u <= a; u++)
                {
                    if (double.IsPositiveInfinity(covered[u]))
                    {
                        continue;
                    }

                    var value = k + covered[u] - (purchase * sums.Units(0, u)) + (p * sums.Behind(u, a));
                    if (value < opened[computed])
                    {
                        (opened[computed], runStart[computed]) = (value, u);
                    }
                }

                computed++;
            }
        }

        var end = 0;
        var cost = p * sums.Tail(0);
        for (var v = 1; v <= days; v++)
        {
            var value = covered[v] + (p * sums.Tail(v));
            if (value < cost)
            {
                (cost, end) = (value, v);
            }
        }

        var lots = new List<(int, double)>();
        while (end > 0)
        {
            var i = lastLot[end];
            lots.Add((epochs[i], sums.Units(runStart[i], end)));
            end = runStart[i];
        }

        lots.Reverse();
        return (lots, cost);
    }

    /// <summary>Prefix sums of r_t and t r_t, so any run's units and unit-days are O(1).</summary>
    private sealed class RunSums
    {
        private readonly double[] _units;
        private readonly double[] _dayUnits;

        public RunSums(double[] residual)
        {
            Days = residual.Length;
            _units = new double[Days + 1];
            _dayUnits = new double[Days + 1];
            for (var t = 0; t < Days; t++)
            {
                _units[t + 1] = _units[t] + residual[t];
                _dayUnits[t + 1] = _dayUnits[t] + (t * residual[t]);
            }
        }

        public int Days { get; }

        /// <summary>Sum of r_t over [from, to).</summary>
        public double Units(int from, int to) => to > from ? _units[to] - _units[from] : 0;

        /// <summary>Sum of (t - a) r_t over [a, to): unit-days held after arriving at a.</summary>
        public double Ahead(int a, int to) => to > a ? (_dayUnits[to] - _dayUnits[a]) - (a * Units(a, to)) : 0;

        /// <summary>Sum of (a - t) r_t over [from, a): unit-days backordered until the arrival at a.</summary>
        public double Behind(int from, int a) => a > from ? (a * Units(from, a)) - (_dayUnits[a] - _dayUnits[from]) : 0;

        /// <summary>Sum of (T - t) r_t over [from, T): unit-days backordered to the end when never served.</summary>
        public double Tail(int from) => Behind(from, Days);
    }
}
