namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// The forecast-driven policies. They are kept out of <see cref="PolicyCatalog.Classical"/> (which
/// holds the rules that run without a forecast) because each review needs an
/// <see cref="IDemandOutlook"/>; a run that supplies outlooks uses <see cref="All"/>.
/// </summary>
public static class ForecastPolicyCatalog
{
    /// <summary>forecast-order-up-to, forecast-safety-stock and season-aware.</summary>
    public static IReadOnlyList<IReorderPolicyFactory> Factories { get; } =
    [
        ForecastOrderUpToPolicyFactory.Instance,
        ForecastSafetyStockPolicyFactory.Instance,
        SeasonAwarePolicyFactory.Instance,
    ];

    /// <summary>The classical policies plus the forecast-driven ones.</summary>
    public static PolicyCatalog All { get; } = PolicyCatalog.Classical.With([.. Factories]);

    /// <summary>Whether the named policy needs an outlook on its reviews.</summary>
    public static bool NeedsOutlook(string policyName) => Factories.Any(f => f.Name == policyName);
}
