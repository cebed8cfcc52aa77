namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// What a policy sees on a review day, after the day's arrivals (step 1 of the day sequence)
/// and before the day's demand.
/// </summary>
public readonly record struct ReviewContext
{
    public ReviewContext()
    {
    }

    /// <summary>Day index within the replay (0 = first day).</summary>
    public int Day { get; init; }

    public double OnHand { get; init; }

    /// <summary>Units ordered and not yet received.</summary>
    public double OnOrder { get; init; }

    public double Backorders { get; init; }

    public int LeadTimeDays { get; init; }

    /// <summary>Days between reviews in the scenario (1 = daily).</summary>
    public int ReviewPeriodDays { get; init; }

    /// <summary>Days from today to the next holiday (0 = today is one); <see cref="int.MaxValue"/> if none is known.</summary>
    public int DaysToNextHoliday { get; init; }

    /// <summary>A forecast of the coming days, where the caller has one.</summary>
    public IDemandOutlook? Outlook { get; init; }

    /// <summary>
    /// When each unit on order arrives (the ledger fills it); <see cref="PipelineView.IsKnown"/> is false where
    /// the caller does not know the schedule, and policies then treat all of <see cref="OnOrder"/> as arriving
    /// before an order placed today.
    /// </summary>
    public PipelineView Pipeline { get; init; }

    /// <summary>
    /// Days from today to the last selling day of the season (0 = today is the last one);
    /// <see cref="int.MaxValue"/> (the default) when no season end is known.
    /// </summary>
    public int DaysToSeasonEnd { get; init; } = int.MaxValue;

    /// <summary>On hand + on order - backorders.</summary>
    public double InventoryPosition => OnHand + OnOrder - Backorders;

    /// <summary>The days an order placed today must cover: lead time + review period.</summary>
    public int ProtectionDays => LeadTimeDays + ReviewPeriodDays;
}

/// <summary>
/// A forecast of demand from the review day on, as the policy needs it: the distribution of
/// total demand over a number of days, not per-day figures (per-day quantiles do not add up).
/// </summary>
public interface IDemandOutlook
{
    /// <summary>Expected total demand over <paramref name="days"/> days starting <paramref name="offset"/> days from today.</summary>
    double Mean(int offset, int days);

    /// <summary>The <paramref name="level"/> quantile of total demand over <paramref name="days"/> days starting <paramref name="offset"/> days from today.</summary>
    double Quantile(double level, int offset, int days);

    /// <summary>Days from today the outlook covers; asking beyond them throws. <see cref="int.MaxValue"/> when unbounded.</summary>
    int Horizon => int.MaxValue;

    /// <summary>
    /// The quantiles of total demand from today: <c>destination[j * days + n - 1] = Quantile(levels[j], 0, n)</c> for
    /// n = 1..<paramref name="days"/> (at most <see cref="Horizon"/>). Outlooks that can answer many at once more
    /// cheaply than one by one override it; the answers must equal <see cref="Quantile"/>'s.
    /// </summary>
    void CumulativeQuantiles(ReadOnlySpan<double> levels, int days, Span<double> destination)
    {
        if (destination.Length < levels.Length * days)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {levels.Length} levels x {days} days need {levels.Length * days}.", nameof(destination));
        }

        for (var j = 0; j < levels.Length; j++)
        {
            for (var n = 1; n <= days; n++)
            {
                destination[(j * days) + n - 1] = Quantile(levels[j], 0, n);
            }
        }
    }
}

/// <summary>
/// A read-only view of a ledger's pipeline on a review day: units due to arrive at the start of each of
/// the next lead-time days (day 0 = today, whose arrivals are already on hand, so 0).
/// </summary>
public readonly struct PipelineView
{
    private readonly double[]? _ring;
    private readonly int _day;

    /// <param name="ring">The ledger's ring of lead time + 1 slots; slot (day + k) mod length holds the arrivals of day + k.</param>
    /// <param name="day">The review day.</param>
    public PipelineView(double[] ring, int day)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _ring = ring;
        _day = day;
    }

    /// <summary>Whether the schedule is known (false for a default view).</summary>
    public bool IsKnown => _ring is not null;

    /// <summary>Units due at the start of day today + <paramref name="daysAhead"/> (0 outside 1..lead time - 1 or when unknown).</summary>
    public double DueIn(int daysAhead) =>
        _ring is { } ring && daysAhead >= 0 && daysAhead < ring.Length - 1 ? ring[(_day + daysAhead) % ring.Length] : 0;
}

/// <summary>
/// A reorder policy for one SKU. Implementations hold their (already resolved) parameters;
/// the ledger rounds the returned quantity to MOQ and case pack.
/// </summary>
public interface IReorderPolicy
{
    /// <summary>The policy's unique name (the name of its factory).</summary>
    string Name { get; }

    /// <summary>The raw quantity to order on this review day (0 for none).</summary>
    double Order(in ReviewContext context);
}
