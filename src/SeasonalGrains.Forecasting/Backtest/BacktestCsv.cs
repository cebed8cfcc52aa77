using System.Text;
using SeasonalGrains.Forecasting.Ensemble;

namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>Writes backtest results as CSV (comma-separated, invariant culture, LF line ends, values rounded to 6 decimals).</summary>
public static class BacktestCsv
{
    /// <summary>
    /// backtest.csv: one line per (forecaster, SKU, origin, h) with columns
    /// forecaster,sku,origin_date,h,date,actual,mean,q{level}... (for example q0.1).
    /// </summary>
    public static void WriteDetails(BacktestResult result, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(writer);
        var header = new StringBuilder("forecaster,sku,origin_date,h,date,actual,mean");
        foreach (var level in result.Levels)
        {
            header.Append(",q").Append(level.ToString(CultureInfo.InvariantCulture));
        }

        writer.Write(header.Append('\n').ToString());
        var line = new StringBuilder();
        foreach (var p in result.Points)
        {
            line.Clear()
                .Append(Field(p.Forecaster)).Append(',')
                .Append(Field(p.Sku)).Append(',')
                .Append(p.OriginDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(p.H.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(p.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(Number(p.Actual)).Append(',')
                .Append(Number(p.Mean));
            foreach (var q in p.Quantiles)
            {
                line.Append(',').Append(Number(q));
            }

            writer.Write(line.Append('\n').ToString());
        }
    }

    /// <summary>
    /// Summary: one line per forecaster with columns
    /// forecaster,points,mae,rmse,mase,wmape,bias,relative_bias,mean_pinball,coverage80,seconds
    /// (an undefined metric is left empty); when the dataset says which days were out of stock, a last column
    /// censored_excluded: the SKU-days of the windows not scored for that reason.
    /// </summary>
    public static void WriteSummary(BacktestResult result, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(writer);
        var stock = result.Dataset.HasStockInformation;
        writer.Write("forecaster,points,mae,rmse,mase,wmape,bias,relative_bias,mean_pinball,coverage80,seconds" + (stock ? ",censored_excluded" : "") + "\n");
        foreach (var r in result.Rows)
        {
            writer.Write(string.Join(
                ',',
                Field(r.Forecaster),
                r.Points.ToString(CultureInfo.InvariantCulture),
                Number(r.Mae),
                Number(r.Rmse),
                Number(r.Mase),
                Number(r.WMape),
                Number(r.Bias),
                Number(r.RelativeBias),
                Number(r.MeanPinball),
                Number(r.Coverage80),
                Number(r.Elapsed.TotalSeconds)) + (stock ? "," + result.CensoredExcluded.ToString(CultureInfo.InvariantCulture) : "") + "\n");
        }
    }

    /// <summary>
    /// reliability.csv: one line per <see cref="ReliabilityRow"/> with columns
    /// forecaster,kind,horizon,level,nominal,observed,observed_below,count: kind is daily or interval (sums of days
    /// 1..horizon), horizon is h, n or "all" (pooled), level names the quantile as backtest.csv does (q0.995),
    /// nominal is the share a calibrated forecaster has at or below it, observed the share of actuals at or below
    /// the quantile and observed_below the share strictly below.
    /// </summary>
    public static void WriteReliability(BacktestResult result, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("forecaster,kind,horizon,level,nominal,observed,observed_below,count\n");
        foreach (var r in result.Reliability)
        {
            writer.Write(string.Join(
                ',',
                Field(r.Forecaster),
                r.Kind == ReliabilityKind.Daily ? "daily" : "interval",
                r.Horizon?.ToString(CultureInfo.InvariantCulture) ?? "all",
                "q" + r.Level.ToString(CultureInfo.InvariantCulture),
                r.Level.ToString(CultureInfo.InvariantCulture),
                Number(r.Observed),
                Number(r.ObservedBelow),
                r.Count.ToString(CultureInfo.InvariantCulture)) + "\n");
        }
    }

    /// <summary>
    /// ensemble.csv: one line per (SKU, origin) the ensemble forecast, with columns
    /// sku,origin_date,member,windows,loss,loss_{member}... : the member or blend chosen, the validation windows scored,
    /// the chosen one's mean pinball loss over them and each member's (empty where it was not compared).
    /// </summary>
    public static void WriteEnsemble(EnsembleForecaster ensemble, Dataset dataset, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("sku,origin_date,member,windows,loss" + string.Concat(ensemble.MemberNames.Select(m => ",loss_" + Field(m))) + "\n");
        foreach (var c in ensemble.Choices())
        {
            writer.Write(string.Join(
                ',',
                [
                    Field(dataset.Skus[c.SkuIndex].Sku),
                    dataset.DateOf(c.Origin).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Field(c.Member),
                    c.Windows.ToString(CultureInfo.InvariantCulture),
                    Number(c.Loss),
                    .. c.Losses.Select(Number),
                ]) + "\n");
        }
    }

    /// <summary>
    /// importance.csv: one line per <see cref="ImportanceRow"/> with columns forecaster,sku,group,importance: the increase
    /// of the mean pinball loss (units) when the group's inputs are permuted across the backtest's windows; sku is
    /// <see cref="PermutationImportance.Overall"/> ("*") for the rows over all SKUs.
    /// </summary>
    public static void WriteImportance(IEnumerable<ImportanceRow> rows, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("forecaster,sku,group,importance\n");
        foreach (var r in rows)
        {
            writer.Write(string.Join(',', Field(r.Forecaster), Field(r.Sku), Field(r.Group), Number(r.Importance)) + "\n");
        }
    }

    /// <summary>Writes the importance file to <paramref name="path"/> (UTF-8, no byte-order mark).</summary>
    public static void WriteImportance(IEnumerable<ImportanceRow> rows, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        WriteImportance(rows, writer);
    }

    /// <summary>Writes the ensemble file to <paramref name="path"/> (UTF-8, no byte-order mark).</summary>
    public static void WriteEnsemble(EnsembleForecaster ensemble, Dataset dataset, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        WriteEnsemble(ensemble, dataset, writer);
    }

    /// <summary>Writes the reliability file to <paramref name="path"/> (UTF-8, no byte-order mark).</summary>
    public static void WriteReliability(BacktestResult result, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        WriteReliability(result, writer);
    }

    /// <summary>Writes the details file to <paramref name="path"/> (UTF-8, no byte-order mark).</summary>
    public static void WriteDetails(BacktestResult result, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        WriteDetails(result, writer);
    }

    /// <summary>Writes the summary file to <paramref name="path"/> (UTF-8, no byte-order mark).</summary>
    public static void WriteSummary(BacktestResult result, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        WriteSummary(result, writer);
    }

    private static string Number(double value) =>
        double.IsFinite(value) ? Math.Round(value, 6).ToString(CultureInfo.InvariantCulture) : string.Empty;

    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
