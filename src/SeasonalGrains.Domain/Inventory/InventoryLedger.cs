using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Domain.Inventory;

/// <summary>What happened on one day of one SKU.</summary>
public readonly record struct DayOutcome(
    double Received,
    double Ordered,
    double Demand,
    double FilledOnDemand,
    double Shortage,
    double OnHand,
    double OnOrder,
    double Backorders);

/// <summary>The inputs of one day besides demand.</summary>
public readonly record struct DayInput(double Demand, bool IsReviewDay, int DaysToNextHoliday = int.MaxValue, IDemandOutlook? Outlook = null)
{
    /// <summary>Days from this day to the last selling day of the season (0 = this is the last one); <see cref="int.MaxValue"/> when unknown.</summary>
    public int DaysToSeasonEnd { get; init; } = int.MaxValue;
}

/// <summary>
/// The inventory of one SKU run through the periodic-review day sequence:
/// (1) orders due today arrive and serve backorders first; (2) on review days the policy sees the
/// inventory position and may order (rounded to MOQ and case pack; lead time 0 arrives at once);
/// (3) today's demand is served from on hand, the rest backordered or lost; (4) end-of-day costs
/// and metrics. An order placed on day t with lead time L arrives at the start of day t + L.
/// </summary>
public sealed class InventoryLedger
{
    private readonly SkuTerms _terms;
    private readonly CostRates _costs;
    private readonly Fulfilment _fulfilment;
    private readonly int _reviewPeriod;
    private readonly double[] _pipeline;
    private int _day;
    private double _onHand;
    private double _onOrder;
    private double _backorders;
    private bool _cycleOpen;
    private bool _cycleHadStockout;
    private InventoryMetrics? _closed;

    // running totals (fields rather than a record so the daily step allocates nothing)
    private double _demanded, _filledOnDemand, _sold, _lost, _backordered, _backorderUnitDays;
    private int _stockoutDays, _cycles, _cyclesWithStockout, _orders;
    private double _ordered, _received, _onHandUnitDays, _holding, _shortage, _ordering, _purchase;

