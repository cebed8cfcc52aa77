using SeasonalGrains.Abstractions;
using SeasonalGrains.Abstractions.Live;
using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Grains.Live;

namespace SeasonalGrains.Host.Tests;

/// <summary>
/// The live SKU's bookkeeping (<see cref="LiveSkuBook"/>, the state the grain stores) against a simple
/// model of the ledger in exact decimals: random sales and receipts (some beyond the limits), retries of
/// acknowledged events, closes, restarts from the stored state and changes that fail and are rolled back
/// to it, as the grain does. No acknowledged event is lost or applied twice, and the totals are exact.
/// </summary>
public sealed class LiveSkuBookProperties
{
    private const int Cases = 10_000;
    private static readonly DateOnly Start = new(2025, 3, 1);
    private static readonly DateOnly Today = Start.AddDays(12);

    /// <summary>Valid quantities (decimal, as the model keeps them) and ones the door must refuse.</summary>
    private static readonly decimal[] ValidUnits = [0.1m, 0.25m, 1m, 3m, 7.5m, 0.000001m, 400_000_000m];
    private static readonly double[] InvalidUnits = [1e308, 5e-324, -1, 0, 1e9 + 1, double.NaN];

    [Fact]
    public void No_acknowledged_event_is_lost_or_applied_twice_in_10000_random_histories()
    {
        var operations = 0;
        for (var seed = 1; seed <= Cases; seed++)
        {
            operations += RunCase(seed);
        }

        Assert.True(operations > 10 * Cases, $"{operations} operations");
    }

    /// <summary>A day stored before the limits (two sales of 1e308) is not closed: nothing changes, its events stay pending.</summary>
    [Fact]
    public void A_stored_day_beyond_the_limits_is_refused_before_anything_changes()
    {
        var book = new LiveSkuBook("p");
        book.Create(Definition(FulfilmentMode.Backorders, initialOnHand: 10));
        Assert.Equal(EventStatus.Applied, book.Apply(new LiveEvent { EventId = "a", Kind = LiveEventKind.Sale, Units = 4 }, Today, 100).Status);
        var legacy = book.Capture() with
        {
            Pending = [new PendingDay(Start, double.PositiveInfinity, 0)],
            Events = [new RememberedEvent("a", LiveEventKind.Sale, 1e308, Start), new RememberedEvent("b", LiveEventKind.Sale, 1e308, Start)],
        };
        book.Load(legacy);

        var problem = book.CloseProblem(Start);
        Assert.Equal("The sales of 2025-03-01 must be 0 or a number of units from 0.000001 to 1000000000 (got Infinity); the day stays open with its events.", problem);
        Assert.Throws<InvalidOperationException>(() => book.Close(Start));
        Assert.Equal(Start, book.OpenDate);
        Assert.Equal(0, book.Ledger!.Day);
        Assert.Equal(10, book.Ledger.OnHand);
        Assert.Equal(legacy.Pending, book.Capture().Pending);
        Assert.Equal(2, book.EventIdCount);
    }

    /// <summary>
    /// Review period 2, on hand 5, lost sales, no orders: days 1-2 March sell 1 + 1 (3 left), 3-4 March sell 1 and then 2
    /// of 5 (a stockout), 5-6 March sell nothing. Three review cycles, one with a stockout: a cycle service level of 2/3.
    /// </summary>
    [Fact]
    public void Review_cycles_close_on_review_days_as_in_a_replay()
    {
        var book = new LiveSkuBook("p");
        book.Create(Definition(FulfilmentMode.LostSales, initialOnHand: 5) with { ReviewPeriodDays = 2 });
        double[] sales = [1, 1, 1, 5, 0, 0];
        for (var d = 0; d < sales.Length; d++)
        {
            if (sales[d] > 0)
            {
                var sale = new LiveEvent { EventId = $"s{d}", Kind = LiveEventKind.Sale, Units = sales[d], Date = Start.AddDays(d) };
                Assert.Equal(EventStatus.Applied, book.Apply(sale, Today, 100).Status);
            }
        }

        book.Close(Start.AddDays(1));
        Assert.Equal((1, 0), (book.Ledger!.Snapshot().Cycles, book.Ledger.Snapshot().CyclesWithStockout));
        book.Close(Start.AddDays(5));

        var metrics = book.Ledger!.Snapshot();
        Assert.Equal(6, metrics.Days);
        Assert.Equal(3, metrics.Cycles);
        Assert.Equal(1, metrics.CyclesWithStockout);
        Assert.Equal(1, metrics.StockoutDays);
        Assert.Equal(3, metrics.UnitsLost);
        Assert.Equal(2.0 / 3, metrics.CycleServiceLevel, 12);
    }

