using SeasonalGrains.Data.Import;

namespace SeasonalGrains.Cli.Commands;

/// <summary><c>seasonal import m5 --input DIR --out DIR [--stores ...] [--max-items N]</c>.</summary>
public sealed class ImportM5Command : CliCommand
{
    private readonly Option<DirectoryInfo> _input = CliOptions.Required<DirectoryInfo>(
        "--input", "-i", "Folder with the M5 files (calendar.csv, sell_prices.csv, sales_train_*.csv).");

    private readonly Option<DirectoryInfo> _out = OutputOptions.DatasetFolder();

    private readonly Option<bool> _force = OutputOptions.Force();

    private readonly Option<string[]> _stores = new("--stores")
    {
        Description = "Only these store ids (e.g. CA_1 TX_2).",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<int?> _maxItems = CliOptions.Optional<int?>("--max-items", "At most this many items (the first in file order).");

    public override IReadOnlyList<string> Path => ["import", "m5"];

    public override string Description => "Convert the M5 competition files into a dataset folder (SKU = item_store).";

    public override IEnumerable<Symbol> Symbols => [_input, _out, _force, _stores, _maxItems];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var input = parse.GetRequiredValue(_input).FullName;
        var force = parse.GetValue(_force);
        var folder = OutputFolder.Check(parse.GetRequiredValue(_out).FullName, force);
        var maxItems = parse.GetValue(_maxItems);
        if (!Directory.Exists(input))
        {
            throw new UserInputException($"--input: the folder '{input}' does not exist.");
        }

        if (maxItems is < 1)
        {
            throw new UserInputException($"--max-items must be at least 1 (got {maxItems}).");
        }

        var stores = parse.GetValue(_stores);
        var dataset = await CliProgress.RunAsync(context, report => Task.Run(
            () =>
            {
                var d = M5Importer.Import(input, new M5ImportOptions
                {
                    Stores = stores is { Length: > 0 } ? stores : null,
                    MaxItems = maxItems,
                    Progress = new Progress<double>(f => report("Reading M5", f)),
                });
                cancellationToken.ThrowIfCancellationRequested();
                DatasetWriter.Write(d, folder, progress: new Progress<double>(f => report("Writing", f)), replace: force);
                return d;
            },
            cancellationToken));
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {folder}: {dataset.Skus.Count:N0} SKUs x {dataset.Days:N0} days ({dataset.Start:yyyy-MM-dd}..{dataset.End:yyyy-MM-dd}). {M5Importer.StockInformation}")));
        return SeasonalCli.Ok;
    }
}
