namespace SeasonalGrains.Domain.Policies;

/// <summary>Base-stock: on every review, order up to S.</summary>
public sealed class BaseStockPolicy(double orderUpTo) : IReorderPolicy
{
    public const string PolicyName = "base-stock";

    public string Name => PolicyName;

    public double OrderUpTo { get; } = orderUpTo;

    public double Order(in ReviewContext context) => Math.Max(0, OrderUpTo - context.InventoryPosition);
}

public sealed class BaseStockPolicyFactory() : PolicyFactory(
    BaseStockPolicy.PolicyName,
    "Order up to S on every review. S, when not given: mean x (L+R) + z x sd x sqrt(L+R) from the history before the window.",
    ["S"],
    inputs => new BaseStockPolicy(inputs.OrderUpToOr("S", () => inputs.ProtectionLevel(inputs.ProtectionDays))));
