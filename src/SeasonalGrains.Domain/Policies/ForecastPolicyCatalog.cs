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
        ForecastOrderUpToPolicy.Factory,
        ForecastLookaheadPolicyFactory.Instance,
        ForecastSsPolicy.Factory,
        ForecastSafetyStockPolicy.Factory,
        SeasonAwarePolicy.Factory,
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
