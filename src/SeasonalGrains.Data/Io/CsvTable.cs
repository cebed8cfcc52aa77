namespace SeasonalGrains.Data.Io;

/// <summary>Header checking shared by the dataset readers.</summary>
internal sealed class CsvHeader
{
    private readonly Dictionary<string, int> _index;

    private CsvHeader(string[] names, Dictionary<string, int> index)
    {
        Names = names;
        _index = index;
    }

    public string[] Names { get; }

    public int Count => Names.Length;

    /// <summary>Column index of <paramref name="name"/>, or -1.</summary>
    public int this[string name] => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>
    /// Reads the header line. Records missing required columns, duplicate columns and (unless
    /// <paramref name="extras"/> is given) unknown columns; returns null when the rows can't be read.
    /// </summary>
    public static CsvHeader? Read(
        CsvReader csv,
        string file,
        IReadOnlyList<string> required,
        IReadOnlyList<string> optional,
        ErrorList errors,
        List<string>? extras = null)
    {
        if (!csv.Read())
        {
            errors.Add(file, 0, null, "file is empty (expected a header line)");
            return null;
        }

        if (csv.FormatError is { } format)
        {
            errors.Add(file, csv.LineNumber, null, format);
            return null;
        }

        var ok = true;
        var names = new string[csv.FieldCount];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < csv.FieldCount; i++)
        {
            var name = csv[i].Trim().ToString();
            names[i] = name;
            if (name.Length == 0)
            {
                errors.Add(file, csv.LineNumber, null, $"column {i + 1} has an empty name");
                ok = false;
                continue;
            }

            if (!index.TryAdd(name, i))
            {
                errors.Add(file, csv.LineNumber, name, $"duplicate column '{name}'");
                ok = false;
                continue;
            }

            if (!required.Contains(name) && !optional.Contains(name))
            {
                if (extras is not null)
                {
                    extras.Add(name);
                }
                else
                {
                    var all = string.Join(",", required.Concat(optional));
                    errors.Add(file, csv.LineNumber, name, $"unknown column '{name}' (expected {all})");
                    ok = false;
                }
            }
        }

        foreach (var name in required)
        {
            if (!index.ContainsKey(name))
            {
                errors.Add(file, csv.LineNumber, name, $"missing required column '{name}'");
                ok = false;
            }
        }

        return ok ? new CsvHeader(names, index) : null;
    }

    /// <summary>Checks the shape of a data row; records and returns false when it can't be read.</summary>
    public bool CheckRow(CsvReader csv, string file, ErrorList errors)
    {
        if (csv.FormatError is { } format)
        {
            errors.Add(file, csv.LineNumber, null, format);
            return false;
        }

        if (csv.FieldCount != Count)
        {
            errors.Add(file, csv.LineNumber, null, $"expected {Count} fields, found {csv.FieldCount}");
            return false;
        }

        return true;
    }
}
