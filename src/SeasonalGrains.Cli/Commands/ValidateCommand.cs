using SeasonalGrains.Simulation.Replay;

namespace SeasonalGrains.Cli.Commands;

/// <summary><c>seasonal validate --dataset DIR</c>: reads a dataset folder and reports every problem.</summary>
public sealed class ValidateCommand : CliCommand
{
    private readonly Option<DirectoryInfo> _dataset = CliOptions.Dataset();

    public override IReadOnlyList<string> Path => ["validate"];

    public override string Description => "Validate a dataset folder (errors as file:line:column).";

    public override IEnumerable<Symbol> Symbols => [_dataset];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var folder = parse.GetRequiredValue(_dataset).FullName;
        var dataset = await Task.Run(() => DatasetLoadException.Read(folder), cancellationToken);
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{folder}: valid. {dataset.Skus.Count:N0} SKUs, {dataset.Days:N0} days ({dataset.Start:yyyy-MM-dd}..{dataset.End:yyyy-MM-dd})" +
            $"{(dataset.Calendar is null ? "" : ", calendar")}{(dataset.Weather is { Count: > 0 } w ? $", weather for {w.Count} region(s)" : "")}.")));
        return SeasonalCli.Ok;
    }
}
