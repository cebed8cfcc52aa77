using SeasonalGrains.Data.Cleaning;

namespace SeasonalGrains.Data.Import;

/// <summary>How SKUs imported from M5 are named.</summary>
public enum M5SkuNaming
{
    /// <summary><c>item_id + "_" + store_id</c>, e.g. FOODS_3_090_CA_3.</summary>
    ItemStore,

    /// <summary>The <c>id</c> column, e.g. FOODS_3_090_CA_3_evaluation.</summary>
    Id,
}

/// <summary>Which M5 column becomes the SKU category.</summary>
public enum M5CategoryLevel
{
    /// <summary><c>dept_id</c>, e.g. FOODS_3.</summary>
    Department,

    /// <summary><c>cat_id</c>, e.g. FOODS.</summary>
    Category,
}

/// <summary>Options of <see cref="M5Importer.Import"/>.</summary>
public sealed record M5ImportOptions
{
    /// <summary>The sales file in the folder; by default sales_train_evaluation.csv if present, else sales_train_validation.csv.</summary>
    public string? SalesFile { get; init; }

    /// <summary>Only these store_id values (all when null).</summary>
    public IReadOnlyCollection<string>? Stores { get; init; }

    /// <summary>Only these item_id values (all when null).</summary>
    public IReadOnlyCollection<string>? Items { get; init; }

    /// <summary>At most this many distinct items, the first in file order after the other filters (all when null).</summary>
    public int? MaxItems { get; init; }

    public M5SkuNaming SkuNaming { get; init; } = M5SkuNaming.ItemStore;

    public M5CategoryLevel CategoryLevel { get; init; } = M5CategoryLevel.Department;

    /// <summary>M5 has no costs: unit_cost = this share of the item's median sell price (an assumption).</summary>
    public double CostRatio { get; init; } = 0.6;

    /// <summary>M5 has no lead times: this one (an assumption) is given to every SKU.</summary>
    public int LeadTimeDays { get; init; } = 7;

    /// <summary>
    /// When true, units on days before the item's first sell price (not yet on sale) become missing
    /// instead of the zeros the file records.
    /// </summary>
    public bool UnitsBeforeFirstPriceMissing { get; init; }

    /// <summary>Name for dataset.json (default "m5").</summary>
    public string? Name { get; init; }

    public IProgress<double>? Progress { get; init; }
}

/// <summary>
/// Imports the M5 forecasting competition format (Walmart daily unit sales): a wide sales file
/// (id,item_id,dept_id,cat_id,store_id,state_id,d_1..d_N), calendar.csv (date, wm_yr_wk, d, events, snap_*)
/// and sell_prices.csv (store_id,item_id,wm_yr_wk,sell_price). Region = state_id; the daily price is
/// the week's sell price (missing before the item's first price); calendar events become holidays
/// (two on one day are joined with '|'), and snap_* plus one 0/1 column per event type become event columns.
/// </summary>
public static class M5Importer
{
    /// <summary>What the M5 files say about stock (written into dataset.json's notes and printed by the import).</summary>
    public const string StockInformation =
        "Stock: none known. M5 gives unit sales only, so no day is marked out of stock (demand.csv has no in_stock column); a run of zero sales of an item that usually sells may be a stockout the data does not mark.";

    public const string CalendarFile = "calendar.csv";
    public const string PricesFile = "sell_prices.csv";
    public const string EvaluationFile = "sales_train_evaluation.csv";
    public const string ValidationFile = "sales_train_validation.csv";

    private static readonly string[] SalesKeys = ["id", "item_id", "dept_id", "cat_id", "store_id", "state_id"];

    public static Dataset Import(string m5Folder, M5ImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(m5Folder);
        options ??= new M5ImportOptions();
        if (!Directory.Exists(m5Folder))
        {
            throw new DirectoryNotFoundException($"M5 folder '{m5Folder}' does not exist.");
        }

        if (options.MaxItems is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxItems, "MaxItems must be at least 1");
        }

        var errors = new ErrorList(10_000);
        var salesFile = options.SalesFile
            ?? (File.Exists(Path.Combine(m5Folder, EvaluationFile)) ? EvaluationFile : ValidationFile);
        foreach (var required in new[] { CalendarFile, salesFile, PricesFile })
        {
            if (!File.Exists(Path.Combine(m5Folder, required)))
            {
                errors.Add(required, 0, null, "file is missing");
            }
        }

