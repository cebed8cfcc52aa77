namespace SeasonalGrains.Simulation.Reports;

/// <summary>
/// A replay's output folder while the run goes (from <see cref="ResultWriter.Open"/>): the run's result sink, it writes
/// each SKU's per-sku.csv row as the driver delivers it (per policy, in SKU name order) and keeps only the traced SKUs'
/// days; <see cref="Commit"/> adds summary.json and trace.csv and swaps the folder in. Disposing without a commit
/// leaves the target as it was.
/// </summary>
public sealed class ReplayOutput : IReplayResultSink, IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly OutputFolder _folder;
    private readonly StreamWriter _perSku;
    private readonly StringBuilder _row = new();
    private readonly List<SkuTrace> _traces = [];

    internal ReplayOutput(OutputFolder folder)
    {
        _folder = folder;
        _perSku = new StreamWriter(Path.Combine(folder.Temporary, RunFiles.PerSkuFile), append: false, Utf8NoBom);
        _perSku.Write(PerSkuCsv.AppendHeader(_row).Append('\n'));
        _row.Clear();
    }

    /// <summary>The folder the files end up in (full path).</summary>
    public string Folder => _folder.Target;

    /// <summary>per-sku.csv rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>The traced SKUs' days received so far.</summary>
    public IReadOnlyList<SkuTrace> Traces => _traces;

    public void Add(ReplayPolicy policy, SkuInfo sku, SkuResult result)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(result);
        PerSkuCsv.AppendRow(_row, policy.Label, sku, result.Metrics).Append('\n');
        _perSku.Write(_row);
        _row.Clear();
        Rows++;
        if (result.Trace is { } trace)
        {
            _traces.Add(new SkuTrace(policy.Label, result.Sku, trace));
        }
    }

    /// <summary>Finishes per-sku.csv, writes summary.json (and trace.csv when SKUs were traced) and swaps the folder in.</summary>
    public void Commit(ReplayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _perSku.Dispose();
        ReportFiles.WriteText(_folder.Temporary, RunFiles.SummaryFile, ReportFiles.Json(ResultWriter.Summary(report)));
        if (report.Traces.Count > 0)
        {
            ReportFiles.WriteText(_folder.Temporary, ResultWriter.TraceFile, ResultWriter.TraceCsv(report));
        }

        _folder.Commit();
    }

    public void Dispose()
    {
        _perSku.Dispose();
        _folder.Dispose();
    }
}
