using System.Globalization;
using SeasonalGrains.Grains.State;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// The bookkeeping of one live SKU without Orleans: its definition and ledger, the sales and receipts
/// booked to open days (once per event id) and the closed days. <see cref="LiveSkuGrain"/> owns one, adds
/// forecasts and orders, and writes it to storage after every change.
/// </summary>
/// <remarks>
/// Every value enters within <see cref="DomainLimits"/>: events of 0.000001 to 1e9 units, rounded to
/// <see cref="DomainLimits.UnitStep"/>, at most 1e9 units of sales and of receipts a day; the ledger's
/// quantities are rounded to the same step after every change, so totals stay exact. A close checks every
/// day it would close before it changes anything.
/// </remarks>
public sealed class LiveSkuBook(string sku)
{
    private readonly Dictionary<DateOnly, PendingDay> _pending = [];
    private readonly Dictionary<string, RememberedEvent> _events = new(StringComparer.Ordinal);
    private readonly List<LiveDay> _days = [];
    private readonly List<double> _sales = [];
    private readonly SortedDictionary<DateOnly, LivePriceDay> _prices = [];
    private readonly SortedSet<DateOnly> _stockouts = [];

    public string Sku { get; } = sku;

    /// <summary>Null until the SKU is defined.</summary>
    public LiveSkuDefinition? Definition { get; private set; }

    /// <summary>Null until the SKU is defined.</summary>
    public InventoryLedger? Ledger { get; private set; }

    /// <summary>The first day not closed yet.</summary>
    public DateOnly OpenDate { get; private set; }

    /// <summary>The last closed days, oldest first (at most <see cref="LiveSkuOptions.WindowDays"/>).</summary>
    public IReadOnlyList<LiveDay> Days => _days;

    public int EventIdCount => _events.Count;

    /// <summary>
    /// Units sold on each day before the open day, oldest first: the definition's seed history, then every closed day,
    /// the last <see cref="LiveSkuOptions.MaxHistoryDays"/> of them.
    /// </summary>
    public IReadOnlyList<double> SalesHistory => _sales;

    /// <summary>Posted prices and promotions by day, ascending.</summary>
    public IReadOnlyCollection<LivePriceDay> Prices => _prices.Values;

    /// <summary>The closed days that ended with nothing on hand, ascending (those of <see cref="SalesHistory"/>'s range).</summary>
    public IReadOnlyCollection<DateOnly> StockoutDays => _stockouts;

    public double PendingSales => DomainLimits.RoundUnits(_pending.Values.Sum(p => p.Sales));

    public double PendingReceipts => DomainLimits.RoundUnits(_pending.Values.Sum(p => p.Receipts));

    /// <summary>Starts the SKU: a ledger for the definition, the open day its start date.</summary>
    public void Create(LiveSkuDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        Ledger = new InventoryLedger(definition.Terms.ToDomain(), definition.Costs.ToDomain(), definition.Fulfilment.ToDomain(), definition.ReviewPeriodDays);
        OpenDate = definition.StartDate!.Value;
        _stockouts.Clear();
        _sales.Clear();
        _sales.AddRange(definition.History ?? []);
    }

    /// <summary>New terms and costs on the running ledger's state (a new lead time only with nothing on order).</summary>
    public void Redefine(LiveSkuDefinition next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var ledger = Ledger ?? throw new InvalidOperationException($"SKU '{Sku}' is not defined.");
        var captured = ledger.Capture();
        var pipeline = next.Terms.LeadTimeDays == ledger.Terms.LeadTimeDays ? captured.Pipeline : new double[next.Terms.LeadTimeDays + 1];
        Ledger = InventoryLedger.Restore(
            next.Terms.ToDomain(), next.Costs.ToDomain(), next.Fulfilment.ToDomain(), next.ReviewPeriodDays, captured with { Pipeline = pipeline });
        Definition = next;
    }

