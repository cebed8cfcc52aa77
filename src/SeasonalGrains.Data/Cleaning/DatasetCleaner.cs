using System.Text;

namespace SeasonalGrains.Data.Cleaning;

/// <summary>How days without a demand value are filled.</summary>
public enum MissingValueMode
{
    /// <summary>Linear interpolation between the nearest observed days; leading and trailing gaps take the nearest observed value.</summary>
    Interpolate,

    /// <summary>Missing days become 0 (as when absence of a row means no sale).</summary>
    Zero,

    /// <summary>Missing days stay NaN.</summary>
    Keep,
}

/// <summary>What the IQR outlier rule does with values outside [Q1 − k·IQR, Q3 + k·IQR].</summary>
public enum OutlierMode
{
    /// <summary>No outlier treatment (the default; see <see cref="CleaningOptions"/>).</summary>
    None,

    /// <summary>Values outside the bounds are set to the nearest bound.</summary>
    Clip,

    /// <summary>Values are left as they are but listed in the report.</summary>
    Flag,
}

/// <summary>
/// Options of <see cref="DatasetCleaner.Clean"/>. Outlier treatment is off by default: on intermittent or
/// strongly seasonal demand (most days near zero, a few weeks of peak) the IQR of the whole series is
/// small and the rule would cut exactly the peaks a seasonal inventory system must plan for, e.g. the
/// Double 11 spike. Clip reproduces the cleaning of the IQR rule for those who want it.
/// </summary>
public sealed record CleaningOptions
{
    public MissingValueMode Missing { get; init; } = MissingValueMode.Interpolate;

    public OutlierMode Outliers { get; init; } = OutlierMode.None;

    /// <summary>The k of the IQR rule (1.5 is Tukey's fence).</summary>
    public double IqrK { get; init; } = 1.5;

    /// <summary>SKUs with fewer observed days than this are not checked for outliers.</summary>
    public int MinObservationsForOutliers { get; init; } = 4;
}

public enum CleaningChangeKind
{
    Interpolated,
    ZeroFilled,
    Clipped,
    Flagged,
}

/// <summary>One change (or flag) made by the cleaner; <see cref="Old"/> is NaN for a missing day.</summary>
public sealed record CleaningChange(string Sku, DateOnly Date, CleaningChangeKind Kind, double Old, double New);

/// <summary>The IQR fences of one SKU, from the quartiles of its observed days.</summary>
public sealed record OutlierBounds(string Sku, double Q1, double Q3, double Lower, double Upper);

/// <summary>Every change the cleaner made, in SKU then date order.</summary>
public sealed record CleaningReport(CleaningOptions Options, IReadOnlyList<CleaningChange> Changes, IReadOnlyList<OutlierBounds> Bounds)
{
    public int Count(CleaningChangeKind kind) => Changes.Count(c => c.Kind == kind);

    /// <summary>Writes <c>sku,date,kind,old,new</c> (kind in lower case; old empty for a missing day).</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var sb = new StringBuilder("sku,date,kind,old,new\n");
        foreach (var c in Changes)
        {
            CsvFormat.AppendField(sb, c.Sku);
            sb.Append(',');
            CsvFormat.AppendDate(sb, c.Date);
            sb.Append(',').Append(c.Kind.ToString().ToLowerInvariant()).Append(',');
            CsvFormat.AppendNumber(sb, c.Old);
            sb.Append(',');
            CsvFormat.AppendNumber(sb, c.New);
            sb.Append('\n');
        }

        writer.Write(sb);
    }

    public void WriteCsv(string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        WriteCsv(writer);
    }
}