        errors.ThrowIfAny();
        var calendar = ReadCalendar(Path.Combine(m5Folder, CalendarFile), errors);
        errors.ThrowIfAny();
        options.Progress?.Report(0.05);

        var sales = ReadSales(Path.Combine(m5Folder, salesFile), salesFile, calendar, options, errors);
        errors.ThrowIfAny();
        options.Progress?.Report(0.5);

        var prices = ReadPrices(Path.Combine(m5Folder, PricesFile), sales, errors);
        errors.ThrowIfAny();
        options.Progress?.Report(0.95);

        return Build(calendar, sales, prices, options, errors);
    }

    private sealed record M5Calendar(
        Dictionary<string, int> DayIndex, // "d_1" -> row
        DateOnly[] Dates,
        int[] Week,
        string?[] Holiday,
        Dictionary<string, double[]> Events);

    private sealed record SalesRow(string Sku, string Item, string Store, string Category, string Region, double[] Units);

    private sealed record Sales(DateOnly Start, int[] CalendarRows, List<SalesRow> Rows);

    private static M5Calendar ReadCalendar(string path, ErrorList errors)
    {
        const string File = CalendarFile;
        using var csv = CsvReader.Open(path);
        var extras = new List<string>();
        var header = CsvHeader.Read(csv, File, ["date", "wm_yr_wk", "d"], [], errors, extras);
        if (header is null)
        {
            return new M5Calendar([], [], [], [], []);
        }

        var snapColumns = extras.Where(e => e.StartsWith("snap_", StringComparison.Ordinal)).ToArray();
        int cDate = header["date"], cWeek = header["wm_yr_wk"], cD = header["d"];
        int[] nameColumns = [header["event_name_1"], header["event_name_2"]];
        int[] typeColumns = [header["event_type_1"], header["event_type_2"]];
        var dayIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var dates = new List<DateOnly>();
        var weeks = new List<int>();
        var holidays = new List<string?>();
        var snaps = snapColumns.ToDictionary(s => s, _ => new List<double>());
        var types = new List<List<string>>();
        while (csv.Read())
        {
            if (!header.CheckRow(csv, File, errors))
            {
                continue;
            }

            var line = csv.LineNumber;
            if (!CsvFormat.TryParseDate(csv[cDate], out var date))
            {
                errors.Add(File, line, "date", $"'{csv[cDate]}' is not a date (expected yyyy-MM-dd)");
                continue;
            }

            if (!CsvFormat.TryParseInt(csv[cWeek], out var week))
            {
                errors.Add(File, line, "wm_yr_wk", $"'{csv[cWeek]}' is not a week number");
                continue;
            }

            var d = csv.GetString(cD);
            if (!dayIndex.TryAdd(d, dates.Count))
            {
                errors.Add(File, line, "d", $"duplicate day '{d}'");
                continue;
            }

            var names = nameColumns.Where(c => c >= 0).Select(c => csv[c].Trim().ToString()).Where(n => n.Length > 0).ToArray();
            holidays.Add(names.Length == 0 ? null : string.Join('|', names));
            types.Add([.. typeColumns.Where(c => c >= 0).Select(c => csv[c].Trim().ToString()).Where(t => t.Length > 0)]);
            foreach (var snap in snapColumns)
            {
                var text = csv[header[snap]];
                if (!CsvFormat.TryParseDouble(text, out var value) || !double.IsFinite(value))
                {
                    errors.Add(File, line, snap, $"'{text}' is not a number");
                }

                snaps[snap].Add(value);
            }

            dates.Add(date);
            weeks.Add(week);
        }

        var events = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var snap in snapColumns)
        {
            events[snap] = [.. snaps[snap]];
        }

        foreach (var type in types.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            events["event_" + type.ToLowerInvariant()] = [.. types.Select(t => t.Contains(type) ? 1.0 : 0.0)];
        }

        return new M5Calendar(dayIndex, [.. dates], [.. weeks], [.. holidays], events);
    }

    private static Sales ReadSales(string path, string file, M5Calendar calendar, M5ImportOptions options, ErrorList errors)
    {
        using var csv = CsvReader.Open(path);
        var extras = new List<string>();
        var header = CsvHeader.Read(csv, file, SalesKeys, [], errors, extras);
        if (header is null)
        {
            return new Sales(default, [], []);
        }

        // The d_ columns, mapped to calendar rows; they must be consecutive days.
        var dayColumns = new List<(int Column, int Row)>();
        foreach (var name in extras)
        {
            if (!calendar.DayIndex.TryGetValue(name, out var row))
            {
                errors.Add(file, 1, name, $"column '{name}' is not a day of {CalendarFile}");
                continue;
            }

            if (dayColumns.Count > 0 && calendar.Dates[row] != calendar.Dates[dayColumns[^1].Row].AddDays(1))
            {
                errors.Add(file, 1, name, $"day column '{name}' ({CsvFormat.FormatDate(calendar.Dates[row])}) does not follow the previous one");
            }

            dayColumns.Add((header[name], row));
        }

        if (dayColumns.Count == 0)
        {
            errors.Add(file, 1, null, "no day columns (d_1, d_2, ...)");
        }

        if (errors.Count > 0)
        {
            return new Sales(default, [], []);
        }

        var stores = options.Stores?.ToHashSet(StringComparer.Ordinal);
        var items = options.Items?.ToHashSet(StringComparer.Ordinal);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        var skuLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<SalesRow>();
        int cId = header["id"], cItem = header["item_id"], cDept = header["dept_id"], cCat = header["cat_id"], cStore = header["store_id"], cState = header["state_id"];
        while (csv.Read())
        {
            if (!header.CheckRow(csv, file, errors))
            {
                continue;
            }

            var item = csv.GetString(cItem);
            var store = csv.GetString(cStore);
            if ((stores is not null && !stores.Contains(store)) || (items is not null && !items.Contains(item)))
            {
                continue;
            }

            if (!chosen.Contains(item))
            {
                if (options.MaxItems is { } max && chosen.Count >= max)
                {
                    continue;
                }

                chosen.Add(item);
            }

            var line = csv.LineNumber;
            var sku = options.SkuNaming == M5SkuNaming.Id ? csv.GetString(cId) : $"{item}_{store}";
            if (!skuLines.TryAdd(sku, line))
            {
                errors.Add(file, line, "id", $"duplicate sku '{sku}' (first at line {skuLines[sku]})");
                continue;
            }

            var units = new double[dayColumns.Count];
            for (var i = 0; i < units.Length; i++)
            {
                var text = csv[dayColumns[i].Column];
                if (!CsvFormat.TryParseDouble(text, out var x) || !double.IsFinite(x) || x < 0)
                {
                    errors.Add(file, line, header.Names[dayColumns[i].Column], $"'{text}' is not a non-negative number");
                    x = double.NaN;
                }

                units[i] = x;
            }

            var category = options.CategoryLevel == M5CategoryLevel.Department ? csv.GetString(cDept) : csv.GetString(cCat);
            rows.Add(new SalesRow(sku, item, store, category, csv.GetString(cState), units));
        }

        if (rows.Count == 0)
        {
            errors.Add(file, 0, null, "no rows match the store and item filters");
        }

        return new Sales(calendar.Dates[dayColumns[0].Row], [.. dayColumns.Select(c => c.Row)], rows);
    }

    private static Dictionary<string, Dictionary<int, double>> ReadPrices(string path, Sales sales, ErrorList errors)
    {
        const string File = PricesFile;
        var byKey = new Dictionary<string, Dictionary<int, double>>(StringComparer.Ordinal);
        foreach (var row in sales.Rows)
        {
            byKey.TryAdd(row.Item + "\u0001" + row.Store, []);
        }

        var lookup = byKey.GetAlternateLookup<ReadOnlySpan<char>>();
        using var csv = CsvReader.Open(path);
        var header = CsvHeader.Read(csv, File, ["store_id", "item_id", "wm_yr_wk", "sell_price"], [], errors);
        if (header is null)
        {
            return byKey;
        }

        int cStore = header["store_id"], cItem = header["item_id"], cWeek = header["wm_yr_wk"], cPrice = header["sell_price"];
        Span<char> key = stackalloc char[256];
        while (csv.Read())
        {
            if (!header.CheckRow(csv, File, errors))
            {
                continue;
            }

            var item = csv[cItem];
            var store = csv[cStore];
            if (item.Length + store.Length + 1 > key.Length)
            {
                continue;
            }

            item.CopyTo(key);
            key[item.Length] = '\u0001';
            store.CopyTo(key[(item.Length + 1)..]);
            if (!lookup.TryGetValue(key[..(item.Length + 1 + store.Length)], out var weeks))
            {
                continue;
            }

            var line = csv.LineNumber;
            if (!CsvFormat.TryParseInt(csv[cWeek], out var week))
            {
                errors.Add(File, line, "wm_yr_wk", $"'{csv[cWeek]}' is not a week number");
                continue;
            }

            if (!CsvFormat.TryParseDouble(csv[cPrice], out var price) || !double.IsFinite(price) || price < 0)
            {
                errors.Add(File, line, "sell_price", $"'{csv[cPrice]}' is not a non-negative number");
                continue;
            }

            if (!weeks.TryAdd(week, price))
            {
                errors.Add(File, line, "wm_yr_wk", $"duplicate price for item '{item}' in store '{store}' in week {week}");
            }
        }

        return byKey;
    }

    private static Dataset Build(M5Calendar calendar, Sales sales, Dictionary<string, Dictionary<int, double>> prices, M5ImportOptions options, ErrorList errors)
    {
        var days = sales.CalendarRows.Length;
        var skus = new List<SkuInfo>();
        var series = new List<SkuSeries>();
        foreach (var row in sales.Rows)
        {
            var weeks = prices[row.Item + "\u0001" + row.Store];
            var price = new double[days];
            var first = -1;
            for (var d = 0; d < days; d++)
            {
                price[d] = weeks.TryGetValue(calendar.Week[sales.CalendarRows[d]], out var p) ? p : double.NaN;
                if (first < 0 && !double.IsNaN(price[d]))
                {
                    first = d;
                }
            }

            if (first < 0)
            {
                errors.Add(PricesFile, 0, null, $"no sell price for item '{row.Item}' in store '{row.Store}' within the sales dates");
                continue;
            }

            var units = row.Units;
            if (options.UnitsBeforeFirstPriceMissing)
            {
                Array.Fill(units, double.NaN, 0, first);
            }

            var known = price.Where(p => !double.IsNaN(p)).Order().ToArray();
            var median = DatasetCleaner.Quantile(known, 0.5);
            var cost = Math.Round(median * options.CostRatio, 2);
            var early = units.Skip(first).Take(28).Where(u => !double.IsNaN(u)).DefaultIfEmpty(0).Average();
            skus.Add(new SkuInfo(row.Sku, row.Category, row.Region, cost, Math.Round(median, 2), options.LeadTimeDays, Math.Round(14 * early), 0, 1, Math.Round(0.3 * cost, 2)));
            series.Add(new SkuSeries(row.Sku, units, price));
        }

        errors.ThrowIfAny();
        var start = sales.Start;
        var holiday = sales.CalendarRows.Select(r => calendar.Holiday[r]).ToArray();
        var events = calendar.Events.ToDictionary(e => e.Key, e => sales.CalendarRows.Select(r => e.Value[r]).ToArray(), StringComparer.Ordinal);
        var storesText = string.Join(",", sales.Rows.Select(r => r.Store).Distinct(StringComparer.Ordinal));
        var notes = string.Create(
            CultureInfo.InvariantCulture,
            $"M5 unit sales of stores {storesText}, {skus.Count} SKUs. Price: the week's sell_price (missing before an item's first price). unit_cost = {options.CostRatio} x median sell price, lead time {options.LeadTimeDays} days, salvage 0.3 x cost and initial stock (14 x mean of the first 28 selling days) are assumptions, not part of the data. {StockInformation}");
        var info = new DatasetInfo(
            options.Name ?? "m5",
            "M5 forecasting competition data (Walmart daily unit sales); Makridakis, S., Spiliotis, E. and Assimakopoulos, V. (2022) M5 accuracy competition: Results, findings, and conclusions. International Journal of Forecasting 38(4)",
            "as distributed by the M5 competition organisers (not redistributed with this project)",
            start,
            start.AddDays(days - 1),
            notes);
        options.Progress?.Report(1.0);
        return new Dataset(info, start, days, skus, series, new DatasetCalendar(holiday, events));
    }
}
