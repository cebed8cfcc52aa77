namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// The forecast-driven policies. They are kept out of <see cref="PolicyCatalog.Classical"/> (which
/// holds the rules that run without a forecast) because each review needs an
/// <see cref="IDemandOutlook"/>; a run that supplies outlooks uses <see cref="All"/>.
/// </summary>
public static class ForecastPolicyCatalog
{
    /// <summary>forecast-order-up-to, forecast-lookahead, forecast-sS, forecast-safety-stock and season-aware.</summary>
    public static IReadOnlyList<IReorderPolicyFactory> Factories { get; } =
    [
        new PolicyFactory(
            ForecastOrderUpToPolicy.PolicyName,
            "Order up to the q-quantile of forecast demand over L+R days. q, when not given (q or serviceLevel): " +
            "b/(b+h) for backorders, p/(p+h) for lost sales, else the target service level.",
            ["q", "serviceLevel"],
            inputs => new ForecastOrderUpToPolicy(ForecastPolicySupport.ResolveLevel(inputs, ForecastOrderUpToPolicy.PolicyName, "q"))),
        ForecastLookaheadPolicyFactory.Instance,
        new PolicyFactory(
            ForecastSsPolicy.PolicyName,
            "s = the q-quantile of forecast demand over L+R days, S = s + m EOQ at the forecast rate. q, when not given (q or serviceLevel): " +
            "b/(b+h) for backorders, p/(p+h) for lost sales, else the target service level; m (eoqMultiple) 1.",
            ["q", "serviceLevel", "eoqMultiple"],
            inputs => new ForecastSsPolicy(
                ForecastPolicySupport.ResolveLevel(inputs, ForecastSsPolicy.PolicyName, "q"),
                inputs.Costs.FixedPerOrder,
                inputs.Costs.HoldingPerUnitDay,
                inputs.Parameter("eoqMultiple") ?? 1)),
        new PolicyFactory(
            ForecastSafetyStockPolicy.PolicyName,
            "Order up to mean forecast over L+R + z x (recent forecast-error sd) x sqrt(L+R). z, when not given: " +
            "inverse normal of serviceLevel or of the target service level.",
            ["z", "serviceLevel"],
            ForecastSafetyStockPolicy.FromInputs),
        new PolicyFactory(
            SeasonAwarePolicy.PolicyName,
            "forecast-order-up-to until the season's last order (days to season end < L+R); that one is a newsvendor over the " +
            "rest of the season with overage = unit cost - salvage + holding to the end, underage = shortage cost (underage/overage may be given).",
            ["q", "serviceLevel", "underage", "overage"],
            SeasonAwarePolicy.FromInputs),
    ];

    /// <summary>The classical policies plus the forecast-driven ones.</summary>
    public static PolicyCatalog All { get; } = PolicyCatalog.Classical.With([.. Factories]);

    /// <summary>
    /// Days from the origin the outlooks of a run must cover for the named policies: lead time + review period, or
    /// more where a policy asks for more (<see cref="IOutlookDays"/>).
    /// </summary>
    public static int OutlookDays(IEnumerable<string> policyNames, int leadTimeDays, int reviewPeriodDays)
    {
        ArgumentNullException.ThrowIfNull(policyNames);
        var days = leadTimeDays + reviewPeriodDays;
        foreach (var name in policyNames)
        {
            if (Factories.FirstOrDefault(f => f.Name == name) is IOutlookDays wants)
            {
                days = Math.Max(days, wants.OutlookDays(leadTimeDays, reviewPeriodDays));
            }
        }

        return days;
    }

    /// <summary>Whether the named policy needs an outlook on its reviews.</summary>
    public static bool NeedsOutlook(string policyName) => Factories.Any(f => f.Name == policyName);
}

/// <summary>A forecast policy that reads its outlook further ahead than the protection interval.</summary>
public interface IOutlookDays
{
    /// <summary>Days from the origin the policy's outlooks should cover (it extends paths beyond a shorter forecast).</summary>
    int OutlookDays(int leadTimeDays, int reviewPeriodDays);
}
