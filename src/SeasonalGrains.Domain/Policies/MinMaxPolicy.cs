namespace SeasonalGrains.Domain.Policies;

/// <summary>(s,S): when the inventory position is at or below s, order up to S.</summary>
public sealed class MinMaxPolicy(double reorderPoint, double orderUpTo) : IReorderPolicy
{
    public const string PolicyName = "sS";

    public string Name => PolicyName;

    public double ReorderPoint { get; } = reorderPoint;

    public double OrderUpTo { get; } = orderUpTo < reorderPoint
        ? throw new ArgumentException($"(s,S) needs S >= s (got s = {reorderPoint}, S = {orderUpTo}).")
        : orderUpTo;

    public double Order(in ReviewContext context)
    {
        var position = context.InventoryPosition;
        return position <= ReorderPoint ? OrderUpTo - position : 0;
    }
}

public sealed class MinMaxPolicyFactory() : PolicyFactory(
    MinMaxPolicy.PolicyName,
    "(s,S): when the position is at or below s, order up to S. s, when not given: mean x (L+R) + z x sd x sqrt(L+R); S, when not given: s + EOQ.",
    ["s", "S"],
    Build)
{
    private static MinMaxPolicy Build(PolicyInputs inputs)
    {
        var s = inputs.ParameterOr("s", () => inputs.ProtectionLevel(inputs.ProtectionDays));
        return new MinMaxPolicy(s, inputs.OrderUpToOr("S", () => s + inputs.EconomicOrderQuantity()));
    }
}
