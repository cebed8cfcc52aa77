using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Domain.Policies;

/// <summary>The cost figures the season-end newsvendor of <see cref="SeasonAwarePolicy"/> works from.</summary>
/// <param name="Fulfilment">Lost sales or backorders, as in the scenario.</param>
/// <param name="ShortagePerUnit">Cost per lost unit, or per backordered unit-day.</param>
/// <param name="HoldingPerUnitDay">Holding cost per unit on hand at the end of a day.</param>
/// <param name="UnitCost">Purchase cost of a unit.</param>
/// <param name="SalvageValue">What a unit left at season end is worth.</param>
/// <param name="Underage">When given, the cost of a unit short near the season end, used as it is.</param>
/// <param name="Overage">When given, the cost of a unit left at the season end, used as it is.</param>
public sealed record SeasonEndCosts(
    Fulfilment Fulfilment,
    double ShortagePerUnit,
    double HoldingPerUnitDay,
    double UnitCost,
    double SalvageValue,
    double? Underage = null,
    double? Overage = null);

/// <summary>
/// Forecast order-up-to that stops buying what the season cannot sell. On a review from which no
/// later order can arrive before the season ends (days to the season's last day
/// <c>D &lt; L + R</c>), this order is the last one, and it is sized as a newsvendor over the rest
/// of the season: order up to the <c>cu / (cu + co)</c> quantile of total demand over the
/// <c>D + 1</c> remaining days (today to the last day), where a leftover is valued at salvage.
/// When even this order would arrive after the season (<c>L &gt; D</c>) nothing is ordered. On
/// earlier reviews, or when no season end is known, it orders as <see cref="ForecastOrderUpToPolicy"/>
/// does: any surplus they create can still be corrected by the orders that follow, so the leftover
/// risk lies with the last order alone.
/// </summary>
/// <remarks>
/// Costs at the season end, with <c>n = D + 1 - L</c> the days from the last order's arrival to the
/// season's last day (inclusive):
/// overage <c>co = unit cost - salvage + h x n</c> (bought, held to the end, salvaged);
/// underage <c>cu = p</c> per lost unit for lost sales, and for backorders <c>b x (n + 1) / 2</c>,
/// the days a shortage on a day spread evenly over the covered stretch stays on backorder until
/// the season ends. Either can be given explicitly. <c>cu = p</c> reads p as what a lost unit costs
/// beyond its purchase (a lost margin); where a scenario's p is the whole lost revenue and the
/// purchase of every unit is also charged (as the ledger's total cost does), the net underage is
/// <c>p - unit cost</c>: give it as <c>underage</c>.
/// </remarks>
public sealed class SeasonAwarePolicy : IReorderPolicy
{
    public const string PolicyName = "season-aware";

    public SeasonAwarePolicy(double level, SeasonEndCosts costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ForecastPolicySupport.CheckLevel(level, PolicyName);

        Check(costs.ShortagePerUnit, nameof(costs.ShortagePerUnit));
        Check(costs.HoldingPerUnitDay, nameof(costs.HoldingPerUnitDay));
        Check(costs.UnitCost, nameof(costs.UnitCost));
        Check(costs.SalvageValue, nameof(costs.SalvageValue));
        if (costs.Underage is { } u)
        {
            Check(u, "underage");
        }

        if (costs.Overage is { } o)
        {
            Check(o, "overage");
        }

        if (!((costs.Underage ?? costs.ShortagePerUnit) > 0))
        {
            throw new ArgumentException($"Policy '{PolicyName}' needs a shortage cost > 0 (or an explicit 'underage') to size the season's last order.");
        }

        if (!((costs.Overage ?? (costs.UnitCost - costs.SalvageValue + costs.HoldingPerUnitDay)) > 0))
        {
            throw new ArgumentException(
                $"Policy '{PolicyName}': a unit left at the season end costs nothing (unit cost {costs.UnitCost} <= salvage {costs.SalvageValue} and no holding cost); give 'overage' explicitly.");
        }

        Level = level;
        Costs = costs;
        _orderUpTo = new ForecastOrderUpToPolicy(level);
    }

    private readonly ForecastOrderUpToPolicy _orderUpTo;

    public string Name => PolicyName;

    /// <summary>The quantile level ordered up to before the season's last order.</summary>
    public double Level { get; }

    public SeasonEndCosts Costs { get; }

    /// <summary>Whether this review places the season's last order that can arrive in time: D &lt; L + R.</summary>
    public static bool IsLastOrder(in ReviewContext context) =>
        context.DaysToSeasonEnd != int.MaxValue && context.DaysToSeasonEnd < context.ProtectionDays;

    /// <summary>Underage cost cu of the season-end newsvendor at this review (see the class remarks).</summary>
    public double UnderageCost(in ReviewContext context)
    {
        if (Costs.Underage is { } u)
        {
            return u;
        }

        return Costs.Fulfilment == Fulfilment.LostSales
            ? Costs.ShortagePerUnit
            : Costs.ShortagePerUnit * (CoveredDays(context) + 1) / 2.0;
    }

    /// <summary>Overage cost co of the season-end newsvendor at this review (see the class remarks).</summary>
    public double OverageCost(in ReviewContext context) =>
        Costs.Overage ?? (Costs.UnitCost - Costs.SalvageValue + (Costs.HoldingPerUnitDay * CoveredDays(context)));

    /// <summary>The critical ratio cu / (cu + co) of the season-end newsvendor.</summary>
    public double SeasonEndRatio(in ReviewContext context)
    {
        var cu = UnderageCost(context);
        var co = OverageCost(context);
        return cu / (cu + co);
    }

    public double Order(in ReviewContext context)
    {
        if (!IsLastOrder(context))
        {
            return _orderUpTo.Order(context);
        }

        var outlook = ForecastPolicySupport.RequireOutlook(context, PolicyName);
        var daysLeft = context.DaysToSeasonEnd;
        if (daysLeft < 0 || context.LeadTimeDays > daysLeft)
        {
            return 0; // it would arrive after the season's last day
        }

        var target = outlook.Quantile(SeasonEndRatio(context), 0, daysLeft + 1);
        return Math.Max(0, target - context.InventoryPosition);
    }

    private static int CoveredDays(in ReviewContext context) => Math.Max(1, context.DaysToSeasonEnd + 1 - context.LeadTimeDays);

    private static void Check(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value)))
        {
            throw new ArgumentException($"Policy '{PolicyName}' needs {name} to be a finite number >= 0 (got {value}).");
        }
    }

    /// <summary>The policy from a SKU's inputs (the builder of its <see cref="PolicyFactory"/>).</summary>
    internal static SeasonAwarePolicy FromInputs(PolicyInputs inputs)
    {
        var level = ForecastPolicySupport.ResolveLevel(inputs, PolicyName, "q");
        var costs = new SeasonEndCosts(
            inputs.Fulfilment,
            inputs.Costs.ShortagePerUnit,
            inputs.Costs.HoldingPerUnitDay,
            inputs.Terms.UnitCost,
            inputs.Terms.SalvageValue,
            inputs.Parameter("underage"),
            inputs.Parameter("overage"));
        return new SeasonAwarePolicy(level, costs);
    }
}
