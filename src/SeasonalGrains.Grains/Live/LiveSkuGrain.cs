using System.Globalization;
using Microsoft.Extensions.Logging;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Abstractions.Live;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Grains.Hosting;
using SeasonalGrains.Grains.State;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// A live SKU (key <c>live/{sku}</c>). Sales and receipts are booked to business days and applied once
/// per event id. Closing a day runs the domain's day sequence for it (the day's receipts and the
/// accepted orders due arrive, then the day's sales are the demand), appends the day to the 28-day
/// window, forecasts the coming days from that window and asks the policy for an order, which becomes
/// an open suggestion until a planner accepts it (the ledger then places it) or a later close replaces it.
/// A daily reminder closes every open day before the current business day.
/// </summary>
/// <remarks>
/// Every change is written to grain storage before the call returns; if the write fails the activation
/// is dropped, so the next call starts again from what was stored. Orders are then published to the
/// order book (<see cref="IOrderBookGrain"/>); a failed publication is retried on a timer and again at
/// the next activation (the book keeps the highest version of each order, so repeats are harmless).
/// </remarks>
public sealed class LiveSkuGrain(
    [PersistentState("live-sku", StorageNames.Skus)] IPersistentState<LiveSkuState> state,
    LiveSkuRuntime runtime,
    ILogger<LiveSkuGrain> logger) : Grain, ILiveSkuGrain, IRemindable
{
    /// <summary>The name of the daily close reminder.</summary>
    public const string CloseReminder = "close-day";

    /// <summary>Most days one close call may close (a longer catch-up takes several calls).</summary>
    public const int MaxDaysPerClose = 366;

    private static readonly IReorderPolicy NoOrder = new NoOrderPolicy();

    private readonly Dictionary<DateOnly, PendingDay> _pending = [];
    private readonly Dictionary<string, RememberedEvent> _events = new(StringComparer.Ordinal);
    private readonly List<LiveDay> _days = [];
    private readonly List<LiveOrder> _orders = [];
    private string _sku = "";
    private LiveSkuDefinition? _definition;
    private InventoryLedger? _ledger;
    private DateOnly _openDate;
    private LiveForecast? _forecast;
    private string? _lastCloseWarning;
    private IGrainTimer? _publishRetry;

    private LiveSkuOptions Options => runtime.Options;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (!SkuKeys.IsLive(key))
        {
            throw new InvalidOperationException($"A live SKU grain needs a key 'live/{{sku}}' (got '{key}').");
        }

        _sku = key[(SkuKeys.LiveScope.Length + 1)..];
        Load(state.State);
        if (_orders.Count > 0)
        {
            await PublishOrders(_orders);
        }
    }

    public async Task<DefineOutcome> Define(LiveSkuDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Sku != _sku)
        {
            return new DefineOutcome { Status = DefineStatus.Invalid, Errors = [new("sku", $"The definition of '{definition.Sku}' was sent to SKU '{_sku}'.")] };
        }

        var errors = LiveDefinitionRules.Validate(definition, Options.Policies);
        if (errors.Count > 0)
        {
            return new DefineOutcome { Status = DefineStatus.Invalid, Errors = [.. errors], View = View() };
        }

        if (_definition is null || _ledger is null)
        {
            var created = definition with { StartDate = definition.StartDate ?? runtime.Today, History = definition.History ?? [] };
            _definition = created;
            _ledger = new InventoryLedger(created.Terms.ToDomain(), created.Costs.ToDomain(), created.Fulfilment.ToDomain(), created.ReviewPeriodDays);
            _openDate = created.StartDate!.Value;
            await Save();
            await RegisterCloseReminder();
            LiveLog.Defined(logger, _sku, _openDate);
            return new DefineOutcome { Status = DefineStatus.Created, View = View() };
        }

        var conflicts = LiveDefinitionRules.Conflicts(_definition, definition, _ledger.OnOrder, _ledger.Backorders);
        if (conflicts.Count > 0)
        {
            return new DefineOutcome { Status = DefineStatus.Conflict, Errors = [.. conflicts], View = View() };
        }

        var next = LiveDefinitionRules.Complete(definition, _definition);
        if (LiveDefinitionRules.Same(next, _definition))
        {
            return new DefineOutcome { Status = DefineStatus.Unchanged, View = View() };
        }

        _ledger = Rebuild(_ledger, next);
        _definition = next;
        await Save();
        await RegisterCloseReminder();
        return new DefineOutcome { Status = DefineStatus.Updated, View = View() };
    }

    public async Task<EventOutcome[]> Record(LiveEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var outcomes = new EventOutcome[events.Length];
        var changed = false;
        for (var i = 0; i < events.Length; i++)
        {
            outcomes[i] = Apply(events[i]);
            changed |= outcomes[i].Status == EventStatus.Applied;
        }

        if (changed)
        {
            await Save();
        }

        return outcomes;
    }

    public async Task<CloseOutcome> CloseDays(DateOnly? through)
    {
        if (_definition is null || _ledger is null)
        {
            return new CloseOutcome { Status = CloseStatus.UnknownSku, Detail = $"SKU '{_sku}' is not defined." };
        }

        var target = through ?? _openDate;
        if (target < _openDate)
        {
            return new CloseOutcome
            {
                Status = CloseStatus.AlreadyClosed,
                Detail = $"{target:yyyy-MM-dd} is already closed; the open day is {_openDate:yyyy-MM-dd}.",
                Suggestion = OpenSuggestion(),
                View = View(),
            };
        }

        var today = runtime.Today;
        if (target > today)
        {
            return new CloseOutcome
            {
                Status = CloseStatus.NotYetBegun,
                Detail = $"{target:yyyy-MM-dd} has not begun yet (today is {today:yyyy-MM-dd}).",
                View = View(),
            };
        }

        if (target.DayNumber - _openDate.DayNumber >= MaxDaysPerClose)
        {
            return new CloseOutcome
            {
                Status = CloseStatus.Invalid,
                Detail = $"One call closes at most {MaxDaysPerClose} days; the open day is {_openDate:yyyy-MM-dd}.",
                View = View(),
            };
        }

        var closed = new List<LiveDay>();
        while (_openDate <= target)
        {
            closed.Add(CloseOne(_openDate));
        }

        // ids of days before the last closed one can no longer be retried: their days refuse events
        foreach (var old in _events.Values.Where(e => e.Date < target).Select(e => e.EventId).ToList())
        {
            _events.Remove(old);
        }

        var changedOrders = Review();
        LiveMetrics.Closed(closed.Count, changedOrders.Any(o => o.Status == OrderStatus.Open));
        await Save();
        await PublishOrders(changedOrders);
        LiveLog.Closed(logger, _sku, closed.Count, target, OpenSuggestion()?.Units ?? 0);
        return new CloseOutcome { Status = CloseStatus.Closed, Closed = [.. closed], Suggestion = OpenSuggestion(), Detail = _lastCloseWarning, View = View() };
    }

    public Task<LiveSkuView?> GetView() => Task.FromResult(View());

    public Task<ForecastOutcome> Forecast(int horizon)
    {
        if (_definition is null)
        {
            return Task.FromResult(new ForecastOutcome { Status = ForecastStatus.UnknownSku, Detail = $"SKU '{_sku}' is not defined." });
        }

        if (horizon is < 1 or > 366)
        {
            return Task.FromResult(new ForecastOutcome { Status = ForecastStatus.Invalid, Detail = "The horizon must be 1-366 days." });
        }

        var forecast = runtime.Forecast(_sku, RecentSales(), _openDate, horizon);
        return Task.FromResult(forecast is null
            ? new ForecastOutcome { Status = ForecastStatus.NoHistory, Detail = $"SKU '{_sku}' has no sales history yet: close a day or define it with a history." }
            : new ForecastOutcome { Status = ForecastStatus.Done, Forecast = forecast });
    }

    public async Task<AcceptOutcome> AcceptOrder(string orderId)
    {
        var index = _orders.FindIndex(o => o.Id == orderId);
        if (_definition is null || _ledger is null || index < 0)
        {
            return new AcceptOutcome { Status = AcceptStatus.UnknownOrder, Detail = $"There is no order '{orderId}'." };
        }

        var order = _orders[index];
        switch (order.Status)
        {
            case OrderStatus.Accepted:
                return new AcceptOutcome { Status = AcceptStatus.AlreadyAccepted, Order = order };
            case OrderStatus.Superseded:
                return new AcceptOutcome { Status = AcceptStatus.NotOpen, Order = order, Detail = $"Order '{orderId}' was superseded by a later day's suggestion." };
        }

        _ledger.PlaceOrder(order.Units);
        var accepted = order with
        {
            Status = OrderStatus.Accepted,
            AcceptedAt = runtime.Time.GetUtcNow(),
            ExpectedArrival = _openDate.AddDays(_definition.Terms.LeadTimeDays),
            Version = order.Version + 1,
        };
        _orders[index] = accepted;
        LiveMetrics.Accepted();
        await Save();
        await PublishOrders([accepted]);
        return new AcceptOutcome { Status = AcceptStatus.Accepted, Order = accepted };
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CloseReminder || _definition is null)
        {
            return;
        }

        var yesterday = runtime.Today.AddDays(-1);
        while (_openDate <= yesterday)
        {
            var through = _openDate.AddDays(MaxDaysPerClose - 1);
            await CloseDays(through < yesterday ? through : yesterday);
        }
    }

    private EventOutcome Apply(LiveEvent e)
    {
        if (_definition is null)
        {
            return new EventOutcome { EventId = e.EventId, Status = EventStatus.UnknownSku, Detail = $"SKU '{_sku}' is not defined." };
        }

        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(e.EventId) || e.EventId.Length > 100)
        {
            errors.Add(new("eventId", "is required: 1-100 characters."));
        }

        if (!(double.IsFinite(e.Units) && e.Units > 0))
        {
            errors.Add(new("units", "must be a finite number > 0."));
        }

        if (!Enum.IsDefined(e.Kind))
        {
            errors.Add(new("kind", "is not a known event kind."));
        }

        if (errors.Count > 0)
        {
            return new EventOutcome { EventId = e.EventId, Status = EventStatus.Invalid, Errors = [.. errors] };
        }

        if (_events.TryGetValue(e.EventId, out var seen))
        {
            var same = seen.Kind == e.Kind && seen.Units == e.Units && (e.Date is null || e.Date == seen.Date);
            return same
                ? new EventOutcome { EventId = e.EventId, Status = EventStatus.Duplicate, Date = seen.Date }
                : new EventOutcome
                {
                    EventId = e.EventId,
                    Status = EventStatus.IdReused,
                    Date = seen.Date,
                    Detail = $"Event id '{e.EventId}' was applied before as a {Describe(seen.Kind)} of {Format(seen.Units)} units on {seen.Date:yyyy-MM-dd}.",
                };
        }

        var date = e.Date ?? _openDate;
        if (date < _definition.StartDate)
        {
            return new EventOutcome
            {
                EventId = e.EventId,
                Status = EventStatus.Invalid,
                Errors = [new("date", $"is before the SKU's first business day {_definition.StartDate:yyyy-MM-dd}.")],
            };
        }

        if (date < _openDate)
        {
            return new EventOutcome
            {
                EventId = e.EventId,
                Status = EventStatus.DayClosed,
                Detail = $"{date:yyyy-MM-dd} is closed; SKU '{_sku}' books events from {_openDate:yyyy-MM-dd} on.",
            };
        }

        var latest = (_openDate > runtime.Today ? _openDate : runtime.Today).AddDays(1);
        if (date > latest)
        {
            return new EventOutcome
            {
                EventId = e.EventId,
                Status = EventStatus.Invalid,
                Errors = [new("date", $"must not be after {latest:yyyy-MM-dd} (the day after the current business day).")],
            };
        }

        if (_events.Count >= Options.MaxEventIds)
        {
            return new EventOutcome
            {
                EventId = e.EventId,
                Status = EventStatus.LimitReached,
                Detail = $"SKU '{_sku}' holds {_events.Count} event ids of open days, its limit; close days or send fewer, larger events.",
            };
        }

        var pending = _pending.TryGetValue(date, out var p) ? p : new PendingDay(date, 0, 0);
        _pending[date] = e.Kind == LiveEventKind.Sale
            ? pending with { Sales = pending.Sales + e.Units }
            : pending with { Receipts = pending.Receipts + e.Units };
        _events[e.EventId] = new RememberedEvent(e.EventId, e.Kind, e.Units, date);
        return new EventOutcome { EventId = e.EventId, Status = EventStatus.Applied, Date = date };
    }

    /// <summary>Runs the day sequence for the open day: receipts and due orders arrive, then its sales are the demand.</summary>
    private LiveDay CloseOne(DateOnly date)
    {
        var ledger = _ledger!;
        _pending.Remove(date, out var booked);
        var receipts = booked?.Receipts ?? 0;
        if (receipts > 0)
        {
            ledger.ReceiveUnplanned(receipts);
        }

        var outcome = ledger.Step(new DayInput(booked?.Sales ?? 0, IsReviewDay: false), NoOrder);
        var day = new LiveDay
        {
            Date = date,
            Sales = outcome.Demand,
            Receipts = receipts,
            Received = outcome.Received + receipts,
            Filled = outcome.FilledOnDemand,
            Shortage = outcome.Shortage,
            OnHand = outcome.OnHand,
            OnOrder = outcome.OnOrder,
            Backorders = outcome.Backorders,
        };
        _days.Add(day);
        if (_days.Count > LiveSkuOptions.WindowDays)
        {
            _days.RemoveRange(0, _days.Count - LiveSkuOptions.WindowDays);
        }

        _openDate = date.AddDays(1);
        return day;
    }

    /// <summary>
    /// After a close: forecasts from the window and, on review days, asks the policy for an order for the
    /// open day. The previous open suggestion is superseded. Returns the orders that changed.
    /// </summary>
    private List<LiveOrder> Review()
    {
        var definition = _definition!;
        var ledger = _ledger!;
        var changed = new List<LiveOrder>();
        var open = _orders.FindIndex(o => o.Status == OrderStatus.Open);
        if (open >= 0)
        {
            _orders[open] = _orders[open] with { Status = OrderStatus.Superseded, Version = _orders[open].Version + 1 };
            changed.Add(_orders[open]);
        }

        _lastCloseWarning = null;
        var history = RecentSales();
        var protection = definition.Terms.LeadTimeDays + definition.ReviewPeriodDays;
        try
        {
            _forecast = runtime.Forecast(_sku, history, _openDate, Math.Max(Options.ForecastHorizonDays, protection));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            _forecast = null;
            _lastCloseWarning = $"The forecaster '{runtime.Forecaster.Name}' failed: {e.Message}";
            LiveLog.CloseWarning(logger, _sku, _lastCloseWarning);
        }

        if (!ledger.IsReviewDay(ledger.Day))
        {
            return changed;
        }

        double raw;
        try
        {
            var policy = Options.Policies.Create(definition.Policy.Name, LiveDefinitionRules.ToPolicyInputs(definition, history));
            var context = new ReviewContext
            {
                Day = ledger.Day,
                OnHand = ledger.OnHand,
                OnOrder = ledger.OnOrder,
                Backorders = ledger.Backorders,
                LeadTimeDays = definition.Terms.LeadTimeDays,
                ReviewPeriodDays = definition.ReviewPeriodDays,
                DaysToNextHoliday = int.MaxValue,
                Outlook = _forecast is { } f ? NormalOutlook.FromForecast(new SkuForecast(0, 0, f.Mean, f.Quantiles, f.Levels)) : null,
            };
            raw = policy.Order(in context);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            _lastCloseWarning = $"The policy '{definition.Policy.Name}' could not run: {e.Message}";
            LiveLog.CloseWarning(logger, _sku, _lastCloseWarning);
            return changed;
        }

        var units = ledger.Terms.RoundOrder(raw);
        if (units > 0)
        {
            var order = new LiveOrder
            {
                Id = LiveOrderIds.For(_sku, _openDate),
                Sku = _sku,
                Units = units,
                CreatedAt = runtime.Time.GetUtcNow(),
                ForDate = _openDate,
                Status = OrderStatus.Open,
                Version = 1,
                Policy = definition.Policy.Name,
                InventoryPosition = ledger.InventoryPosition,
                RawUnits = raw,
            };
            _orders.Insert(0, order);
            changed.Add(order);
            if (_orders.Count > Options.RecentOrders)
            {
                _orders.RemoveRange(Options.RecentOrders, _orders.Count - Options.RecentOrders);
            }
        }

        return changed;
    }

    /// <summary>The seed history followed by the closed days' sales: the last <see cref="LiveSkuOptions.WindowDays"/> days, oldest first.</summary>
    private double[] RecentSales()
    {
        var seed = _definition?.History ?? [];
        var all = seed.Concat(_days.Select(d => d.Sales)).ToArray();
        return all.Length <= LiveSkuOptions.WindowDays ? all : all[^LiveSkuOptions.WindowDays..];
    }

    private LiveOrder? OpenSuggestion() => _orders.Find(o => o.Status == OrderStatus.Open);

    private LiveSkuView? View()
    {
        if (_definition is null || _ledger is null)
        {
            return null;
        }

        var ledger = _ledger;

        // slot (day + i) of the pipeline arrives at the start of day + i; an order accepted today is due at i = lead time
        var pipeline = ledger.Capture().Pipeline;
        var dueIn = new double[pipeline.Length];
        for (var i = 0; i < dueIn.Length; i++)
        {
            dueIn[i] = pipeline[(ledger.Day + i) % pipeline.Length];
        }

        return new LiveSkuView
        {
            Definition = _definition,
            OpenDate = _openDate,
            DaysClosed = ledger.Day,
            OnHand = ledger.OnHand,
            OnOrder = ledger.OnOrder,
            Backorders = ledger.Backorders,
            PendingSales = _pending.Values.Sum(p => p.Sales),
            PendingReceipts = _pending.Values.Sum(p => p.Receipts),
            Days = [.. _days],
            SeedHistory = _definition.History ?? [],
            Forecast = _forecast,
            Suggestion = OpenSuggestion(),
            Orders = [.. _orders],
            DueIn = dueIn,
            Metrics = ledger.Snapshot().ToWire(),
            Forecaster = runtime.Forecaster.Name,
            LastCloseWarning = _lastCloseWarning,
        };
    }

    private void Load(LiveSkuState? saved)
    {
        if (saved?.Definition is not { } definition || saved.Ledger is not { } ledger)
        {
            return;
        }

        _definition = definition;
        _ledger = InventoryLedger.Restore(
            definition.Terms.ToDomain(), definition.Costs.ToDomain(), definition.Fulfilment.ToDomain(), definition.ReviewPeriodDays, ledger.ToDomain());
        _openDate = saved.OpenDate;
        _days.Clear();
        _days.AddRange(saved.Days);
        _pending.Clear();
        foreach (var p in saved.Pending)
        {
            _pending[p.Date] = p;
        }

        _events.Clear();
        foreach (var e in saved.Events)
        {
            _events[e.EventId] = e;
        }

        _forecast = saved.Forecast;
        _orders.Clear();
        _orders.AddRange(saved.Orders);
        _lastCloseWarning = saved.LastCloseWarning;
    }

    private async Task Save()
    {
        state.State = new LiveSkuState
        {
            Definition = _definition,
            OpenDate = _openDate,
            Ledger = _ledger!.Capture().ToWire(),
            Days = [.. _days],
            Pending = [.. _pending.Values.OrderBy(p => p.Date)],
            Events = [.. _events.Values],
            Forecast = _forecast,
            Orders = [.. _orders],
            LastCloseWarning = _lastCloseWarning,
        };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // what is in memory is ahead of storage: start the next call from what was stored
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>A ledger with the new terms and costs and the running ledger's state (a new lead time only with nothing on order).</summary>
    private static InventoryLedger Rebuild(InventoryLedger ledger, LiveSkuDefinition next)
    {
        var captured = ledger.Capture();
        var pipeline = next.Terms.LeadTimeDays == ledger.Terms.LeadTimeDays ? captured.Pipeline : new double[next.Terms.LeadTimeDays + 1];
        return InventoryLedger.Restore(
            next.Terms.ToDomain(), next.Costs.ToDomain(), next.Fulfilment.ToDomain(), next.ReviewPeriodDays, captured with { Pipeline = pipeline });
    }

    private async Task RegisterCloseReminder()
    {
        try
        {
            await this.RegisterOrUpdateReminder(CloseReminder, runtime.UntilNextClose(_sku), TimeSpan.FromDays(1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the SKU works without it (days close through the API); the log says why it is missing
            LiveLog.ReminderFailed(logger, e, _sku);
        }
    }

    private async Task PublishOrders(IReadOnlyCollection<LiveOrder> orders)
    {
        if (orders.Count == 0)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IOrderBookGrain>(OrderBook.ShardOf(_sku)).Publish([.. orders]);
            _publishRetry?.Dispose();
            _publishRetry = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LiveLog.PublishFailed(logger, e, _sku);
            _publishRetry ??= this.RegisterGrainTimer(
                static (grain, _) => grain.PublishOrders([.. grain._orders]),
                this,
                new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)) { Interleave = false });
        }
    }

    private static string Describe(LiveEventKind kind) => kind == LiveEventKind.Sale ? "sale" : "receipt";

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Stands in for the policy in the ledger's step: live SKUs review after the day's demand, in <see cref="Review"/>.</summary>
    private sealed class NoOrderPolicy : IReorderPolicy
    {
        public string Name => "none";

        public double Order(in ReviewContext context) => 0;
    }
}
