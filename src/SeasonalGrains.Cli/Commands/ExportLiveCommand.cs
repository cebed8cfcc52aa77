using SeasonalGrains.Grains.Live;
using SeasonalGrains.Grains.Live.Export;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// <c>seasonal export live --out DIR [--connection CS]</c>: writes the live SKUs' stored history as a dataset folder that
/// <c>seasonal train --dataset DIR</c> reads (see <see cref="LiveHistoryExport"/>), reading the grain state table of
/// PostgreSQL directly, so the host may be stopped.
/// </summary>
public sealed class ExportLiveCommand : CliCommand
{
    private readonly Option<DirectoryInfo> _out = OutputOptions.DatasetFolder();

    private readonly Option<bool> _force = OutputOptions.Force();

    private readonly Option<string> _name = CliOptions.Defaulted("--name", "The dataset's name (dataset.json).", "live");

    private readonly LiveStateOptions _state = new();

    public override IReadOnlyList<string> Path => ["export", "live"];

    public override string Description =>
        $"Write the live SKUs' stored history (at most {LiveSkuOptions.MaxHistoryDays} days each) as a dataset folder for `seasonal train`, with in_stock 0 on days that ended out of stock.";

    public override IEnumerable<Symbol> Symbols => [_out, _force, _name, .. _state.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var name = parse.GetValue(_name);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new UserInputException("--name is empty.");
        }

        var force = parse.GetValue(_force);
        var folder = OutputFolder.Check(parse.GetRequiredValue(_out).FullName, force);
        using var reader = _state.Open(parse, "export");
        context.Console.MarkupLine(Markup.Escape($"Reading live SKUs from the {reader.Description} ..."));
        var skus = await LiveStateOptions.RunAsync(() => reader.ReadSkusAsync(cancellationToken));
        var days = await LiveStateOptions.RunAsync(() => reader.ReadDaysAsync(cancellationToken));
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Read {skus.Count:N0} live SKU(s), {(days.ContainsKey("calendar") ? "the shop's calendar" : "no calendar")}, weather of {days.Keys.Count(k => k.StartsWith("weather/", StringComparison.Ordinal))} region(s).")));
        var export = LiveHistoryExport.Build(name, skus, days, reader.Description)
            ?? throw new UserInputException(
                $"there is nothing to export: the {reader.Description} holds {(skus.Count == 0 ? "no live SKU" : $"{skus.Count} live SKU(s) without a day of sales history")}. " +
                "Define SKUs (PUT /api/v1/skus/{sku}, with a history or closed days) on a host with Storage:Provider=postgres. Nothing was written.");
        var d = export.Dataset;
        await Task.Run(() => DatasetWriter.Write(d, folder, replace: force), cancellationToken);
        context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {folder}: {d.Skus.Count:N0} SKUs x {d.Days:N0} days ({d.Start:yyyy-MM-dd}..{d.End:yyyy-MM-dd}), {export.ClosedDays:N0} SKU-days closed live, " +
            $"{export.StockoutDays:N0} out of stock (in_stock 0), {(export.HasCalendar ? "calendar.csv" : "no calendar")}, weather of {export.WeatherRegions} region(s).")));
        return SeasonalCli.Ok;
    }
}
