namespace SeasonalGrains.Simulation.Replay;

/// <summary>The replay window resolved against a dataset: day indexes into the dataset's series.</summary>
public sealed record ReplayWindow(DateOnly Start, DateOnly End, int StartIndex, int Days, int HistoryStartIndex)
{
    public int HistoryDays => StartIndex - HistoryStartIndex;

    /// <summary>Resolves the scenario's window; problems name <c>window.*</c> or <c>historyDays</c>.</summary>
    public static ReplayWindow Resolve(WindowSpec spec, int? historyDays, Dataset dataset, string source)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(dataset);
        var errors = new List<string>();
        DateOnly start, end;
        if (spec.LastDays is { } last)
        {
            if (last >= dataset.Days)
            {
                throw new ScenarioException(source,
                    $"window.lastDays: {last} days leave no history before the window in a dataset of {dataset.Days} days ({dataset.Start:yyyy-MM-dd}..{dataset.End:yyyy-MM-dd})");
            }

            end = dataset.End;
            start = end.AddDays(1 - last);
        }
        else
        {
            start = spec.Start!.Value;
            end = spec.End!.Value;
            if (start <= dataset.Start)
            {
                errors.Add($"window.start: {start:yyyy-MM-dd} leaves no history before the window; the dataset starts {dataset.Start:yyyy-MM-dd}");
            }

            if (start > dataset.End)
            {
                errors.Add($"window.start: {start:yyyy-MM-dd} is after the dataset's last day {dataset.End:yyyy-MM-dd}");
            }

            if (end > dataset.End)
            {
                errors.Add($"window.end: {end:yyyy-MM-dd} is after the dataset's last day {dataset.End:yyyy-MM-dd}");
            }

            if (errors.Count > 0)
            {
                throw new ScenarioException(source, errors);
            }
        }

        var startIndex = dataset.IndexOf(start);
        var historyStart = historyDays is { } h ? Math.Max(0, startIndex - h) : 0;
        return new ReplayWindow(start, end, startIndex, end.DayNumber - start.DayNumber + 1, historyStart);
    }
}