    private static int RunCase(int seed)
    {
        var random = new Random(seed);
        var fulfilment = random.Next(2) == 0 ? FulfilmentMode.Backorders : FulfilmentMode.LostSales;
        var book = new LiveSkuBook("p");
        book.Create(Definition(fulfilment, initialOnHand: random.Next(3) * 10));
        var model = new Model(book.Definition!.Terms.InitialOnHand);
        var steps = random.Next(5, 40);
        for (var step = 0; step < steps; step++)
        {
            var context = $"seed {seed}, step {step}";
            switch (random.Next(10))
            {
                case < 5:
                    NewEvent(book, model, random, context);
                    break;
                case 5 or 6:
                    Retry(book, model, random, context);
                    break;
                case 7:
                    Close(book, model, random, context);
                    break;
                case 8:
                    // a restart: a new activation reads what was stored
                    var stored = book.Capture();
                    book = new LiveSkuBook("p");
                    book.Load(stored);
                    break;
                default:
                    // a change whose write fails: the grain goes back to what was stored; nothing was acknowledged
                    var before = book.Capture();
                    var scratch = model.Copy();
                    if (random.Next(2) == 0)
                    {
                        NewEvent(book, scratch, random, context);
                    }
                    else
                    {
                        Close(book, scratch, random, context);
                    }

                    book.Load(before);
                    break;
            }

            model.Check(book, context);
        }

        return steps;
    }

    private static void NewEvent(LiveSkuBook book, Model model, Random random, string context)
    {
        var kind = random.Next(3) == 0 ? LiveEventKind.Receipt : LiveEventKind.Sale;
        var valid = random.Next(8) != 0;
        var exact = valid ? ValidUnits[random.Next(ValidUnits.Length)] : 0m;
        var units = valid ? (double)exact : InvalidUnits[random.Next(InvalidUnits.Length)];
        DateOnly? date = random.Next(2) == 0 ? null : book.OpenDate.AddDays(random.Next(-2, 3));
        var id = $"e{model.NextId++}";
        var outcome = book.Apply(new LiveEvent { EventId = id, Kind = kind, Units = units, Date = date }, Today, 20_000);

        var day = date ?? book.OpenDate;
        var expected = !valid || day < Start ? EventStatus.Invalid
            : day < book.OpenDate ? EventStatus.DayClosed
            : day > (book.OpenDate > Today ? book.OpenDate : Today).AddDays(1) ? EventStatus.Invalid
            : model.Booked(day, kind) + exact > 1_000_000_000m ? EventStatus.Invalid
            : EventStatus.Applied;
        Assert.True(expected == outcome.Status, $"{context}: {kind} {id} of {units} on {day}: expected {expected}, got {outcome.Status} {outcome.Detail}");
        if (outcome.Status == EventStatus.Applied)
        {
            Assert.Equal(day, outcome.Date);
            model.Acknowledge(new Acked(id, kind, exact, date, day));
        }
    }

    private static void Retry(LiveSkuBook book, Model model, Random random, string context)
    {
        if (model.Acknowledged.Count == 0)
        {
            return;
        }

        var e = model.Acknowledged[random.Next(model.Acknowledged.Count)];

        // a retry without a date is recognised while the id is remembered: its day is open or the last closed one
        if (e.Sent is null && e.Day < model.LastTarget)
        {
            return;
        }

        var outcome = book.Apply(new LiveEvent { EventId = e.Id, Kind = e.Kind, Units = (double)e.Units, Date = e.Sent }, Today, 20_000);
        var remembered = e.Day >= model.LastTarget;
        Assert.True(
            remembered ? outcome.Status == EventStatus.Duplicate : outcome.Status == EventStatus.DayClosed,
            $"{context}: retry of {e.Id} ({e.Kind} {e.Units} on {e.Day}) got {outcome.Status} {outcome.Detail}");
    }

    private static void Close(LiveSkuBook book, Model model, Random random, string context)
    {
        var target = book.OpenDate.AddDays(random.Next(-1, 4));
        if (target < book.OpenDate || target > Today)
        {
            return;
        }

        Assert.True(book.CloseProblem(target) is null, $"{context}: {book.CloseProblem(target)}");
        var closed = book.Close(target);
        Assert.Equal(target.DayNumber - model.OpenDate.DayNumber + 1, closed.Count);
        foreach (var day in closed)
        {
            Assert.Equal((double)model.Booked(day.Date, LiveEventKind.Sale), day.Sales);
            Assert.Equal((double)model.Booked(day.Date, LiveEventKind.Receipt), day.Receipts);
        }

        model.CloseThrough(target);
    }

