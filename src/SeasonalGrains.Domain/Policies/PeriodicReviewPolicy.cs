namespace SeasonalGrains.Domain.Policies;

/// <summary>(R,S): every R days (day 0, R, 2R, ...), order up to S; no orders in between.</summary>
public sealed class PeriodicReviewPolicy(int reviewIntervalDays, double orderUpTo) : IReorderPolicy
{
    public const string PolicyName = "RS";

    public string Name => PolicyName;

    public int ReviewIntervalDays { get; } = reviewIntervalDays < 1
        ? throw new ArgumentException($"(R,S) needs R >= 1 day (got {reviewIntervalDays}).")
        : reviewIntervalDays;

    public double OrderUpTo { get; } = orderUpTo;

    public double Order(in ReviewContext context) =>
        context.Day % ReviewIntervalDays == 0 ? Math.Max(0, OrderUpTo - context.InventoryPosition) : 0;
}

public sealed class PeriodicReviewPolicyFactory() : PolicyFactory(
    PeriodicReviewPolicy.PolicyName,
    "(R,S): every R days (default 7) order up to S. S, when not given: mean x (L+R) + z x sd x sqrt(L+R).",
    ["R", "S"],
    Build)
{
    public const int DefaultReviewIntervalDays = 7;

    private static PeriodicReviewPolicy Build(PolicyInputs inputs)
    {
        var r = inputs.Parameter("R") ?? DefaultReviewIntervalDays;
        if (r < 1 || r != Math.Floor(r))
        {
            throw new ArgumentException($"Policy 'RS' needs R to be a whole number of days >= 1 (got {r}).");
        }

        var interval = (int)r;
        var protection = inputs.Terms.LeadTimeDays + Math.Max(interval, inputs.ReviewPeriodDays);
        return new PeriodicReviewPolicy(interval, inputs.OrderUpToOr("S", () => inputs.ProtectionLevel(protection)));
    }
}