    /// <summary>
    /// Books one sale or receipt to its day (default: the open day), once per event id. <paramref name="today"/>
    /// is the current business day; at most <paramref name="maxEventIds"/> ids are remembered.
    /// </summary>
    public EventOutcome Apply(LiveEvent e, DateOnly today, int maxEventIds)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Definition is not { } definition)
        {
            return new EventOutcome { EventId = e.EventId, Status = EventStatus.UnknownSku, Detail = $"SKU '{Sku}' is not defined." };
        }

        if (e.Kind == LiveEventKind.Price)
        {
            return ApplyPrice(e, today, maxEventIds);
        }

        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(e.EventId) || e.EventId.Length > 100)
        {
            errors.Add(new("eventId", "is required: 1-100 characters."));
        }

        if (DomainLimits.EventUnitsProblem(e.Units) is { } unitsProblem)
        {
            errors.Add(new("units", unitsProblem + "."));
        }

        if (!Enum.IsDefined(e.Kind))
        {
            errors.Add(new("kind", "is not a known event kind."));
        }

        if (errors.Count > 0)
        {
            return Invalid(e, [.. errors]);
        }

        var units = DomainLimits.RoundUnits(e.Units);
        if (_events.TryGetValue(e.EventId, out var seen))
        {
            var same = seen.Kind == e.Kind && seen.Units == units && (e.Date is null || e.Date == seen.Date);
            return EventOutcome.Seen(e.EventId, seen.Date, same, () => $"as a {Describe(seen.Kind)} of {Format(seen.Units)} units on {seen.Date:yyyy-MM-dd}");
        }

        var date = e.Date ?? OpenDate;
        if (date < definition.StartDate)
        {
            return Invalid(e, new FieldError("date", $"is before the SKU's first business day {definition.StartDate:yyyy-MM-dd}."));
        }

        if (date < OpenDate)
        {
            return new EventOutcome
            {
                EventId = e.EventId,
                Status = EventStatus.DayClosed,
                Detail = $"{date:yyyy-MM-dd} is closed; SKU '{Sku}' books events from {OpenDate:yyyy-MM-dd} on.",
            };
        }

        var latest = (OpenDate > today ? OpenDate : today).AddDays(1);
        if (date > latest)
        {
            return Invalid(e, new FieldError("date", $"must not be after {latest:yyyy-MM-dd} (the day after the current business day)."));
        }

        var pending = _pending.TryGetValue(date, out var p) ? p : new PendingDay(date, 0, 0);
        var isSale = e.Kind == LiveEventKind.Sale;
        var total = DomainLimits.RoundUnits((isSale ? pending.Sales : pending.Receipts) + units);
        if (total > DomainLimits.MaxUnits)
        {
            return Invalid(e, new FieldError("units", $"would bring the {Describe(e.Kind)}s of {date:yyyy-MM-dd} to {Format(total)} units, above the limit of 1000000000 units a day."));
        }

        if (_events.Count >= maxEventIds)
        {
            return new EventOutcome
            {
                EventId = e.EventId,
                Status = EventStatus.LimitReached,
                Detail = $"SKU '{Sku}' holds {_events.Count} event ids of open days, its limit; close days or send fewer, larger events.",
            };
        }

        _pending[date] = isSale ? pending with { Sales = total } : pending with { Receipts = total };
        _events[e.EventId] = new RememberedEvent(e.EventId, e.Kind, units, date);
        return new EventOutcome { EventId = e.EventId, Status = EventStatus.Applied, Date = date };
    }

    /// <summary>
    /// Books a day's price and promotion: any day from <see cref="LiveSkuOptions.MaxHistoryDays"/> before the open day (the
    /// history the model reads) to <see cref="LiveDaysGrain.MaxDaysAhead"/> after the current business day (planned prices
    /// and promotions). A later event for the same day replaces it. Its id is remembered as a sale's is.
    /// </summary>
    private EventOutcome ApplyPrice(LiveEvent e, DateOnly today, int maxEventIds)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(e.EventId) || e.EventId.Length > 100)
        {
            errors.Add(new("eventId", "is required: 1-100 characters."));
        }

        if (e.Price is { } price && (DomainLimits.MoneyProblem(price) is not null || price == 0))
        {
            errors.Add(new("price", "must be above 0 and at most 1000000000 (leave it out for the unit price)."));
        }

        var date = e.Date ?? OpenDate;
        var (oldest, latest) = (OpenDate.AddDays(-LiveSkuOptions.MaxHistoryDays), today.AddDays(LiveDaysGrain.MaxDaysAhead));
        if (date < oldest || date > latest)
        {
            errors.Add(new("date", $"must be within {oldest:yyyy-MM-dd}..{latest:yyyy-MM-dd}."));
        }

        if (errors.Count > 0)
        {
            return Invalid(e, [.. errors]);
        }

        var content = string.Create(CultureInfo.InvariantCulture, $"price={e.Price:R};promo={e.Promo}");
        if (_events.TryGetValue(e.EventId, out var seen))
        {
            var same = seen.Kind == e.Kind && seen.Content == content && (e.Date is null || e.Date == seen.Date);
            return EventOutcome.Seen(e.EventId, seen.Date, same, () => $"as a {Describe(seen.Kind)} on {seen.Date:yyyy-MM-dd}{(seen.Content is null ? "" : $" ({seen.Content})")}");
        }

        if (_events.Count >= maxEventIds)
        {
            return new EventOutcome
            {
                EventId = e.EventId,
                Status = EventStatus.LimitReached,
                Detail = $"SKU '{Sku}' holds {_events.Count} event ids of open days, its limit; close days or send fewer events.",
            };
        }

        _prices[date] = new LivePriceDay { Date = date, Price = e.Price, Promo = e.Promo };
        _events[e.EventId] = new RememberedEvent(e.EventId, e.Kind, 0, date) { Content = content };
        return new EventOutcome { EventId = e.EventId, Status = EventStatus.Applied, Date = date };
    }

    /// <summary>Why the days from the open day through <paramref name="target"/> cannot be closed, or null; checks every day and changes nothing.</summary>
    public string? CloseProblem(DateOnly target)
    {
        if (Ledger is null)
        {
            return $"SKU '{Sku}' is not defined.";
        }

        foreach (var day in _pending.Values.Where(p => p.Date <= target).OrderBy(p => p.Date))
        {
            if (DomainLimits.UnitsProblem(day.Sales) is { } sales)
            {
                return $"The sales of {day.Date:yyyy-MM-dd} {sales}; the day stays open with its events.";
            }

            if (DomainLimits.UnitsProblem(day.Receipts) is { } receipts)
            {
                return $"The receipts of {day.Date:yyyy-MM-dd} {receipts}; the day stays open with its events.";
            }
        }

        return null;
    }

    /// <summary>
    /// Closes every day from the open day through <paramref name="target"/> (check <see cref="CloseProblem"/>
    /// first) and forgets the event ids of the days before <paramref name="target"/>: their days refuse events.
    /// </summary>
    public List<LiveDay> Close(DateOnly target)
    {
        if (CloseProblem(target) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var closed = new List<LiveDay>();
        while (OpenDate <= target)
        {
            closed.Add(CloseOne(OpenDate));
        }

        foreach (var old in _events.Values.Where(e => e.Date < target).Select(e => e.EventId).ToList())
        {
            _events.Remove(old);
        }

        var oldest = OpenDate.AddDays(-LiveSkuOptions.MaxHistoryDays);
        foreach (var old in _prices.Keys.Where(d => d < oldest).ToList())
        {
            _prices.Remove(old);
        }

        _stockouts.RemoveWhere(d => d < oldest);

        return closed;
    }

    /// <summary>
    /// The SKU's season under <paramref name="policy"/>: open-ended, reviewed on the ledger's review days, with no
    /// outlook source (the grain forecasts at each close and hands the outlook to <see cref="SeasonStep.Suggest"/>).
    /// </summary>
    public SeasonStep Season(IReorderPolicy policy) =>
        new(Ledger ?? throw new InvalidOperationException($"SKU '{Sku}' is not defined."), policy);

    /// <summary>Places an accepted order in the ledger; it arrives after the lead time.</summary>
    public void PlaceOrder(double units)
    {
        var ledger = Ledger ?? throw new InvalidOperationException($"SKU '{Sku}' is not defined.");
        ledger.PlaceOrder(units);
        KeepOnGrid();
    }

    /// <summary>Replaces everything with <paramref name="saved"/> (an empty state: not defined).</summary>
    public void Load(LiveSkuState? saved)
    {
        Definition = null;
        Ledger = null;
        OpenDate = default;
        _days.Clear();
        _sales.Clear();
        _prices.Clear();
        _stockouts.Clear();
        _pending.Clear();
        _events.Clear();
        if (saved?.Definition is not { } definition || saved.Ledger is not { } ledger)
        {
            return;
        }

        Definition = definition;
        Ledger = InventoryLedger.Restore(
            definition.Terms.ToDomain(), definition.Costs.ToDomain(), definition.Fulfilment.ToDomain(), definition.ReviewPeriodDays, ledger.ToDomain());
        OpenDate = saved.OpenDate;
        _days.AddRange(saved.Days);
        if (saved.SalesHistory is { } sales)
        {
            _sales.AddRange(sales);
        }
        else
        {
            // stored before the whole history was kept: the closed days it has, after the seed when no day is missing between
            if (Ledger.Day == saved.Days.Length)
            {
                _sales.AddRange(definition.History ?? []);
            }

            _sales.AddRange(saved.Days.Select(d => d.Sales));
        }
        foreach (var p in saved.Pending)
        {
            _pending[p.Date] = p;
        }

        foreach (var p in saved.Prices)
        {
            _prices[p.Date] = p;
        }

        // stored before stockout days were kept: those of the closed days it has
        _stockouts.UnionWith(saved.StockoutDays ?? [.. saved.Days.Where(d => d.OnHand <= 0).Select(d => d.Date)]);

        foreach (var e in saved.Events)
        {
            _events[e.EventId] = e;
        }
    }

    /// <summary>The book's part of the persisted state (forecast, orders and warning left at their defaults).</summary>
    public LiveSkuState Capture() => new()
    {
        Definition = Definition,
        OpenDate = OpenDate,
        Ledger = Ledger?.Capture().ToWire(),
        Days = [.. _days],
        SalesHistory = [.. _sales],
        Prices = [.. _prices.Values],
        StockoutDays = [.. _stockouts],
        Pending = [.. _pending.Values.OrderBy(p => p.Date)],
        Events = [.. _events.Values],
    };

    /// <summary>
    /// Runs the day sequence for the open day: receipts and due orders arrive, then its sales are the demand. Orders are
    /// placed from outside the step (a planner accepts the grain's suggestion), so the day steps under
    /// <see cref="SeasonStep.OrdersPlacedOutside"/>; a review day closes the review cycle before it, as in a replay.
    /// </summary>
    private LiveDay CloseOne(DateOnly date)
    {
        var ledger = Ledger!;
        _pending.Remove(date, out var booked);
        var receipts = booked?.Receipts ?? 0;
        if (receipts > 0)
        {
            ledger.ReceiveUnplanned(receipts);
        }

        var outcome = Season(SeasonStep.OrdersPlacedOutside).Step(booked?.Sales ?? 0);
        KeepOnGrid();
        var day = new LiveDay
        {
            Date = date,
            Sales = outcome.Demand,
            Receipts = receipts,
            Received = DomainLimits.RoundUnits(outcome.Received + receipts),
            Filled = outcome.FilledOnDemand,
            Shortage = outcome.Shortage,
            OnHand = Ledger!.OnHand,
            OnOrder = Ledger.OnOrder,
            Backorders = Ledger.Backorders,
        };
        _days.Add(day);
        _sales.Add(day.Sales);
        if (day.OnHand <= 0)
        {
            _stockouts.Add(date);
        }

        if (_sales.Count > LiveSkuOptions.MaxHistoryDays)
        {
            _sales.RemoveRange(0, _sales.Count - LiveSkuOptions.MaxHistoryDays);
        }

        if (_days.Count > LiveSkuOptions.WindowDays)
        {
            _days.RemoveRange(0, _days.Count - LiveSkuOptions.WindowDays);
        }

        OpenDate = date.AddDays(1);
        return day;
    }

    /// <summary>Rounds the ledger's quantities to the unit step, so sums of many days stay exact.</summary>
    private void KeepOnGrid()
    {
        var ledger = Ledger!;
        Ledger = InventoryLedger.Restore(ledger.Terms, ledger.Costs, ledger.Fulfilment, ledger.ReviewPeriodDays, ledger.Capture().WithUnitsRounded());
    }

    private static EventOutcome Invalid(LiveEvent e, params FieldError[] errors) =>
        new() { EventId = e.EventId, Status = EventStatus.Invalid, Errors = errors };

    private static string Describe(LiveEventKind kind) => kind switch
    {
        LiveEventKind.Sale => "sale",
        LiveEventKind.Receipt => "receipt",
        _ => "price",
    };

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