    public InventoryLedger(SkuTerms terms, CostRates costs, Fulfilment fulfilment, int reviewPeriodDays = 1)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(costs);
        terms.Validate();
        costs.Validate();
        if (reviewPeriodDays < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(reviewPeriodDays), reviewPeriodDays, "The review period must be at least 1 day.");
        }

        _terms = terms;
        _costs = costs;
        _fulfilment = fulfilment;
        _reviewPeriod = reviewPeriodDays;
        _pipeline = new double[terms.LeadTimeDays + 1];
        _onHand = terms.InitialOnHand;
    }

    public SkuTerms Terms => _terms;

    public CostRates Costs => _costs;

    public Fulfilment Fulfilment => _fulfilment;

    public int ReviewPeriodDays => _reviewPeriod;

    /// <summary>The next day to run (0 before the first step).</summary>
    public int Day => _day;

    public double OnHand => _onHand;

    public double OnOrder => _onOrder;

    public double Backorders => _backorders;

    public double InventoryPosition => _onHand + _onOrder - _backorders;

    /// <summary>Units due to arrive at the start of day <see cref="Day"/> + <paramref name="daysAhead"/> (0 &lt;= daysAhead &lt; lead time).</summary>
    public double DueIn(int daysAhead) =>
        daysAhead >= 0 && daysAhead < _terms.LeadTimeDays ? _pipeline[(_day + daysAhead) % _pipeline.Length] : 0;

    /// <summary>Whether <paramref name="day"/> is a review day under the scenario's review period.</summary>
    public bool IsReviewDay(int day) => day % _reviewPeriod == 0;

    /// <summary>Runs day <see cref="Day"/> with the given demand, reviewing on the scenario's review days.</summary>
    public DayOutcome Step(double demand, IReorderPolicy policy, int daysToNextHoliday = int.MaxValue, IDemandOutlook? outlook = null) =>
        Step(new DayInput(demand, IsReviewDay(_day), daysToNextHoliday, outlook), policy);

    public DayOutcome Step(in DayInput input, IReorderPolicy policy)
    {
        var demand = input.Demand;
        if (!(demand >= 0) || double.IsInfinity(demand))
        {
            throw new ArgumentOutOfRangeException(nameof(input), demand, $"Demand on day {_day} must be a finite number >= 0.");
        }

        if (_closed is not null)
        {
            throw new InvalidOperationException("The season is closed; no more days can be run.");
        }

        // 1. arrivals
        var slot = _day % _pipeline.Length;
        var received = _pipeline[slot];
        _pipeline[slot] = 0;
        if (received > 0)
        {
            _onOrder -= received;
            Receive(received);
        }

        // 2. review
        double ordered = 0;
        if (input.IsReviewDay)
        {
            if (_cycleOpen)
            {
                CloseCycle();
            }

            _cycleOpen = true;
            var context = ReviewOf(in input);
            ordered = _terms.RoundOrder(policy.Order(in context));
            if (ordered > 0)
            {
                PlaceOrder(ordered);
            }
        }
        else if (!_cycleOpen)
        {
            _cycleOpen = true;
        }

        // 3. demand
        var filled = Math.Min(_onHand, demand);
        _onHand -= filled;
        var shortage = demand - filled;
        _demanded += demand;
        _filledOnDemand += filled;
        _sold += filled;
        if (shortage > 0)
        {
            _stockoutDays++;
            _cycleHadStockout = true;
            if (_fulfilment == Fulfilment.LostSales)
            {
                _lost += shortage;
            }
            else
            {
                _backorders += shortage;
                _backordered += shortage;
            }
        }

        // 4. end of day
        _onHandUnitDays += _onHand;
        _holding += _costs.HoldingPerUnitDay * _onHand;
        if (_fulfilment == Fulfilment.LostSales)
        {
            _shortage += _costs.ShortagePerUnit * shortage;
        }
        else
        {
            _shortage += _costs.ShortagePerUnit * _backorders;
            _backorderUnitDays += _backorders;
        }

        _day++;
        return new DayOutcome(received, ordered, demand, filled, shortage, _onHand, _onOrder, _backorders);
    }

    /// <summary>
    /// What a policy sees when it reviews day <see cref="Day"/> now: the position, terms and pipeline as they stand,
    /// with <paramref name="input"/>'s holiday distance, outlook and days to the season end.
    /// </summary>
    public ReviewContext ReviewOf(in DayInput input) => new()
    {
        Day = _day,
        OnHand = _onHand,
        OnOrder = _onOrder,
        Backorders = _backorders,
        LeadTimeDays = _terms.LeadTimeDays,
        ReviewPeriodDays = _reviewPeriod,
        DaysToNextHoliday = input.DaysToNextHoliday,
        Outlook = input.Outlook,
        DaysToSeasonEnd = input.DaysToSeasonEnd,
        Pipeline = new PipelineView(_pipeline, _day),
    };

    /// <summary>Places an order now (outside the policy, e.g. a planner's manual order); it arrives after the lead time.</summary>
    public void PlaceOrder(double units)
    {
        if (_closed is not null)
        {
            throw new InvalidOperationException("The season is closed; no more orders can be placed.");
        }

        if (!(units > 0) || double.IsInfinity(units))
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "An order must be a finite number of units > 0.");
        }

        _orders++;
        _ordered += units;
        _ordering += _costs.FixedPerOrder;
        _purchase += _costs.PurchasePerUnit * units;
        if (_terms.LeadTimeDays == 0)
        {
            Receive(units);
        }
        else
        {
            _pipeline[(_day + _terms.LeadTimeDays) % _pipeline.Length] += units;
            _onOrder += units;
        }
    }

    /// <summary>
    /// Units that arrive now from outside this ledger's own orders (e.g. a goods receipt a warehouse
    /// reports): they go on hand and serve backorders first, like an order's arrival, and count as received.
    /// </summary>
    public void ReceiveUnplanned(double units)
    {
        if (_closed is not null)
        {
            throw new InvalidOperationException("The season is closed; nothing more can be received.");
        }

        if (!(units > 0) || double.IsInfinity(units))
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "A receipt must be a finite number of units > 0.");
        }

        Receive(units);
    }

    /// <summary>
    /// Ends the season: closes the last review cycle and values what is left (on hand and on order)
    /// at cost and at salvage value. Returns the SKU's metrics.
    /// </summary>
    public InventoryMetrics Close()
    {
        if (_closed is null)
        {
            if (_cycleOpen)
            {
                CloseCycle();
                _cycleOpen = false;
            }

            _closed = Snapshot() with
            {
                LeftoverUnits = _onHand + _onOrder,
                LeftoverValue = (_onHand + _onOrder) * _terms.UnitCost,
                SalvageCredit = (_onHand + _onOrder) * _terms.SalvageValue,
            };
        }

        return _closed;
    }

    /// <summary>The metrics so far (leftovers are valued only by <see cref="Close"/>).</summary>
    public InventoryMetrics Snapshot() => new()
    {
        Days = _day,
        SkuDays = _day,
        UnitsDemanded = _demanded,
        UnitsFilledOnDemand = _filledOnDemand,
        UnitsSold = _sold,
        UnitsLost = _lost,
        UnitsBackordered = _backordered,
        BackorderUnitDays = _backorderUnitDays,
        EndingBackorders = _backorders,
        StockoutDays = _stockoutDays,
        Cycles = _cycles + (_cycleOpen ? 1 : 0),
        CyclesWithStockout = _cyclesWithStockout + (_cycleOpen && _cycleHadStockout ? 1 : 0),
        OrdersPlaced = _orders,
        UnitsOrdered = _ordered,
        UnitsReceived = _received,
        OnHandUnitDays = _onHandUnitDays,
        OnHandValueDays = _onHandUnitDays * _terms.UnitCost,
        CostOfGoodsSold = _sold * _terms.UnitCost,
        Revenue = _sold * _terms.UnitPrice,
        HoldingCost = _holding,
        ShortageCost = _shortage,
        OrderingCost = _ordering,
        PurchaseCost = _purchase,
    };

    /// <summary>Captures the whole ledger state (to persist or checkpoint it).</summary>
    public LedgerState Capture() => new(
        _day, _onHand, _onOrder, _backorders, (double[])_pipeline.Clone(), _cycleOpen, _cycleHadStockout,
        [_demanded, _filledOnDemand, _sold, _lost, _backordered, _backorderUnitDays, _ordered, _received, _onHandUnitDays, _holding, _shortage, _ordering, _purchase],
        [_stockoutDays, _cycles, _cyclesWithStockout, _orders]);

    /// <summary>Rebuilds a ledger from a captured state with the same terms, costs and options.</summary>
    public static InventoryLedger Restore(SkuTerms terms, CostRates costs, Fulfilment fulfilment, int reviewPeriodDays, LedgerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var ledger = new InventoryLedger(terms, costs, fulfilment, reviewPeriodDays);
        if (state.Pipeline.Length != ledger._pipeline.Length || state.Totals.Length != 13 || state.Counts.Length != 4)
        {
            throw new ArgumentException("The saved ledger state does not match the SKU's lead time or this version's layout.", nameof(state));
        }

        ledger._day = state.Day;
        ledger._onHand = state.OnHand;
        ledger._onOrder = state.OnOrder;
        ledger._backorders = state.Backorders;
        state.Pipeline.CopyTo(ledger._pipeline, 0);
        ledger._cycleOpen = state.CycleOpen;
        ledger._cycleHadStockout = state.CycleHadStockout;
        var t = state.Totals;
        (ledger._demanded, ledger._filledOnDemand, ledger._sold, ledger._lost, ledger._backordered, ledger._backorderUnitDays) = (t[0], t[1], t[2], t[3], t[4], t[5]);
        (ledger._ordered, ledger._received, ledger._onHandUnitDays, ledger._holding, ledger._shortage, ledger._ordering, ledger._purchase) = (t[6], t[7], t[8], t[9], t[10], t[11], t[12]);
        (ledger._stockoutDays, ledger._cycles, ledger._cyclesWithStockout, ledger._orders) = (state.Counts[0], state.Counts[1], state.Counts[2], state.Counts[3]);
        return ledger;
    }

    private void Receive(double units)
    {
        _received += units;
        _onHand += units;
        if (_backorders > 0)
        {
            var served = Math.Min(_onHand, _backorders);
            _onHand -= served;
            _backorders -= served;
            _sold += served;
        }
    }

    private void CloseCycle()
    {
        _cycles++;
        if (_cycleHadStockout)
        {
            _cyclesWithStockout++;
        }

        _cycleHadStockout = false;
    }
}

/// <summary>The complete state of a ledger, for persistence and checkpoints.</summary>
public sealed record LedgerState(
    int Day,
    double OnHand,
    double OnOrder,
    double Backorders,
    double[] Pipeline,
    bool CycleOpen,
    bool CycleHadStockout,
    double[] Totals,
    int[] Counts)
{
    /// <summary>The units totals among <see cref="Totals"/> (demanded ... on-hand unit-days); the rest are money.</summary>
    private const int UnitTotals = 9;

    /// <summary>
    /// This state with every quantity (stock levels, the pipeline and the unit totals, not the money totals)
    /// rounded to <see cref="DomainLimits.UnitStep"/>; see <see cref="DomainLimits.RoundUnits"/>.
    /// </summary>
    public LedgerState WithUnitsRounded() => this with
    {
        OnHand = DomainLimits.RoundUnits(OnHand),
        OnOrder = DomainLimits.RoundUnits(OnOrder),
        Backorders = DomainLimits.RoundUnits(Backorders),
        Pipeline = [.. Pipeline.Select(DomainLimits.RoundUnits)],
        Totals = [.. Totals.Select((t, i) => i < UnitTotals ? DomainLimits.RoundUnits(t) : t)],
    };
}
