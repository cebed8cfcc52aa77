namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// Order up to the <see cref="Level"/> quantile of total demand over the protection interval
/// (lead time + review period, from today inclusive), read from the review's outlook as one
/// interval quantile (per-day quantiles do not add up to it).
/// </summary>
public sealed class ForecastOrderUpToPolicy : IReorderPolicy
{
    public const string PolicyName = "forecast-order-up-to";

    public ForecastOrderUpToPolicy(double level)
    {
        ForecastPolicySupport.CheckLevel(level, PolicyName);
        Level = level;
    }

    public string Name => PolicyName;

    /// <summary>The quantile level of interval demand ordered up to.</summary>
    public double Level { get; }

    /// <summary>The order-up-to level of this review: the interval quantile.</summary>
    public double Target(in ReviewContext context) =>
        ForecastPolicySupport.RequireOutlook(context, PolicyName).Quantile(Level, 0, context.ProtectionDays);

    public double Order(in ReviewContext context) => Math.Max(0, Target(context) - context.InventoryPosition);
}
