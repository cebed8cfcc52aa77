namespace SeasonalGrains.Simulation.Compare;

/// <summary>One policy (or one setting of a policy) on the service-versus-inventory plane.</summary>
/// <param name="Policy">The policy; points of one policy form one series.</param>
/// <param name="Label">What distinguishes this point within its policy (e.g. "q=0.9"); the policy name when alone.</param>
/// <param name="Service">Service achieved (fill rate or cycle service level, 0..1).</param>
/// <param name="InventoryValue">Average inventory value held.</param>
/// <param name="Efficient">Whether no other point has as much service for no more inventory, and strictly better in one.</param>
public sealed record FrontierPoint(string Policy, string Label, double Service, double InventoryValue, bool Efficient = false);

/// <summary>The service-versus-inventory frontier of a set of policies.</summary>
public static class Frontier
{
    /// <summary>
    /// The points sorted by inventory value (ascending), then service (descending), then label, each
    /// marked <see cref="FrontierPoint.Efficient"/> when no other point dominates it: at most the
    /// inventory and at least the service, and strictly better in one of the two. Identical points
    /// do not dominate each other. Points with a non-finite figure are an error.
    /// </summary>
    public static IReadOnlyList<FrontierPoint> Build(IEnumerable<FrontierPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var list = points.ToList();
        foreach (var p in list)
        {
            if (!double.IsFinite(p.Service) || !double.IsFinite(p.InventoryValue))
            {
                throw new ArgumentException($"Frontier point '{p.Label}' of policy '{p.Policy}' has service {p.Service} and inventory value {p.InventoryValue}; both must be finite.", nameof(points));
            }
        }

        return list
            .Select(p => p with { Efficient = !list.Any(q => Dominates(q, p)) })
            .OrderBy(p => p.InventoryValue)
            .ThenByDescending(p => p.Service)
            .ThenBy(p => p.Label, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The efficient points of <see cref="Build"/>, by inventory value: service rises along them.</summary>
    public static IReadOnlyList<FrontierPoint> Efficient(IEnumerable<FrontierPoint> points) => Build(points).Where(p => p.Efficient).ToList();

    /// <summary>Whether <paramref name="a"/> has no more inventory and no less service than <paramref name="b"/>, and is strictly better in one.</summary>
    public static bool Dominates(FrontierPoint a, FrontierPoint b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.InventoryValue <= b.InventoryValue && a.Service >= b.Service
            && (a.InventoryValue < b.InventoryValue || a.Service > b.Service);
    }
}
