namespace SeasonalGrains.Domain.Policies;

/// <summary>(r,Q): when the inventory position is at or below r, order the smallest multiple of Q that lifts it above r.</summary>
public sealed class ReorderPointQuantityPolicy(double reorderPoint, double quantity) : IReorderPolicy
{
    public const string PolicyName = "rQ";

    public string Name => PolicyName;

    public double ReorderPoint { get; } = reorderPoint;

    public double Quantity { get; } = quantity > 0 ? quantity : throw new ArgumentException($"(r,Q) needs Q > 0 (got {quantity}).");

    public double Order(in ReviewContext context)
    {
        var position = context.InventoryPosition;
        if (position > ReorderPoint)
        {
            return 0;
        }

        var batches = Math.Floor((ReorderPoint - position) / Quantity) + 1;
        return batches * Quantity;
    }
}

public sealed class ReorderPointQuantityPolicyFactory() : PolicyFactory(
    ReorderPointQuantityPolicy.PolicyName,
    "(r,Q): at or below r, order multiples of Q. r, when not given: mean x (L+R) + z x sd x sqrt(L+R); Q, when not given: EOQ.",
    ["r", "Q"],
    inputs => new ReorderPointQuantityPolicy(
        inputs.ParameterOr("r", () => inputs.ProtectionLevel(inputs.ProtectionDays)),
        inputs.ParameterOr("Q", inputs.EconomicOrderQuantity)));