/// <summary>Fills missing days and treats outliers of the units series, SKU by SKU.</summary>
public static class DatasetCleaner
{
    /// <summary>
    /// Cleans the units of every SKU: first outliers (fences from the observed days only), then missing
    /// days (interpolated from the cleaned neighbours). Interpolated units may be fractional. Prices,
    /// promos, calendar and weather are left unchanged. The input is not modified.
    /// </summary>
    public static (Dataset Cleaned, CleaningReport Report) Clean(Dataset dataset, CleaningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new CleaningOptions();
        if (!(options.IqrK >= 0) || double.IsInfinity(options.IqrK))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IqrK, "IqrK must be finite and non-negative");
        }

        var changes = new List<CleaningChange>();
        var bounds = new List<OutlierBounds>();
        var series = new SkuSeries[dataset.Series.Count];
        for (var i = 0; i < series.Length; i++)
        {
            var original = dataset.Series[i];
            var units = (double[])original.Units.Clone();
            var skuChanges = new List<CleaningChange>();
            if (options.Outliers != OutlierMode.None && Fences(original.Sku, units, options) is { } b)
            {
                bounds.Add(b);
                for (var d = 0; d < units.Length; d++)
                {
                    var x = units[d];
                    if (double.IsNaN(x) || (x >= b.Lower && x <= b.Upper))
                    {
                        continue;
                    }

                    if (options.Outliers == OutlierMode.Clip)
                    {
                        units[d] = Math.Clamp(x, b.Lower, b.Upper);
                        skuChanges.Add(new CleaningChange(original.Sku, dataset.DateOf(d), CleaningChangeKind.Clipped, x, units[d]));
                    }
                    else
                    {
                        skuChanges.Add(new CleaningChange(original.Sku, dataset.DateOf(d), CleaningChangeKind.Flagged, x, x));
                    }
                }
            }

            if (options.Missing != MissingValueMode.Keep)
            {
                Fill(original.Sku, units, dataset, options.Missing, skuChanges);
            }

            changes.AddRange(skuChanges.OrderBy(c => c.Date));
            series[i] = original with { Units = units };
        }

        return (dataset with { Series = series }, new CleaningReport(options, changes, bounds));
    }

    /// <summary>The quartile at <paramref name="p"/> of sorted values, interpolating linearly between order statistics (h = (n − 1)p).</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("no values", nameof(sorted));
        }

        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    private static OutlierBounds? Fences(string sku, double[] units, CleaningOptions options)
    {
        var observed = units.Where(u => !double.IsNaN(u)).ToArray();
        if (observed.Length < Math.Max(1, options.MinObservationsForOutliers))
        {
            return null;
        }

        Array.Sort(observed);
        var q1 = Quantile(observed, 0.25);
        var q3 = Quantile(observed, 0.75);
        var iqr = q3 - q1;
        return new OutlierBounds(sku, q1, q3, q1 - (options.IqrK * iqr), q3 + (options.IqrK * iqr));
    }

    private static void Fill(string sku, double[] units, Dataset dataset, MissingValueMode mode, List<CleaningChange> changes)
    {
        var previous = -1; // last observed index
        var interpolate = mode == MissingValueMode.Interpolate && units.Any(u => !double.IsNaN(u));
        for (var d = 0; d <= units.Length; d++)
        {
            if (d < units.Length && double.IsNaN(units[d]))
            {
                continue;
            }

            // Days previous+1 .. d-1 are missing.
            for (var m = previous + 1; m < d; m++)
            {
                double value;
                CleaningChangeKind kind;
                if (!interpolate)
                {
                    value = 0;
                    kind = CleaningChangeKind.ZeroFilled;
                }
                else
                {
                    kind = CleaningChangeKind.Interpolated;
                    if (previous < 0)
                    {
                        value = units[d];
                    }
                    else if (d >= units.Length)
                    {
                        value = units[previous];
                    }
                    else
                    {
                        value = units[previous] + ((units[d] - units[previous]) * (m - previous) / (d - previous));
                    }
                }

                units[m] = value;
                changes.Add(new CleaningChange(sku, dataset.DateOf(m), kind, double.NaN, value));
            }

            previous = d;
        }
    }
}
