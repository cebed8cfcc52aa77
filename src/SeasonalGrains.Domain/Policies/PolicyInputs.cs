using SeasonalGrains.Domain.Inventory;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Domain.Policies;

/// <summary>
/// Everything a policy factory may use to resolve a SKU's policy parameters: the explicit
/// parameters from the scenario (already narrowed to this SKU or its category), the SKU's terms
/// and costs, and demand statistics from the history before the replay window, used when a
/// parameter is not given and must be derived for <see cref="TargetServiceLevel"/>.
/// </summary>
public sealed record PolicyInputs
{
    public const double DefaultTargetServiceLevel = 0.95;

    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();

    public SkuTerms Terms { get; init; } = new();

    public CostRates Costs { get; init; } = new(0, 0);

    public Fulfilment Fulfilment { get; init; } = Fulfilment.Backorders;

    public int ReviewPeriodDays { get; init; } = 1;

    public DemandStatistics History { get; init; }

    /// <summary>Probability of no stockout per cycle aimed at when parameters are derived.</summary>
    public double TargetServiceLevel { get; init; } = DefaultTargetServiceLevel;

    /// <summary>The explicit value of a parameter, or null when the scenario does not give it.</summary>
    public double? Parameter(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

    /// <summary>The explicit value or, when absent, the derived one.</summary>
    public double ParameterOr(string name, Func<double> derive) => Parameter(name) ?? derive();

    /// <summary>
    /// The explicit value of an order-up-to level, which must be &gt;= 0 when given (a level below zero
    /// would keep backorders on purpose), or, when absent, the derived one (which may be anything).
    /// </summary>
    public double OrderUpToOr(string name, Func<double> derive)
    {
        if (Parameter(name) is not { } level)
        {
            return derive();
        }

        return level >= 0
            ? level
            : throw new ArgumentException($"{name} is an order-up-to level and must be >= 0 (got {level.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
    }

    /// <summary>The protection interval L + R in days: the lead time and the review period.</summary>
    public int ProtectionDays => Terms.LeadTimeDays + ReviewPeriodDays;

    /// <summary>Safety factor z = inverse normal CDF of the target service level.</summary>
    public double SafetyFactor => Normal.InverseCdf(TargetServiceLevel);

    /// <summary>
    /// Normal-approximation order-up-to level for a protection interval of <paramref name="days"/>:
    /// mean x days + z x sd x sqrt(days), from the history's daily mean and sd (days independent), z the
    /// <see cref="SafetyFactor"/>.
    /// </summary>
    public double ProtectionLevel(int days) => ProtectionLevel(days, SafetyFactor);

    /// <summary>As <see cref="ProtectionLevel(int)"/>, with the safety factor <paramref name="z"/>.</summary>
    public double ProtectionLevel(int days, double z) =>
        (History.Mean * days) + (z * History.StandardDeviation * Math.Sqrt(days));

    /// <summary>
    /// Economic order quantity sqrt(2 K d / h) with daily demand d and holding h per unit-day;
    /// with no fixed cost or no holding cost it falls back to one review period of mean demand.
    /// Never below 1 unit.
    /// </summary>
    public double EconomicOrderQuantity()
    {
        var d = History.Mean;
        var k = Costs.FixedPerOrder;
        var h = Costs.HoldingPerUnitDay;
        var q = k > 0 && h > 0 && d > 0 ? Math.Sqrt(2 * k * d / h) : d * ReviewPeriodDays;
        return Math.Max(1, q);
    }

    /// <summary>Throws if the parameters name something <paramref name="known"/> does not list.</summary>
    public void RejectUnknown(string policy, params string[] known)
    {
        foreach (var key in Parameters.Keys)
        {
            if (Array.IndexOf(known, key) < 0)
            {
                throw new ArgumentException(
                    $"Policy '{policy}' has no parameter '{key}'; it takes: {string.Join(", ", known)}.");
            }
        }
    }
}

/// <summary>Creates a policy for one SKU from its inputs. One class per policy; <see cref="Name"/> is unique.</summary>
public interface IReorderPolicyFactory
{
    string Name { get; }

    /// <summary>One line on the policy and how each parameter is derived when not given.</summary>
    string Description { get; }

    IReorderPolicy Create(PolicyInputs inputs);
}
