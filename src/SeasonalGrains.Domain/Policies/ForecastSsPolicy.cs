using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// (s, S) from the forecast: the reorder point s is the <see cref="Level"/> quantile of total demand over the
/// protection interval (L + R days from today); the order-up-to level S = s + m x EOQ, with the economic order quantity
/// sqrt(2 K d / h) at the forecast's daily rate d over the protection interval (at least one review period of that rate,
/// at least 1 unit). Orders S - position when the position is at or below s.
/// </summary>
public sealed class ForecastSsPolicy(double level, double fixedPerOrder, double holdingPerUnitDay, double eoqMultiple = 1) : IReorderPolicy
{
    public const string PolicyName = "forecast-sS";

    public string Name => PolicyName;

    public double Level { get; } = ForecastPolicySupport.CheckLevel(level, PolicyName);

    public double FixedPerOrder { get; } = fixedPerOrder;

    public double HoldingPerUnitDay { get; } = holdingPerUnitDay;

    public double EoqMultiple { get; } = eoqMultiple > 0 && double.IsFinite(eoqMultiple)
        ? eoqMultiple
        : throw new ArgumentOutOfRangeException(nameof(eoqMultiple), eoqMultiple, $"Policy '{PolicyName}' needs a finite eoqMultiple > 0.");

    /// <summary>The reorder point and order-up-to level of this review.</summary>
    public (double ReorderPoint, double OrderUpTo) Levels(in ReviewContext context)
    {
        var outlook = ForecastPolicySupport.RequireOutlook(context, PolicyName);
        var days = context.ProtectionDays;
        var s = outlook.Quantile(Level, 0, days);
        var rate = outlook.Mean(0, days) / days;
        var eoq = FixedPerOrder > 0 && HoldingPerUnitDay > 0 && rate > 0
            ? Math.Sqrt(2 * FixedPerOrder * rate / HoldingPerUnitDay)
            : rate * context.ReviewPeriodDays;
        eoq = Math.Max(Math.Max(1, rate * context.ReviewPeriodDays), eoq);
        return (s, s + (EoqMultiple * eoq));
    }

    public double Order(in ReviewContext context)
    {
        var (s, upTo) = Levels(context);
        var position = context.InventoryPosition;
        return position <= s ? Math.Max(0, upTo - position) : 0;
    }
}