    private static LiveSkuDefinition Definition(FulfilmentMode fulfilment, double initialOnHand) => new()
    {
        Sku = "p",
        Terms = new SkuTermsSpec { LeadTimeDays = 1, InitialOnHand = initialOnHand },
        Costs = new CostRatesSpec { HoldingPerUnitDay = 0.1, ShortagePerUnit = 1 },
        Fulfilment = fulfilment,
        Policy = new LivePolicy { Name = "sS" },
        StartDate = Start,
        History = [],
    };

    /// <summary>An acknowledged event: what was sent (<see cref="Sent"/> may be null) and the day it was booked to.</summary>
    private sealed record Acked(string Id, LiveEventKind Kind, decimal Units, DateOnly? Sent, DateOnly Day);

    /// <summary>What the book must show, in exact decimals.</summary>
    private sealed class Model(double initialOnHand)
    {
        private Dictionary<(DateOnly, LiveEventKind), decimal> _booked = [];

        public List<Acked> Acknowledged { get; private set; } = [];

        public DateOnly OpenDate { get; private set; } = Start;

        /// <summary>The target of the last close (ids of days before it are forgotten).</summary>
        public DateOnly LastTarget { get; private set; } = DateOnly.MinValue;

        public int NextId { get; set; }

        private decimal ClosedSales { get; set; }

        private decimal ClosedReceipts { get; set; }

        public decimal Booked(DateOnly day, LiveEventKind kind) => _booked.GetValueOrDefault((day, kind));

        public void Acknowledge(Acked e)
        {
            Assert.DoesNotContain(Acknowledged, a => a.Id == e.Id);
            Acknowledged.Add(e);
            _booked[(e.Day, e.Kind)] = Booked(e.Day, e.Kind) + e.Units;
        }

        public void CloseThrough(DateOnly target)
        {
            for (var day = OpenDate; day <= target; day = day.AddDays(1))
            {
                ClosedSales += Booked(day, LiveEventKind.Sale);
                ClosedReceipts += Booked(day, LiveEventKind.Receipt);
            }

            OpenDate = target.AddDays(1);
            LastTarget = target;
        }

        public Model Copy() => new(initialOnHand)
        {
            _booked = new(_booked),
            Acknowledged = [.. Acknowledged],
            OpenDate = OpenDate,
            LastTarget = LastTarget,
            NextId = NextId,
            ClosedSales = ClosedSales,
            ClosedReceipts = ClosedReceipts,
        };

        public void Check(LiveSkuBook book, string context)
        {
            var ledger = book.Ledger!;
            var metrics = ledger.Snapshot();
            var pendingSales = _booked.Where(b => b.Key.Item1 >= OpenDate && b.Key.Item2 == LiveEventKind.Sale).Sum(b => b.Value);
            var pendingReceipts = _booked.Where(b => b.Key.Item1 >= OpenDate && b.Key.Item2 == LiveEventKind.Receipt).Sum(b => b.Value);
            Assert.True(OpenDate == book.OpenDate, $"{context}: open day {book.OpenDate}, model {OpenDate}");
            Assert.True((double)pendingSales == book.PendingSales, $"{context}: pending sales {book.PendingSales}, model {pendingSales}");
            Assert.True((double)pendingReceipts == book.PendingReceipts, $"{context}: pending receipts {book.PendingReceipts}, model {pendingReceipts}");
            Assert.True((double)ClosedSales == metrics.UnitsDemanded, $"{context}: demanded {metrics.UnitsDemanded}, model {ClosedSales}");
            Assert.True((double)ClosedReceipts == metrics.UnitsReceived, $"{context}: received {metrics.UnitsReceived}, model {ClosedReceipts}");

            // stock is conserved exactly: what came in less what was sold (backorders are sales owed)
            var sold = ledger.Fulfilment == Fulfilment.Backorders ? ClosedSales : (decimal)metrics.UnitsSold;
            var expected = (decimal)initialOnHand + ClosedReceipts - sold;
            Assert.True((double)expected == DomainLimits.RoundUnits(ledger.OnHand - ledger.Backorders), $"{context}: on hand {ledger.OnHand} - backorders {ledger.Backorders}, model {expected}");
        }
    }
}
