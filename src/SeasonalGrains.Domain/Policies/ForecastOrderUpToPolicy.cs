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
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"Policy '{PolicyName}' needs a quantile level strictly between 0 and 1.");
        }

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

/// <summary>
/// Creates <see cref="ForecastOrderUpToPolicy"/>. Registered through <see cref="ForecastPolicyCatalog"/>,
/// not the assembly scan of <see cref="PolicyCatalog.Classical"/> (it needs an outlook on every review).
/// </summary>
public sealed class ForecastOrderUpToPolicyFactory : IReorderPolicyFactory
{
    private ForecastOrderUpToPolicyFactory()
    {
    }

    public static ForecastOrderUpToPolicyFactory Instance { get; } = new();

    public string Name => ForecastOrderUpToPolicy.PolicyName;

    public string Description =>
        "Order up to the q-quantile of forecast demand over L+R days. q, when not given (q or serviceLevel): " +
        "b/(b+h) for backorders, p/(p+h) for lost sales, else the target service level.";

    public IReorderPolicy Create(PolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        inputs.RejectUnknown(Name, "q", "serviceLevel");
        return new ForecastOrderUpToPolicy(ForecastPolicySupport.ResolveLevel(inputs, Name, "q"));
    }
}
