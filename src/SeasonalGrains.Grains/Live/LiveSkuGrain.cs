using Microsoft.Extensions.Logging;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Outlook;
using SeasonalGrains.Grains.Hosting;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// A live SKU (key <c>live/{sku}</c>). Sales and receipts are booked to business days and applied once
/// per event id. Closing a day runs the domain's day sequence for it (the day's receipts and the
/// accepted orders due arrive, then the day's sales are the demand), appends the day to the 28-day
/// window, forecasts the coming days from that window and asks the policy for an order, which becomes
/// an open suggestion until a planner accepts it (the ledger then places it) or a later close replaces it.
/// A daily reminder closes every open day before the current business day. With a challenger in the model registry it also
/// shadow-forecasts with it at each close and scores both versions on each closed day (<see cref="ShadowScoring"/>), in the
/// same state write as the close, and publishes its comparison to its shard of <see cref="IShadowScoresGrain"/>.
/// </summary>
/// <remarks>
/// The bookkeeping (events, days, the ledger) is a <see cref="LiveSkuBook"/>; values enter within
/// <see cref="DomainLimits"/>. Memory and storage change together: every change is written to grain
/// storage before the call returns, and if the change or the write fails, memory goes back to what was
/// stored (a failed close leaves its days open with their events) and the activation is dropped, so the
/// next call starts again from storage. Orders are then published to the
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

    /// <summary>
    /// How a forecast policy's outlook is built from the close's forecast: as a replay builds it
    /// (<see cref="ForecastOutlooks"/>, a replay's default settings), with the sample paths keyed by the SKU and its
    /// days closed, and the error sd measured on the SKU's own record (<see cref="LiveSkuState.ForecastErrors"/>; with fewer
    /// than <see cref="OutlookOptions.MinErrors"/> errors the forecast's own spread stands in, as in a replay's first reviews).
    /// </summary>
    private static readonly OutlookOptions LiveOutlook = new();

    private readonly List<LiveOrder> _orders = [];
    private LiveSkuBook _book = new("");
    private readonly List<ScoredDay> _scored = [];
    private readonly List<LiveForecastError> _errors = [];
    private LiveForecast? _forecast;
    private LiveForecast? _challengerForecast;
    private string? _lastCloseWarning;
    private IGrainTimer? _publishRetry;

    private LiveSkuOptions Options => runtime.Options;

    private string Sku => _book.Sku;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (!SkuKeys.IsLive(key))
        {
            throw new InvalidOperationException($"A live SKU grain needs a key 'live/{{sku}}' (got '{key}').");
        }

        _book = new LiveSkuBook(key[(SkuKeys.LiveScope.Length + 1)..]);
        Load(state.State);
        if (_orders.Count > 0)
        {
            await PublishOrders(_orders);
        }
    }

    public async Task<DefineOutcome> Define(LiveSkuDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Sku != Sku)
        {
            return new DefineOutcome { Status = DefineStatus.Invalid, Errors = [new("sku", $"The definition of '{definition.Sku}' was sent to SKU '{Sku}'.")] };
        }

        var errors = LiveDefinitionRules.Validate(definition, Options.Policies);
        if (errors.Count > 0)
        {
            return new DefineOutcome { Status = DefineStatus.Invalid, Errors = [.. errors], View = View() };
        }

        if (_book.Definition is not { } current || _book.Ledger is not { } ledger)
        {
            var created = LiveDefinitionRules.Complete(definition, null) with { StartDate = definition.StartDate ?? runtime.Today };
            await Change(() => { _book.Create(created); return Task.FromResult((0, true)); });
            await RegisterCloseReminder();
            LiveLog.Defined(logger, Sku, _book.OpenDate);
            return new DefineOutcome { Status = DefineStatus.Created, View = View() };
        }

        var conflicts = LiveDefinitionRules.Conflicts(current, definition, ledger.OnOrder, ledger.Backorders);
        if (conflicts.Count > 0)
        {
            return new DefineOutcome { Status = DefineStatus.Conflict, Errors = [.. conflicts], View = View() };
        }

        var next = LiveDefinitionRules.Complete(definition, current);
        if (LiveDefinitionRules.Same(next, current))
        {
            return new DefineOutcome { Status = DefineStatus.Unchanged, View = View() };
        }

        await Change(() => { _book.Redefine(next); return Task.FromResult((0, true)); });
        await RegisterCloseReminder();
        return new DefineOutcome { Status = DefineStatus.Updated, View = View() };
    }

    public Task<EventOutcome[]> Record(LiveEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return Change(() =>
        {
            var outcomes = new EventOutcome[events.Length];
            var changed = false;
            for (var i = 0; i < events.Length; i++)
            {
                outcomes[i] = _book.Apply(events[i], runtime.Today, Options.MaxEventIds);
                changed |= outcomes[i].Status == EventStatus.Applied;
            }

            return Task.FromResult((outcomes, changed));
        });
    }

    public async Task<CloseOutcome> CloseDays(DateOnly? through)
    {
        if (_book.Definition is null)
        {
            return new CloseOutcome { Status = CloseStatus.UnknownSku, Detail = $"SKU '{Sku}' is not defined." };
        }

        var open = _book.OpenDate;
        var target = through ?? open;
        if (target < open)
        {
            return new CloseOutcome
            {
                Status = CloseStatus.AlreadyClosed,
                Detail = $"{target:yyyy-MM-dd} is already closed; the open day is {open:yyyy-MM-dd}.",
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

        if (target.DayNumber - open.DayNumber >= MaxDaysPerClose)
        {
            return Refused($"One call closes at most {MaxDaysPerClose} days; the open day is {open:yyyy-MM-dd}.");
        }

        // every day is checked before anything changes: a day that cannot close stays open with its events
        if (_book.CloseProblem(target) is { } problem)
        {
            return Refused(problem);
        }

        var (closed, changedOrders) = await Change(async () =>
        {
            var days = _book.Close(target);
            ScoreClosedDays(days);
            return ((days, await Review()), true);
        });
        LiveMetrics.Closed(closed.Count, changedOrders.Any(o => o.Status == OrderStatus.Open));
        await PublishOrders(changedOrders);
        await PublishShadowScores();
        LiveLog.Closed(logger, Sku, closed.Count, target, OpenSuggestion()?.Units ?? 0);
        return new CloseOutcome { Status = CloseStatus.Closed, Closed = [.. closed], Suggestion = OpenSuggestion(), Detail = _lastCloseWarning, View = View() };
    }

    public Task<LiveSkuView?> GetView() => Task.FromResult(View());

    public async Task<ForecastOutcome> Forecast(int horizon)
    {
        if (_book.Definition is null)
        {
            return new ForecastOutcome { Status = ForecastStatus.UnknownSku, Detail = $"SKU '{Sku}' is not defined." };
        }

        if (horizon is < 1 or > 366)
        {
            return new ForecastOutcome { Status = ForecastStatus.Invalid, Detail = "The horizon must be 1-366 days." };
        }

        var forecast = await runtime.ForecastAsync(await FeatureWindow(horizon), horizon);
        return forecast is null
            ? new ForecastOutcome { Status = ForecastStatus.NoHistory, Detail = $"SKU '{Sku}' has no sales history yet: close a day or define it with a history." }
            : new ForecastOutcome { Status = ForecastStatus.Done, Result = forecast };
    }

    public async Task<AcceptOutcome> AcceptOrder(string orderId)
    {
        var index = _orders.FindIndex(o => o.Id == orderId);
        if (_book.Definition is not { } definition || index < 0)
        {
            return new AcceptOutcome { Status = AcceptStatus.UnknownOrder, Detail = $"There is no order '{orderId}'." };
        }

        var order = _orders[index];
        switch (order.Status)
        {
            case OrderStatus.Accepted:
                return new AcceptOutcome { Status = AcceptStatus.AlreadyAccepted, Result = order };
            case OrderStatus.Superseded:
                return new AcceptOutcome { Status = AcceptStatus.NotOpen, Result = order, Detail = $"Order '{orderId}' was superseded by a later day's suggestion." };
        }

        var accepted = order with
        {
            Status = OrderStatus.Accepted,
            AcceptedAt = runtime.Time.GetUtcNow(),
            ExpectedArrival = _book.OpenDate.AddDays(definition.Terms.LeadTimeDays),
            Version = order.Version + 1,
        };
        await Change(() =>
        {
            _book.PlaceOrder(order.Units);
            _orders[index] = accepted;
            return Task.FromResult((0, true));
        });
        LiveMetrics.Accepted();
        await PublishOrders([accepted]);
        return new AcceptOutcome { Status = AcceptStatus.Accepted, Result = accepted };
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CloseReminder || _book.Definition is null)
        {
            return;
        }

        var yesterday = runtime.Today.AddDays(-1);
        while (_book.OpenDate <= yesterday)
        {
            var through = _book.OpenDate.AddDays(MaxDaysPerClose - 1);
            var outcome = await CloseDays(through < yesterday ? through : yesterday);
            if (outcome.Status != CloseStatus.Closed)
            {
                LiveLog.CloseWarning(logger, Sku, outcome.Detail ?? outcome.Status.ToString());
                return;
            }
        }
    }

    private CloseOutcome Refused(string detail) => new() { Status = CloseStatus.Invalid, Detail = detail, View = View() };

    /// <summary>
    /// Runs <paramref name="change"/> and, when it says it changed something, writes the state. If the
    /// change or the write fails, memory goes back to what was stored and the activation is dropped.
    /// </summary>
    private async Task<T> Change<T>(Func<Task<(T Result, bool Changed)>> change)
    {
        var stored = state.State;
        try
        {
            var (result, changed) = await change();
            if (changed)
            {
                state.State = Current();
                await state.WriteStateAsync();
            }

            return result;
        }
        catch
        {
            // a write that failed late may still have been stored: the next activation reads storage again
            state.State = stored;
            Load(stored);
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// After a close: forecasts from the window and, on review days, asks the policy for an order for the
    /// open day. The previous open suggestion is superseded. Returns the orders that changed.
    /// </summary>
    private async Task<List<LiveOrder>> Review()
    {
        var definition = _book.Definition!;
        var ledger = _book.Ledger!;
        var changed = new List<LiveOrder>();
        var open = _orders.FindIndex(o => o.Status == OrderStatus.Open);
        if (open >= 0)
        {
            _orders[open] = _orders[open] with { Status = OrderStatus.Superseded, Version = _orders[open].Version + 1 };
            changed.Add(_orders[open]);
        }

        _lastCloseWarning = null;
        _challengerForecast = null;
        var history = RecentSales();
        var protection = definition.Terms.LeadTimeDays + definition.ReviewPeriodDays;
        LiveFeatureWindow? window = null;
        double[][]? sums = null;
        var horizon = Math.Max(Options.ForecastHorizonDays, protection);
        try
        {
            window = await FeatureWindow(horizon);
            (_forecast, sums) = await runtime.ForecastWithSumsAsync(window, horizon);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ObjectDisposedException)
        {
            _forecast = null;
            _lastCloseWarning = $"The forecaster '{runtime.ForecasterName}' failed: {e.Message}";
            LiveLog.CloseWarning(logger, Sku, _lastCloseWarning);
        }

        await ShadowForecast(window, horizon);

        if (!ledger.IsReviewDay(ledger.Day))
        {
            return changed;
        }

        OrderSuggestion suggestion;
        try
        {
            var season = _book.Season(Options.Policies.Create(definition.Policy.Name, LiveDefinitionRules.ToPolicyInputs(definition, history)));
            var outlook = _forecast is { } f
                ? ForecastOutlooks.Build(
                    new SkuForecast(0, ledger.Day, f.Mean, f.Quantiles, f.Levels) { IntervalQuantiles = sums }, LiveOutlook, Sku,
                    MeasuredErrorStandardDeviation())
                : null;
            suggestion = season.Suggest(outlook: outlook);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            _lastCloseWarning = $"The policy '{definition.Policy.Name}' could not run: {e.Message}";
            LiveLog.CloseWarning(logger, Sku, _lastCloseWarning);
            return changed;
        }

        var units = DomainLimits.RoundUnits(suggestion.Units);
        if (units > 0)
        {
            var order = new LiveOrder
            {
                Id = LiveOrderIds.For(Sku, _book.OpenDate),
                Sku = Sku,
                Units = units,
                CreatedAt = runtime.Time.GetUtcNow(),
                ForDate = _book.OpenDate,
                Status = OrderStatus.Open,
                Version = 1,
                Policy = definition.Policy.Name,
                InventoryPosition = ledger.InventoryPosition,
                RawUnits = suggestion.Raw,
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

    /// <summary>
    /// The challenger's shadow forecast from the same window, through the challenger's batcher; kept only when the model
    /// served the SKU (a fallback forecast is not the challenger's). Its failure is logged and changes nothing else.
    /// </summary>
    private async Task ShadowForecast(LiveFeatureWindow? window, int horizon)
    {
        if (window is null || runtime.Models?.Challenger is not { } challenger || challenger.Version == _forecast?.ModelVersion)
        {
            return;
        }

        try
        {
            var shadow = await runtime.ForecastAsync(window, horizon, challenger);
            _challengerForecast = shadow is { FallbackReason: null } ? shadow : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ObjectDisposedException)
        {
            LiveLog.CloseWarning(logger, Sku, $"The challenger {challenger.Version} could not forecast: {e.Message}");
        }
    }

    /// <summary>
    /// Scores each closed day with the forecasts made at the close before it (the active version's and the challenger's),
    /// and records the active forecast's error on it for the outlooks (the last <see cref="OutlookOptions.ErrorWindowDays"/> days).
    /// </summary>
    private void ScoreClosedDays(List<LiveDay> days)
    {
        foreach (var day in days)
        {
            if (_forecast is { } f && day.Date.DayNumber - f.Start.DayNumber is var h && h >= 0 && h < f.Mean.Length && double.IsFinite(f.Mean[h]))
            {
                _errors.Add(new LiveForecastError(day.Date, day.Sales - f.Mean[h]));
            }

            if (ShadowScoring.ScoreDay(day, _forecast, _challengerForecast) is { } scored)
            {
                ShadowScoring.Append(_scored, scored);
            }
        }

        if (days.Count > 0)
        {
            var oldest = days[^1].Date.AddDays(1 - LiveOutlook.ErrorWindowDays);
            _errors.RemoveAll(e => e.Date < oldest);
        }
    }

    /// <summary>The error sd measured on the SKU's record of forecast errors (<see cref="ForecastOutlooks.MeasuredErrorStandardDeviation"/>).</summary>
    private double? MeasuredErrorStandardDeviation() =>
        ForecastOutlooks.MeasuredErrorStandardDeviation([.. _errors.Select(e => e.Error)], LiveOutlook);

    /// <summary>This SKU's comparison of the active version and the challenger now; null without a challenger.</summary>
    private ShadowSummary? ShadowSummary() =>
        runtime.ModelVersion is { } active && runtime.ChallengerVersion is { } challenger && _book.Ledger is { } ledger
            ? ShadowScoring.Summarize(Sku, active, challenger, _scored, _book.SalesHistory, _book.OpenDate, ledger.Day)
            : null;

    /// <summary>Publishes the SKU's comparison to its shard of the shadow scores (a failure is logged: the next close publishes the whole window again).</summary>
    private async Task PublishShadowScores()
    {
        if (ShadowSummary() is not { } summary)
        {
            return;
        }

        try
        {
            await GrainFactory.GetGrain<IShadowScoresGrain>(OrderBook.ShardOf(Sku)).Publish(summary);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LiveLog.PublishFailed(logger, e, Sku);
        }
    }

    /// <summary>The seed history followed by the closed days' sales: the last <see cref="LiveSkuOptions.WindowDays"/> days, oldest first.</summary>
    private double[] RecentSales()
    {
        var all = _book.SalesHistory;
        return [.. all.Skip(Math.Max(0, all.Count - LiveSkuOptions.WindowDays))];
    }

    /// <summary>
    /// What the SKU forecasts from at its open day: master data, the whole sales history kept, its prices and promotions
    /// and, when it forecasts with the LSTM, the shop's calendar and its region's weather over the history and the
    /// <paramref name="horizon"/> days ahead (history forecasters read units only).
    /// </summary>
    private async Task<LiveFeatureWindow> FeatureWindow(int horizon)
    {
        var definition = _book.Definition!;
        var window = new LiveFeatureWindow
        {
            Sku = Sku,
            Category = definition.Category,
            Region = definition.Region,
            UnitPrice = definition.Terms.UnitPrice,
            Origin = _book.OpenDate,
            Units = [.. _book.SalesHistory],
            Prices = [.. _book.Prices],
        };
        if (runtime.Models is null || window.Units.Count == 0)
        {
            return window;
        }

        var (from, to) = (window.HistoryStart, window.Origin.AddDays(horizon));
        var calendar = GrainFactory.GetGrain<ILiveDaysGrain>(ILiveDaysGrain.ShopKey).CalendarDays(from, to);
        var weather = GrainFactory.GetGrain<ILiveDaysGrain>(ILiveDaysGrain.WeatherKey(definition.Region)).WeatherDays(from, to);
        return window with { Calendar = await calendar, Weather = await weather };
    }

    private LiveOrder? OpenSuggestion() => _orders.Find(o => o.Status == OrderStatus.Open);

    private LiveSkuView? View()
    {
        if (_book.Definition is not { } definition || _book.Ledger is not { } ledger)
        {
            return null;
        }

        // slot (day + i) of the pipeline arrives at the start of day + i; an order accepted today is due at i = lead time
        var pipeline = ledger.Capture().Pipeline;
        var dueIn = new double[pipeline.Length];
        for (var i = 0; i < dueIn.Length; i++)
        {
            dueIn[i] = pipeline[(ledger.Day + i) % pipeline.Length];
        }

        return new LiveSkuView
        {
            Definition = definition,
            OpenDate = _book.OpenDate,
            DaysClosed = ledger.Day,
            OnHand = ledger.OnHand,
            OnOrder = ledger.OnOrder,
            Backorders = ledger.Backorders,
            PendingSales = _book.PendingSales,
            PendingReceipts = _book.PendingReceipts,
            Days = [.. _book.Days],
            SeedHistory = definition.History ?? [],
            Forecast = _forecast,
            Suggestion = OpenSuggestion(),
            Orders = [.. _orders],
            DueIn = dueIn,
            Metrics = ledger.Snapshot(),
            Forecaster = runtime.ForecasterName,
            ModelVersion = runtime.ModelVersion,
            Prices = [.. _book.Prices],
            LastCloseWarning = _lastCloseWarning,
            ChallengerVersion = runtime.ChallengerVersion,
            ChallengerForecast = _challengerForecast,
            ScoredDays = [.. _scored],
            Shadow = ShadowSummary(),
            ErrorStandardDeviation = MeasuredErrorStandardDeviation(),
        };
    }

    /// <summary>Replaces what is in memory with <paramref name="saved"/>.</summary>
    private void Load(LiveSkuState? saved)
    {
        _book.Load(saved);
        _forecast = saved?.Forecast;
        _challengerForecast = saved?.ChallengerForecast;
        _scored.Clear();
        _scored.AddRange(saved?.ScoredDays ?? []);
        _errors.Clear();
        _errors.AddRange(saved?.ForecastErrors ?? []);
        _orders.Clear();
        _orders.AddRange(saved?.Orders ?? []);
        _lastCloseWarning = saved?.LastCloseWarning;
    }

    /// <summary>What is in memory, as it is stored.</summary>
    private LiveSkuState Current() => _book.Capture() with
    {
        Forecast = _forecast,
        Orders = [.. _orders],
        LastCloseWarning = _lastCloseWarning,
        ChallengerForecast = _challengerForecast,
        ScoredDays = [.. _scored],
        ForecastErrors = [.. _errors],
    };

    private async Task RegisterCloseReminder()
    {
        try
        {
            await this.RegisterOrUpdateReminder(CloseReminder, runtime.UntilNextClose(Sku), TimeSpan.FromDays(1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the SKU works without it (days close through the API); the log says why it is missing
            LiveLog.ReminderFailed(logger, e, Sku);
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
            await GrainFactory.GetGrain<IOrderBookGrain>(OrderBook.ShardOf(Sku)).Publish([.. orders]);
            _publishRetry?.Dispose();
            _publishRetry = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LiveLog.PublishFailed(logger, e, Sku);
            _publishRetry ??= this.RegisterGrainTimer(
                static (grain, _) => grain.PublishOrders([.. grain._orders]),
                this,
                new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)) { Interleave = false });
        }
    }
}
