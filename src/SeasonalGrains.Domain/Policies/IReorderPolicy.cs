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
