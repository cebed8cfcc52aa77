using System.Text;
using SeasonalGrains.Data.Truth;

namespace SeasonalGrains.Data.Io;

/// <summary>
/// Writes a <see cref="Dataset"/> (and optionally its <see cref="TruthTable"/>) as a dataset folder.
/// The files are written through <see cref="OutputFolder"/> (a temporary sibling folder that then replaces the
/// target), so a crash never leaves half a dataset. With <c>replace</c> (the default) an existing folder is
/// replaced: files in it that are not part of the format (e.g. ATTRIBUTION.md) are kept; dataset files the new
/// dataset does not have (e.g. an old weather.csv) are removed. Without it a non-empty folder is refused.
/// </summary>
public static class DatasetWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(Dataset dataset, string folder, TruthTable? truth = null, IProgress<double>? progress = null, bool replace = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Check(dataset, truth);

        OutputFolder.Write(folder, replace, temp => WriteFiles(dataset, temp, truth, progress), CopyOthers);
        progress?.Report(1.0);
    }

    private static void Check(Dataset dataset, TruthTable? truth)
    {
        var problems = new List<string>();
        if (dataset.Days <= 0)
        {
            problems.Add("the dataset has no days");
        }

        if (dataset.Skus.Count != dataset.Series.Count)
        {
            problems.Add($"{dataset.Skus.Count} SKUs but {dataset.Series.Count} series");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(dataset.Skus.Count, dataset.Series.Count); i++)
        {
            var sku = dataset.Skus[i];
            var series = dataset.Series[i];
            if (string.IsNullOrWhiteSpace(sku.Sku) || !names.Add(sku.Sku))
            {
                problems.Add($"sku '{sku.Sku}' is empty or duplicated");
            }

            if (series.Sku != sku.Sku)
            {
                problems.Add($"series {i} is '{series.Sku}' but sku {i} is '{sku.Sku}'");
            }

            if (series.Units.Length != dataset.Days || (series.Price?.Length ?? dataset.Days) != dataset.Days || (series.Promo?.Length ?? dataset.Days) != dataset.Days)
            {
                problems.Add($"series of '{sku.Sku}' do not have {dataset.Days} days");
                continue;
            }

            if (series.Units.Any(u => u < 0 || double.IsInfinity(u)))
            {
                problems.Add($"units of '{sku.Sku}' are negative or infinite");
            }
        }

        if (dataset.Calendar is { } calendar && (calendar.Holiday.Length != dataset.Days || calendar.Events.Values.Any(e => e.Length != dataset.Days)))
        {
            problems.Add($"the calendar does not have {dataset.Days} days");
        }

        foreach (var weather in dataset.Weather?.Values ?? [])
        {
            if (weather.TempC.Length != dataset.Days || weather.Humidity.Length != dataset.Days || weather.PrecipMm.Length != dataset.Days)
            {
                problems.Add($"the weather of '{weather.Region}' does not have {dataset.Days} days");
            }
        }

        if (truth is not null)
        {
            if (truth.Start != dataset.Start || truth.Days != dataset.Days)
            {
                problems.Add("the truth table's date range differs from the dataset's");
            }

            foreach (var sku in truth.Skus.Where(s => !names.Contains(s)))
            {
                problems.Add($"truth sku '{sku}' is not in the dataset");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("The dataset cannot be written: " + string.Join("; ", problems.Take(20)), nameof(dataset));
        }
    }

    private static void WriteFiles(Dataset dataset, string folder, TruthTable? truth, IProgress<double>? progress)
    {
        File.WriteAllText(Path.Combine(folder, DatasetFiles.Info), DatasetJson.Serialize(dataset.Info, dataset.Start, dataset.End), Utf8NoBom);
        WriteSkus(dataset, Path.Combine(folder, DatasetFiles.Skus));
        WriteDemand(dataset, Path.Combine(folder, DatasetFiles.Demand), progress, truth is null ? 0.9 : 0.5);
        if (dataset.Calendar is not null)
        {
            WriteCalendar(dataset, Path.Combine(folder, DatasetFiles.Calendar));
        }

        if (dataset.Weather is { Count: > 0 })
        {
            WriteWeather(dataset, Path.Combine(folder, DatasetFiles.Weather));
        }

        if (truth is not null)
        {
            WriteTruth(truth, Path.Combine(folder, DatasetFiles.Truth), progress);
        }
    }

    private static StreamWriter Create(string path) => new(path, append: false, Utf8NoBom, bufferSize: 1 << 16) { NewLine = "\n" };

    private static void WriteSkus(Dataset dataset, string path)
    {
        using var writer = Create(path);
        var sb = new StringBuilder("sku,category,region,unit_cost,unit_price,lead_time_days,initial_on_hand,moq,case_pack,salvage_value\n");
        foreach (var s in dataset.Skus)
        {
            CsvFormat.AppendField(sb, s.Sku);
            sb.Append(',');
            CsvFormat.AppendField(sb, s.Category);
            sb.Append(',');
            CsvFormat.AppendField(sb, s.Region);
            foreach (var value in (ReadOnlySpan<double>)[s.UnitCost, s.UnitPrice, s.LeadTimeDays, s.InitialOnHand, s.Moq, s.CasePack, s.SalvageValue])
            {
                sb.Append(',');
                CsvFormat.AppendNumber(sb, value);
            }

            sb.Append('\n');
        }

        writer.Write(sb);
    }

    private static void WriteDemand(Dataset dataset, string path, IProgress<double>? progress, double share)
    {
        var hasPrice = dataset.Series.Any(s => s.Price is not null);
        var hasPromo = dataset.Series.Any(s => s.Promo is not null);
        var hasStock = dataset.HasStockInformation;
        using var writer = Create(path);
        var sb = new StringBuilder(1 << 16);
        sb.Append("sku,date,units").Append(hasPrice ? ",price" : "").Append(hasPromo ? ",promo" : "").Append(hasStock ? ",in_stock" : "").Append('\n');
        for (var i = 0; i < dataset.Series.Count; i++)
        {
            var series = dataset.Series[i];
            var sku = CsvFormat.Escape(series.Sku);
            for (var d = 0; d < dataset.Days; d++)
            {
                var units = series.Units[d];
                var price = series.Price?[d] ?? double.NaN;
                var promo = series.Promo?[d] ?? false;
                var censored = series.IsCensored(d);
                if (double.IsNaN(units) && double.IsNaN(price) && !promo && !censored)
                {
                    continue; // a missing day with nothing else to say is simply absent
                }

                sb.Append(sku).Append(',');
                CsvFormat.AppendDate(sb, dataset.DateOf(d));
                sb.Append(',');
                CsvFormat.AppendNumber(sb, units);
                if (hasPrice)
                {
                    sb.Append(',');
                    CsvFormat.AppendNumber(sb, price);
                }

                if (hasPromo)
                {
                    sb.Append(promo ? ",1" : ",0");
                }

                if (hasStock)
                {
                    sb.Append(censored ? ",0" : ",1");
                }

                sb.Append('\n');
            }

            if (sb.Length > 1 << 20)
            {
                writer.Write(sb);
                sb.Clear();
            }

            if (progress is not null && (i & 63) == 0)
            {
                progress.Report(share * i / dataset.Series.Count);
            }
        }

        writer.Write(sb);
    }

    private static void WriteCalendar(Dataset dataset, string path)
    {
        var calendar = dataset.Calendar!;
        var events = calendar.Events.Keys.ToArray();
        using var writer = Create(path);
        var sb = new StringBuilder("date,holiday");
        foreach (var name in events)
        {
            sb.Append(',');
            CsvFormat.AppendField(sb, name);
        }

        sb.Append('\n');
        for (var d = 0; d < dataset.Days; d++)
        {
            CsvFormat.AppendDate(sb, dataset.DateOf(d));
            sb.Append(',');
            CsvFormat.AppendField(sb, calendar.Holiday[d] ?? "");
            foreach (var name in events)
            {
                sb.Append(',');
                CsvFormat.AppendNumber(sb, calendar.Events[name][d]);
            }

            sb.Append('\n');
        }

        writer.Write(sb);
    }

    private static void WriteWeather(Dataset dataset, string path)
    {
        var regions = dataset.Weather!.Values.OrderBy(w => w.Region, StringComparer.Ordinal).ToArray();
        using var writer = Create(path);
        var sb = new StringBuilder("date,region,temp_c,humidity,precip_mm\n");
        for (var d = 0; d < dataset.Days; d++)
        {
            foreach (var w in regions)
            {
                if (double.IsNaN(w.TempC[d]) && double.IsNaN(w.Humidity[d]) && double.IsNaN(w.PrecipMm[d]))
                {
                    continue;
                }

                CsvFormat.AppendDate(sb, dataset.DateOf(d));
                sb.Append(',');
                CsvFormat.AppendField(sb, w.Region);
                sb.Append(',');
                CsvFormat.AppendNumber(sb, w.TempC[d]);
                sb.Append(',');
                CsvFormat.AppendNumber(sb, w.Humidity[d]);
                sb.Append(',');
                CsvFormat.AppendNumber(sb, w.PrecipMm[d]);
                sb.Append('\n');
            }
        }

        writer.Write(sb);
    }

    private static void WriteTruth(TruthTable truth, string path, IProgress<double>? progress)
    {
        using var writer = Create(path);
        var sb = new StringBuilder(1 << 16);
        sb.Append("sku,date,mean");
        foreach (var level in truth.Levels)
        {
            sb.Append(",q").Append(level.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }

        sb.Append('\n');
        for (var s = 0; s < truth.Skus.Count; s++)
        {
            var sku = CsvFormat.Escape(truth.Skus[s]);
            var mean = truth.Mean[s];
            var quantiles = truth.Quantiles(s);
            for (var d = 0; d < truth.Days; d++)
            {
                if (double.IsNaN(mean[d]))
                {
                    continue;
                }

                sb.Append(sku).Append(',');
                CsvFormat.AppendDate(sb, truth.Start.AddDays(d));
                sb.Append(',');
                CsvFormat.AppendNumber(sb, mean[d]);
                foreach (var q in quantiles)
                {
                    sb.Append(',');
                    CsvFormat.AppendNumber(sb, q[d]);
                }

                sb.Append('\n');
            }

            if (sb.Length > 1 << 20)
            {
                writer.Write(sb);
                sb.Clear();
            }

            if (progress is not null && (s & 63) == 0)
            {
                progress.Report(0.5 + (0.45 * s / truth.Skus.Count));
            }
        }

        writer.Write(sb);
    }

    private static void CopyOthers(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var name = Path.GetFileName(file);
            if (!DatasetFiles.All.Contains(name))
            {
                File.Copy(file, Path.Combine(to, name));
            }
        }

        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var sub = Path.Combine(to, Path.GetFileName(dir));
            Directory.CreateDirectory(sub);
            CopyAll(dir, sub);
        }
    }

    private static void CopyAll(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var sub = Path.Combine(to, Path.GetFileName(dir));
            Directory.CreateDirectory(sub);
            CopyAll(dir, sub);
        }
    }
}
