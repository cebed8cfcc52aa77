using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SeasonalGrains.Simulation.Reports;

/// <summary>
/// Every public property of <see cref="InventoryMetrics"/> (totals and derived ratios) in declaration
/// order with its camelCase name, so reports pick up new metrics without edits.
/// </summary>
public static class MetricColumns
{
    private static readonly PropertyInfo[] Properties = typeof(InventoryMetrics)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
        .OrderBy(p => p.MetadataToken)
        .ToArray();

    public static IReadOnlyList<string> Names { get; } = [.. Properties.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))];

    /// <summary>The values as CSV fields (invariant culture, shortest round-trip; empty for null).</summary>
    public static IEnumerable<string> CsvValues(InventoryMetrics metrics) =>
        Properties.Select(p => Format(p.GetValue(metrics)));

    /// <summary>Adds every metric to <paramref name="target"/> under its camelCase name.</summary>
    public static void AddTo(JsonObject target, InventoryMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(target);
        for (var i = 0; i < Properties.Length; i++)
        {
            target[Names[i]] = Properties[i].GetValue(metrics) switch
            {
                null => null,
                double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
                int n => JsonValue.Create(n),
                long n => JsonValue.Create(n),
                var other => JsonValue.Create(Convert.ToDouble(other, CultureInfo.InvariantCulture)),
            };
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };
}
