namespace SeasonalGrains.Data.Io;

/// <summary>
/// One problem found in a dataset folder. <paramref name="Line"/> is the 1-based line in
/// <paramref name="File"/> (the header is line 1); 0 when the problem concerns the whole file.
/// </summary>
public sealed record DatasetError(string File, int Line, string? Column, string Reason)
{
    /// <summary>For example <c>demand.csv:12:units: 'abc' is not a number</c>.</summary>
    public override string ToString()
    {
        var location = Line > 0 ? $"{File}:{Line}" : File;
        return Column is null ? $"{location}: {Reason}" : $"{location}:{Column}: {Reason}";
    }
}

/// <summary>Thrown when a dataset folder (or truth.csv) fails validation; lists every error found.</summary>
public sealed class DatasetValidationException : Exception
{
    public DatasetValidationException(IReadOnlyList<DatasetError> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<DatasetError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<DatasetError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        const int Shown = 20;
        var lines = errors.Take(Shown).Select(e => "  " + e);
        var more = errors.Count > Shown ? $"{Environment.NewLine}  ... and {errors.Count - Shown} more" : "";
        return $"The dataset has {errors.Count} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{more}";
    }
}

/// <summary>Collects errors up to a limit; the last entry then says how many more were found.</summary>
internal sealed class ErrorList(int maxErrors)
{
    private readonly List<DatasetError> _errors = [];
    private int _dropped;

    public int Count => _errors.Count + _dropped;

    public void Add(string file, int line, string? column, string reason)
    {
        if (_errors.Count < maxErrors)
        {
            _errors.Add(new DatasetError(file, line, column, reason));
        }
        else
        {
            _dropped++;
        }
    }

    public bool Full => _errors.Count >= maxErrors;

    public void ThrowIfAny()
    {
        if (Count == 0)
        {
            return;
        }

        // Files in the order of the format, then by line; the sort is stable.
        var list = _errors
            .OrderBy(e => FileRank(e.File))
            .ThenBy(e => e.Line)
            .ToList();
        if (_dropped > 0)
        {
            list.Add(new DatasetError("(dataset)", 0, null, $"{_dropped} more error(s) not listed (limit {maxErrors})"));
        }

        throw new DatasetValidationException(list);
    }

    private static int FileRank(string file) => file switch
    {
        DatasetFiles.Info => 0,
        DatasetFiles.Skus => 1,
        DatasetFiles.Demand => 2,
        DatasetFiles.Calendar => 3,
        DatasetFiles.Weather => 4,
        _ => 5,
    };
}
