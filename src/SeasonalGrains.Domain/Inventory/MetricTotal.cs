using System.Reflection;

namespace SeasonalGrains.Domain.Inventory;

/// <summary>
/// One total of <see cref="InventoryMetrics"/> (a property with a setter; the ratios are derived): its name and how to
/// read and write it as a number. Sums, the wire form and the reports all go through <see cref="InventoryMetrics.Totals"/>,
/// so a new total is one property of <see cref="InventoryMetrics"/>.
/// </summary>
public sealed class MetricTotal
{
    private readonly Func<InventoryMetrics, double> _get;
    private readonly Action<InventoryMetrics, double> _set;

    private MetricTotal(string name, Func<InventoryMetrics, double> get, Action<InventoryMetrics, double> set)
    {
        Name = name;
        _get = get;
        _set = set;
    }

    /// <summary>The property's name.</summary>
    public string Name { get; }

    /// <summary>
    /// True for a total that is the same for every SKU of a run rather than a sum (<see cref="InventoryMetrics.Days"/>):
    /// adding two sets keeps the larger.
    /// </summary>
    public bool SameForAllSkus => Name == nameof(InventoryMetrics.Days);

    public double Get(InventoryMetrics metrics) => _get(metrics);

    /// <summary>The totals in declaration order.</summary>
    internal static MetricTotal[] Discover() =>
    [
        .. typeof(InventoryMetrics)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .Select(Of),
    ];

    /// <summary>Sets the total on a metrics record under construction (from <see cref="InventoryMetrics.FromTotals"/> or a sum).</summary>
    internal void Set(InventoryMetrics metrics, double value) => _set(metrics, value);

    private static MetricTotal Of(PropertyInfo p)
    {
        var getter = p.GetMethod!;
        var setter = p.SetMethod!;
        if (p.PropertyType == typeof(double))
        {
            var get = getter.CreateDelegate<Func<InventoryMetrics, double>>();
            return new(p.Name, get, setter.CreateDelegate<Action<InventoryMetrics, double>>());
        }

        if (p.PropertyType == typeof(int))
        {
            var get = getter.CreateDelegate<Func<InventoryMetrics, int>>();
            var set = setter.CreateDelegate<Action<InventoryMetrics, int>>();
            return new(p.Name, m => get(m), (m, v) => set(m, checked((int)v)));
        }

        if (p.PropertyType == typeof(long))
        {
            var get = getter.CreateDelegate<Func<InventoryMetrics, long>>();
            var set = setter.CreateDelegate<Action<InventoryMetrics, long>>();
            return new(p.Name, m => get(m), (m, v) => set(m, checked((long)v)));
        }

        throw new InvalidOperationException($"The total {p.Name} of {nameof(InventoryMetrics)} is a {p.PropertyType.Name}; totals are double, int or long.");
    }
}
