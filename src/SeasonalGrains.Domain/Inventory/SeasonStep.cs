using SeasonalGrains.Domain.Policies;

namespace SeasonalGrains.Domain.Inventory;

/// <summary>Where the reviews of a season get their demand outlook, and what the source learns of each day's demand.</summary>
public interface IOutlookSource
{
    /// <summary>The outlook of the review on day <paramref name="day"/>.</summary>
    IDemandOutlook Review(int day);

    /// <summary>As <see cref="Review"/>, for a source that may wait on a forecast service.</summary>
    ValueTask<IDemandOutlook> ReviewAsync(int day) => new(Review(day));

    /// <summary>Day <paramref name="day"/> has run with <paramref name="demand"/>.</summary>
    void Observe(int day, double demand)
    {
    }

    /// <summary>A source that asks <paramref name="review"/> for each review's outlook and learns nothing from demand.</summary>
    static IOutlookSource From(Func<int, IDemandOutlook> review) => new FunctionOutlookSource(review);

    private sealed class FunctionOutlookSource(Func<int, IDemandOutlook> review) : IOutlookSource
    {
        private readonly Func<int, IDemandOutlook> _review = review ?? throw new ArgumentNullException(nameof(review));

        public IDemandOutlook Review(int day) => _review(day);
    }
}

/// <summary>A policy's order asked for ahead of its review day: the raw quantity and the quantity rounded to MOQ and case pack.</summary>
public readonly record struct OrderSuggestion(double Raw, double Units);

/// <summary>
/// One SKU's season, day by day: the ledger's day sequence under the reorder policy, with what each day needs
/// besides its demand: whether it is a review day (the ledger's review period), the days left to the season's end
/// (a season of known length ends on its last day) and, on review days, the outlook of the season's outlook source.
/// The SKU grain, the bare replay, tuning and live SKUs all step their seasons through this class.
/// </summary>
/// <remarks>
/// A live SKU's orders are placed from outside the step: its policy's order is asked for ahead of the review day with
/// <see cref="Suggest"/>, and a planner places it with <see cref="InventoryLedger.PlaceOrder"/>. Its days step under
/// <see cref="OrdersPlacedOutside"/>: review days still close and open review cycles, as in a replay.
/// </remarks>
/// <param name="ledger">The SKU's ledger; the step runs its next day.</param>
/// <param name="policy">The policy asked on review days.</param>
/// <param name="seasonDays">Days in the season (0 = open-ended: the policy sees no end).</param>
/// <param name="outlooks">The outlook of each review; null when the policy needs none.</param>
public sealed class SeasonStep(InventoryLedger ledger, IReorderPolicy policy, int seasonDays = 0, IOutlookSource? outlooks = null)
{
    /// <summary>The policy of a season whose orders are placed from outside the step: it never orders.</summary>
    public static IReorderPolicy OrdersPlacedOutside { get; } = new OutsideOrders();

    public InventoryLedger Ledger { get; } = ledger ?? throw new ArgumentNullException(nameof(ledger));

    public IReorderPolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>Days in the season; 0 when open-ended.</summary>
    public int SeasonDays { get; } = seasonDays >= 0 ? seasonDays : throw new ArgumentOutOfRangeException(nameof(seasonDays), seasonDays, "The season's length must be 0 (open-ended) or more days.");

    public IOutlookSource? Outlooks { get; } = outlooks;

    /// <summary>The next day to run.</summary>
    public int Day => Ledger.Day;

    /// <summary>Whether <paramref name="day"/> is a review day.</summary>
    public bool IsReviewDay(int day) => Ledger.IsReviewDay(day);

    /// <summary>Days from <paramref name="day"/> to the season's last day (0 on it); <see cref="int.MaxValue"/> when open-ended.</summary>
    public int DaysToSeasonEnd(int day) => SeasonDays > 0 ? SeasonDays - 1 - day : int.MaxValue;

    /// <summary>The input of the next day (<see cref="Day"/>) with <paramref name="demand"/>.</summary>
    public DayInput Input(double demand, int daysToNextHoliday = int.MaxValue, IDemandOutlook? outlook = null) =>
        new(demand, IsReviewDay(Day), daysToNextHoliday, outlook) { DaysToSeasonEnd = DaysToSeasonEnd(Day) };

    /// <summary>Runs the next day with <paramref name="demand"/>; a review day gets its outlook from <see cref="Outlooks"/>.</summary>
    public DayOutcome Step(double demand, int daysToNextHoliday = int.MaxValue)
    {
        var outlook = Outlooks is { } source && IsReviewDay(Day) ? source.Review(Day) : null;
        return Run(demand, daysToNextHoliday, outlook);
    }

    /// <summary>As <see cref="Step"/>, waiting for the outlook when the source has to (completes at once otherwise).</summary>
    public ValueTask<DayOutcome> StepAsync(double demand, int daysToNextHoliday = int.MaxValue)
    {
        if (Outlooks is not { } source || !IsReviewDay(Day))
        {
            return new(Run(demand, daysToNextHoliday, null));
        }

        var pending = source.ReviewAsync(Day);
        return pending.IsCompletedSuccessfully ? new(Run(demand, daysToNextHoliday, pending.Result)) : Awaited(pending, demand, daysToNextHoliday);
    }

    /// <summary>
    /// The policy's order for the next day, asked ahead of it (before the day's arrivals), to be placed from outside
    /// the step. The policy sees the day as its review would (position, days to the season end, the outlook given),
    /// except that the pipeline's schedule is unknown: the day's arrivals are not on hand yet.
    /// </summary>
    public OrderSuggestion Suggest(int daysToNextHoliday = int.MaxValue, IDemandOutlook? outlook = null)
    {
        var context = Ledger.ReviewOf(Input(0, daysToNextHoliday, outlook)) with { Pipeline = default };
        var raw = Policy.Order(in context);
        return new OrderSuggestion(raw, Ledger.Terms.RoundOrder(raw));
    }

    /// <summary>Ends the season (see <see cref="InventoryLedger.Close"/>).</summary>
    public InventoryMetrics Close() => Ledger.Close();

    private async ValueTask<DayOutcome> Awaited(ValueTask<IDemandOutlook> pending, double demand, int daysToNextHoliday) =>
        Run(demand, daysToNextHoliday, await pending);

    private DayOutcome Run(double demand, int daysToNextHoliday, IDemandOutlook? outlook)
    {
        var day = Day;
        var input = Input(demand, daysToNextHoliday, outlook);
        var outcome = Ledger.Step(in input, Policy);
        Outlooks?.Observe(day, demand);
        return outcome;
    }

    private sealed class OutsideOrders : IReorderPolicy
    {
        public string Name => "orders-placed-outside";

        public double Order(in ReviewContext context) => 0;
    }
}
