namespace SeasonalGrains.Simulation.Scenarios;

/// <summary>A scenario that cannot be run; every message names the key at fault (e.g. <c>costs.holding.annualRate</c>).</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string source, IReadOnlyList<string> errors)
        : base(BuildMessage(source, errors))
    {
        Source = source;
        Errors = errors;
    }

    public ScenarioException(string source, string error)
        : this(source, [error])
    {
    }

    public new string Source { get; }

    public IReadOnlyList<string> Errors { get; }

    private static string BuildMessage(string source, IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var where = string.IsNullOrEmpty(source) ? "The scenario" : $"Scenario {source}";
        return errors.Count == 1
            ? $"{where}: {errors[0]}"
            : $"{where} has {errors.Count} problems:{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}
