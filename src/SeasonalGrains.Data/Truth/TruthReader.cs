namespace SeasonalGrains.Data.Truth;

/// <summary>Reads truth.csv: <c>sku,date,mean,q0.005,...</c> (levels taken from the q-column names).</summary>
public static class TruthReader
{
    /// <summary>
    /// Reads <c>truth.csv</c> from <paramref name="folder"/>; null when there is none. With a
    /// <paramref name="dataset"/> the table is aligned to its SKUs and date range and checked against them;
    /// without, SKUs keep their order of appearance and the range spans the file's dates.
    /// </summary>
    public static TruthTable? Read(string folder, Dataset? dataset = null, int maxErrors = 10_000)
    {
        const string File = DatasetFiles.Truth;
        var path = Path.Combine(folder, File);
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        var errors = new ErrorList(maxErrors);
        using var csv = CsvReader.Open(path);
        var extras = new List<string>();
        var header = CsvHeader.Read(csv, File, ["sku", "date", "mean"], [], errors, extras);
        var levels = new List<double>();
        var levelColumns = new List<int>();
        if (header is not null)
        {
            foreach (var name in extras)
            {
                if (name.Length > 1 && name[0] == 'q'
                    && double.TryParse(name.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out var level)
                    && level > 0 && level < 1)
                {
                    if (levels.Count > 0 && level <= levels[^1])
                    {
                        errors.Add(File, 1, name, "quantile columns must be in ascending order of level");
                    }

                    levels.Add(level);
                    levelColumns.Add(header[name]);
                }
                else
                {
                    errors.Add(File, 1, name, $"unknown column '{name}' (expected sku,date,mean then q<level> columns such as q0.5)");
                }
            }
        }

        if (header is null || errors.Count > 0)
        {
            errors.ThrowIfAny();
            return null;
        }

        var skuIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var skuNames = new List<string>();
        if (dataset is not null)
        {
            foreach (var s in dataset.Skus)
            {
                skuIndex[s.Sku] = skuNames.Count;
                skuNames.Add(s.Sku);
            }
        }

        var rows = new List<(int Sku, int DayNumber, int Line, double Mean, double[] Q)>();
        int cSku = header["sku"], cDate = header["date"], cMean = header["mean"];
        while (csv.Read())
        {
            if (!header.CheckRow(csv, File, errors))
            {
                continue;
            }

            var line = csv.LineNumber;
            var sku = csv.GetString(cSku);
            if (!skuIndex.TryGetValue(sku, out var s))
            {
                if (dataset is not null)
                {
                    errors.Add(File, line, "sku", $"sku '{sku}' is not in the dataset");
                    continue;
                }

                s = skuNames.Count;
                skuIndex[sku] = s;
                skuNames.Add(sku);
            }

            if (!CsvFormat.TryParseDate(csv[cDate], out var date))
            {
                errors.Add(File, line, "date", $"'{csv[cDate]}' is not a date (expected yyyy-MM-dd)");
                continue;
            }

            if (dataset is not null && (date < dataset.Start || date > dataset.End))
            {
                errors.Add(File, line, "date", $"date {CsvFormat.FormatDate(date)} is outside the dataset range {CsvFormat.FormatDate(dataset.Start)}..{CsvFormat.FormatDate(dataset.End)}");
                continue;
            }

            var mean = Value(csv, cMean, "mean", errors);
            var q = new double[levels.Count];
            for (var l = 0; l < q.Length; l++)
            {
                q[l] = Value(csv, levelColumns[l], extras[l], errors);
                if (l > 0 && q[l] < q[l - 1])
                {
                    errors.Add(File, line, extras[l], $"quantile {q[l].ToString(CultureInfo.InvariantCulture)} is below the one at the previous level");
                }
            }

            rows.Add((s, date.DayNumber, line, mean, q));
        }

        var start = dataset?.Start ?? (rows.Count == 0 ? DateOnly.MinValue : DateOnly.FromDayNumber(rows.Min(r => r.DayNumber)));
        var days = dataset?.Days ?? (rows.Count == 0 ? 0 : rows.Max(r => r.DayNumber) - start.DayNumber + 1);
        var means = new double[skuNames.Count][];
        var quantiles = new double[skuNames.Count][][];
        var lines = new int[skuNames.Count][];
        for (var s = 0; s < skuNames.Count; s++)
        {
            means[s] = NaNs(days);
            quantiles[s] = [.. Enumerable.Range(0, levels.Count).Select(_ => NaNs(days))];
            lines[s] = new int[days];
        }

        foreach (var (s, dayNumber, line, mean, q) in rows)
        {
            var d = dayNumber - start.DayNumber;
            if (lines[s][d] != 0)
            {
                errors.Add(File, line, "date", $"duplicate row for sku '{skuNames[s]}' on {CsvFormat.FormatDate(DateOnly.FromDayNumber(dayNumber))} (first at line {lines[s][d]})");
                continue;
            }

            lines[s][d] = line;
            means[s][d] = mean;
            for (var l = 0; l < q.Length; l++)
            {
                quantiles[s][l][d] = q[l];
            }
        }

        errors.ThrowIfAny();
        return TruthTable.FromQuantiles(skuNames, start, days, levels, means, quantiles);
    }

    private static double Value(CsvReader csv, int column, string name, ErrorList errors)
    {
        var text = csv[column];
        if (!CsvFormat.TryParseDouble(text, out var x) || !double.IsFinite(x) || x < 0)
        {
            errors.Add(DatasetFiles.Truth, csv.LineNumber, name, $"'{text}' is not a finite non-negative number");
            return double.NaN;
        }

        return x;
    }

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }
}
