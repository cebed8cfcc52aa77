using SeasonalGrains.Data.Import;

namespace SeasonalGrains.Cli.Commands;

/// <summary><c>seasonal import bike-sharing --input day.csv --out DIR</c>.</summary>
public sealed class ImportBikeSharingCommand : CliCommand
{
    private readonly Option<FileInfo> _input = CliOptions.Required<FileInfo>("--input", "-i", "day.csv of the UCI Bike Sharing Dataset.");

    private readonly Option<DirectoryInfo> _out = OutputOptions.DatasetFolder();

    private readonly Option<bool> _force = OutputOptions.Force();

    public override IReadOnlyList<string> Path => ["import", "bike-sharing"];

    public override string Description => "Convert the UCI Bike Sharing day.csv into a dataset folder (one SKU 'bikes').";

    public override IEnumerable<Symbol> Symbols => [_input, _out, _force];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var input = parse.GetRequiredValue(_input).FullName;
        var force = parse.GetValue(_force);
        var folder = OutputFolder.Check(parse.GetRequiredValue(_out).FullName, force);
        if (!File.Exists(input))
        {
            throw new UserInputException($"--input: the file '{input}' does not exist.");
        }

        var dataset = await Task.Run(
            () =>
            {
                var d = BikeSharingImporter.Import(input);
                cancellationToken.ThrowIfCancellationRequested();
                DatasetWriter.Write(d, folder, replace: force);
                return d;
            },
            cancellationToken);
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {folder}: {dataset.Skus.Count} SKU x {dataset.Days:N0} days ({dataset.Start:yyyy-MM-dd}..{dataset.End:yyyy-MM-dd}). {BikeSharingImporter.StockInformation}")));
        return SeasonalCli.Ok;
    }
}
