using SeasonalGrains.Data.Csv;

namespace SeasonalGrains.Simulation.Reports;

/// <summary>
/// The columns every per-sku.csv starts with: policy, sku, category, region, then one column per metric
/// (<see cref="MetricColumns"/>). A replay writes only these; a comparison appends its forecast columns.
/// </summary>
public static class PerSkuCsv
{
    /// <summary>Appends the leading header columns, without a line end.</summary>
    public static StringBuilder AppendHeader(StringBuilder sb)
    {
        ArgumentNullException.ThrowIfNull(sb);
        sb.Append("policy,sku,category,region");
        foreach (var name in MetricColumns.Names)
        {
            sb.Append(',').Append(name);
        }

        return sb;
    }

    /// <summary>Appends one row's leading columns, without a line end.</summary>
    public static StringBuilder AppendRow(StringBuilder sb, string policy, SkuInfo sku, InventoryMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(sku);
        CsvFormat.AppendField(sb, policy);
        sb.Append(',');
        CsvFormat.AppendField(sb, sku.Sku);
        sb.Append(',');
        CsvFormat.AppendField(sb, sku.Category);
        sb.Append(',');
        CsvFormat.AppendField(sb, sku.Region);
        foreach (var value in MetricColumns.CsvValues(metrics))
        {
            sb.Append(',').Append(value);
        }

        return sb;
    }
}
