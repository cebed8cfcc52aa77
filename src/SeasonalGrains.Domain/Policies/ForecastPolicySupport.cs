using System.Globalization;
using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Domain.Policies;

/// <summary>Rules shared by the forecast-driven policies.</summary>
public static class ForecastPolicySupport
{
    /// <summary>
    /// The newsvendor critical ratio of one review period from the cost rates: b / (b + h) for
    /// backorders (b per backordered unit-day) and p / (p + h) for lost sales (p per lost unit), h the
    /// holding cost per unit-day. Null when b (or p) and h are both 0, where no ratio is defined.
    /// </summary>
    public static double? CriticalRatio(CostRates costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        var shortage = costs.ShortagePerUnit;
        var holding = costs.HoldingPerUnitDay;
        return shortage + holding > 0 ? shortage / (shortage + holding) : null;
    }

    /// <summary>
    /// The service level a policy aims at: parameter <paramref name="levelName"/> or
    /// <c>serviceLevel</c> when given (not both), else the critical ratio of the costs, else
    /// <see cref="PolicyInputs.TargetServiceLevel"/>. Must lie strictly inside (0, 1).
    /// </summary>
    public static double ResolveLevel(PolicyInputs inputs, string policy, string levelName)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var given = inputs.Parameter(levelName);
        var service = inputs.Parameter("serviceLevel");
        if (given is not null && service is not null)
        {
            throw new ArgumentException($"Policy '{policy}' takes '{levelName}' or 'serviceLevel', not both.");
        }

        var level = given ?? service ?? CriticalRatio(inputs.Costs) ?? inputs.TargetServiceLevel;
        if (!(level > 0 && level < 1))
        {
            var source = given is not null ? $"parameter '{levelName}'"
                : service is not null ? "parameter 'serviceLevel'"
                : CriticalRatio(inputs.Costs) is not null ? "the critical ratio of the costs (a holding cost of 0 makes it 1)"
                : "the target service level";
            throw new ArgumentException(
                $"Policy '{policy}' needs a service level strictly between 0 and 1; {source} gives {level.ToString(CultureInfo.InvariantCulture)}. Give '{levelName}' explicitly.");
        }

        return level;
    }

    /// <summary>Refuses a quantile level outside (0, 1) for the policy's constructor; returns the level otherwise.</summary>
    public static double CheckLevel(double level, string policy)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"Policy '{policy}' needs a quantile level strictly between 0 and 1.");
        }

        return level;
    }

    /// <summary>The review's outlook, or a clear error naming the policy and day when there is none.</summary>
    public static IDemandOutlook RequireOutlook(in ReviewContext context, string policy) =>
        context.Outlook ?? throw new InvalidOperationException(
            $"Policy '{policy}' orders from a demand forecast, but review day {context.Day} has no outlook. Run it with a forecaster (or the truth) supplying one.");
}
