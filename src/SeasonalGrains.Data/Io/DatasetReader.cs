using System.Runtime.CompilerServices;
using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Data.Io;

/// <summary>
/// Reads and validates a dataset folder (see README.md in this project for the format). Every problem
/// is collected; if there is any, a <see cref="DatasetValidationException"/> lists them all.
/// </summary>
public static class DatasetReader
{
    private static readonly string[] SkuRequired = ["sku", "category", "region", "unit_cost", "unit_price", "lead_time_days", "initial_on_hand"];
    private static readonly string[] SkuOptional = ["moq", "case_pack", "salvage_value"];
    private static readonly string[] DemandRequired = ["sku", "date", "units"];
    private static readonly string[] DemandOptional = ["price", "promo", "in_stock", "on_hand"];
    private static readonly string[] CalendarRequired = ["date", "holiday"];
    private static readonly string[] WeatherRequired = ["date", "region", "temp_c", "humidity", "precip_mm"];

    /// <summary>The longest date range accepted (100 years).</summary>
    public const int MaxDays = 36_600;

    public static Dataset Read(string folder, DatasetReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        options ??= new DatasetReadOptions();
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Dataset folder '{folder}' does not exist.");
        }

        var errors = new ErrorList(options.MaxErrors);
        var progress = options.Progress;

        DatasetInfo? info = null;
        var infoPath = Path.Combine(folder, DatasetFiles.Info);
        if (File.Exists(infoPath))
        {
            info = DatasetJson.Read(infoPath, errors);
        }
        else
        {
            errors.Add(DatasetFiles.Info, 0, null, "file is missing (name, source, licence, start, end)");
        }

        if (info is not null && info.End.DayNumber - info.Start.DayNumber >= MaxDays)
        {
            errors.Add(DatasetFiles.Info, 0, "end", $"the range {CsvFormat.FormatDate(info.Start)}..{CsvFormat.FormatDate(info.End)} is longer than {MaxDays} days");
            info = null;
        }

        var skus = ReadSkus(Path.Combine(folder, DatasetFiles.Skus), errors);
        progress?.Report(0.05);

        var demandPath = Path.Combine(folder, DatasetFiles.Demand);
        var hasDemand = File.Exists(demandPath);
        if (!hasDemand)
        {
            errors.Add(DatasetFiles.Demand, 0, null, "file is missing (sku,date,units[,price][,promo][,in_stock|on_hand])");
        }

        // Without a valid dataset.json the range comes from demand.csv so that its rows can still be checked.
        DateOnly start;
        int days;
        var rangeKnown = info is not null;
        if (info is not null)
        {
            start = info.Start;
            days = info.End.DayNumber - info.Start.DayNumber + 1;
        }
        else if (hasDemand && ScanDates(demandPath) is { } scanned && scanned.Max.DayNumber - scanned.Min.DayNumber < MaxDays)
        {
            start = scanned.Min;
            days = scanned.Max.DayNumber - scanned.Min.DayNumber + 1;
        }
        else
        {
            start = new DateOnly(2000, 1, 1);
            days = 1;
        }

        var range = new DateRange(start, days, rangeKnown);
        SkuSeries[] series = [];
        if (hasDemand)
        {
            // Without skus.csv the rows are still checked, but not against the list of SKUs.
            series = ReadDemand(demandPath, skus ?? new SkuTable([], new Dictionary<string, int>(StringComparer.Ordinal)), skus is not null, range, errors, progress);
        }

        progress?.Report(0.8);
        var calendarPath = Path.Combine(folder, DatasetFiles.Calendar);
        DatasetCalendar? calendar = File.Exists(calendarPath) ? ReadCalendar(calendarPath, range, errors) : null;
        progress?.Report(0.9);

        var weatherPath = Path.Combine(folder, DatasetFiles.Weather);
        IReadOnlyDictionary<string, RegionWeather>? weather = null;
        if (File.Exists(weatherPath))
        {
            var regions = skus?.List.Select(s => s.Region).ToHashSet(StringComparer.Ordinal);
            weather = ReadWeather(weatherPath, range, regions, errors);
        }

        errors.ThrowIfAny();
        progress?.Report(1.0);
        return new Dataset(info!, start, days, skus!.List, series, calendar, weather);
    }

    private sealed record DateRange(DateOnly Start, int Days, bool FromInfo)
    {
        public DateOnly End => Start.AddDays(Days - 1);

        public string Describe() => FromInfo
            ? $"outside the dataset range {CsvFormat.FormatDate(Start)}..{CsvFormat.FormatDate(End)} in {DatasetFiles.Info}"
            : $"outside the range {CsvFormat.FormatDate(Start)}..{CsvFormat.FormatDate(End)}";
    }

    private sealed class SkuTable(List<SkuInfo> list, Dictionary<string, int> index)
    {
        public List<SkuInfo> List { get; } = list;

        public Dictionary<string, int> Index { get; } = index;
    }

    private static SkuTable? ReadSkus(string path, ErrorList errors)
    {
        const string File = DatasetFiles.Skus;
        if (!System.IO.File.Exists(path))
        {
            errors.Add(File, 0, null, "file is missing (sku,category,region,unit_cost,unit_price,lead_time_days,initial_on_hand[,moq][,case_pack][,salvage_value])");
            return null;
        }

        using var csv = CsvReader.Open(path);
        var header = CsvHeader.Read(csv, File, SkuRequired, SkuOptional, errors);
        if (header is null)
        {
            return null;
        }

        var list = new List<SkuInfo>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        int cSku = header["sku"], cCat = header["category"], cRegion = header["region"], cCost = header["unit_cost"],
            cPrice = header["unit_price"], cLead = header["lead_time_days"], cOnHand = header["initial_on_hand"],
            cMoq = header["moq"], cPack = header["case_pack"], cSalvage = header["salvage_value"];
        while (csv.Read())
        {
            if (!header.CheckRow(csv, File, errors))
            {
                continue;
            }

            var line = csv.LineNumber;
            var sku = csv.GetString(cSku);
            var category = csv.GetString(cCat);
            var region = csv.GetString(cRegion);
            if (string.IsNullOrWhiteSpace(sku))
            {
                errors.Add(File, line, "sku", "sku is empty");
            }

            if (string.IsNullOrWhiteSpace(region))
            {
                errors.Add(File, line, "region", "region is empty");
            }

            var cost = Money(csv, cCost, File, "unit_cost", errors);
            var price = Money(csv, cPrice, File, "unit_price", errors);
            var onHand = Units(csv, cOnHand, File, "initial_on_hand", errors);
            var moq = cMoq < 0 ? 0 : Units(csv, cMoq, File, "moq", errors, empty: 0);
            var pack = cPack < 0 ? 1 : Units(csv, cPack, File, "case_pack", errors, empty: 1);
            var salvage = cSalvage < 0 ? 0 : Money(csv, cSalvage, File, "salvage_value", errors, empty: 0);
            if (pack == 0)
            {
                errors.Add(File, line, "case_pack", "case_pack must be greater than 0");
            }

            var lead = 0;
            var leadText = csv[cLead];
            if (!CsvFormat.TryParseInt(leadText, out lead))
            {
                errors.Add(File, line, "lead_time_days", $"'{leadText}' is not a whole number of days");
            }
            else if (lead < 0)
            {
                errors.Add(File, line, "lead_time_days", $"{lead} is negative");
            }

            if (sku.Length == 0)
            {
                continue;
            }

            if (!lines.TryAdd(sku, line))
            {
                errors.Add(File, line, "sku", $"duplicate sku '{sku}' (first at line {lines[sku]})");
                continue;
            }

            // A row with bad values is still listed, so demand.csv rows of that sku are checked normally.
            index[sku] = list.Count;
            list.Add(new SkuInfo(sku, category, region, cost, price, lead, onHand, moq, pack, salvage));
        }

        if (list.Count == 0 && lines.Count == 0)
        {
            errors.Add(File, 0, null, "no SKUs (the file has only a header)");
        }

        return new SkuTable(list, index);
    }

    private static (DateOnly Min, DateOnly Max)? ScanDates(string path)
    {
        using var csv = CsvReader.Open(path);
        if (!csv.Read())
        {
            return null;
        }

        var dateColumn = -1;
        for (var i = 0; i < csv.FieldCount; i++)
        {
            if (csv[i].Trim().SequenceEqual("date"))
            {
                dateColumn = i;
            }
        }

        if (dateColumn < 0)
        {
            return null;
        }

        DateOnly? min = null, max = null;
        while (csv.Read())
        {
            if (csv.FieldCount > dateColumn && CsvFormat.TryParseDate(csv[dateColumn], out var d))
            {
                min = min is null || d < min ? d : min;
                max = max is null || d > max ? d : max;
            }
        }

        return min is null ? null : (min.Value, max!.Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static SkuSeries[] ReadDemand(string path, SkuTable skus, bool checkSkus, DateRange range, ErrorList errors, IProgress<double>? progress)
    {
        const string File = DatasetFiles.Demand;
        var n = skus.List.Count;
        var days = range.Days;
        var units = new double[n][];
        var firstLine = new int[n][];
        for (var s = 0; s < n; s++)
        {
            units[s] = new double[days];
            Array.Fill(units[s], double.NaN);
            firstLine[s] = new int[days];
        }

        using var csv = CsvReader.Open(path);
        var header = CsvHeader.Read(csv, File, DemandRequired, DemandOptional, errors);
        if (header is null)
        {
            return [.. skus.List.Select((s, i) => new SkuSeries(s.Sku, units[i]))];
        }

        int cSku = header["sku"], cDate = header["date"], cUnits = header["units"], cPrice = header["price"], cPromo = header["promo"],
            cInStock = header["in_stock"], cOnHand = header["on_hand"];
        if (cInStock >= 0 && cOnHand >= 0)
        {
            // one stock column, so the two can never disagree about a day
            errors.Add(File, 1, "on_hand", "give in_stock or on_hand, not both");
            cOnHand = -1;
        }

        var prices = cPrice >= 0 ? new double[n][] : null;
        var promos = cPromo >= 0 ? new bool[n][] : null;
        var censored = cInStock >= 0 || cOnHand >= 0 ? new bool[n][] : null;
        for (var s = 0; s < n; s++)
        {
            if (prices is not null)
            {
                prices[s] = new double[days];
                Array.Fill(prices[s], double.NaN);
            }

            if (promos is not null)
            {
                promos[s] = new bool[days];
            }

            if (censored is not null)
            {
                censored[s] = new bool[days];
            }
        }

        var lookup = skus.Index.GetAlternateLookup<ReadOnlySpan<char>>();
        var unknown = new Dictionary<string, (int Line, int Rows)>(StringComparer.Ordinal);
        var unknownLookup = unknown.GetAlternateLookup<ReadOnlySpan<char>>();
        var lastSku = "";
        var lastIndex = -1;
        var fileLength = Math.Max(1, new FileInfo(path).Length);
        var rows = 0;
        while (csv.Read())
        {
            if (!header.CheckRow(csv, File, errors))
            {
                continue;
            }

            var line = csv.LineNumber;
            if (progress is not null && (++rows & 0xFFFF) == 0)
            {
                progress.Report(0.05 + (0.75 * Math.Min(1.0, line * 30.0 / fileLength)));
            }

            // sku
            var skuText = csv[cSku];
            int s;
            if (lastIndex >= 0 && skuText.SequenceEqual(lastSku))
            {
                s = lastIndex;
            }
            else if (lookup.TryGetValue(skuText, out s))
            {
                lastSku = skus.List[s].Sku;
                lastIndex = s;
            }
            else
            {
                s = -1;
                if (unknownLookup.TryGetValue(skuText, out var seen))
                {
                    unknownLookup[skuText] = (seen.Line, seen.Rows + 1);
                }
                else
                {
                    unknown[skuText.ToString()] = (line, 1);
                }
            }

            var d = DayOf(csv, cDate, range, File, errors);

            var value = Units(csv, cUnits, File, "units", errors, empty: double.NaN);
            var price = cPrice >= 0 ? Money(csv, cPrice, File, "price", errors, empty: double.NaN) : double.NaN;
            var promo = false;
            if (cPromo >= 0)
            {
                var promoText = csv[cPromo];
                if (promoText.Length > 0 && !CsvFormat.TryParseFlag(promoText, out promo))
                {
                    errors.Add(File, line, "promo", $"'{promoText}' is not 0/1");
                }
            }

            // out of stock: in_stock 0, or nothing left at the end of the day; an empty field says nothing (in stock)
            var outOfStock = false;
            if (cInStock >= 0)
            {
                var stockText = csv[cInStock];
                if (stockText.Length > 0 && CsvFormat.TryParseFlag(stockText, out var inStock))
                {
                    outOfStock = !inStock;
                }
                else if (stockText.Length > 0)
                {
                    errors.Add(File, line, "in_stock", $"'{stockText}' is not 0/1 (0: out of stock that day)");
                }
            }
            else if (cOnHand >= 0)
            {
                outOfStock = Units(csv, cOnHand, File, "on_hand", errors, empty: double.NaN) == 0;
            }

            if (s < 0 || d < 0)
            {
                continue;
            }

            if (firstLine[s][d] != 0)
            {
                errors.Add(File, line, "date", $"duplicate row for sku '{skus.List[s].Sku}' on {CsvFormat.FormatDate(range.Start.AddDays(d))} (first at line {firstLine[s][d]})");
                continue;
            }

            firstLine[s][d] = line;
            units[s][d] = double.IsFinite(value) && value >= 0 ? value : double.NaN;
            if (prices is not null)
            {
                prices[s][d] = double.IsFinite(price) && price >= 0 ? price : double.NaN;
            }

            if (promos is not null)
            {
                promos[s][d] = promo;
            }

            if (censored is not null)
            {
                censored[s][d] = outOfStock;
            }
        }

        foreach (var (sku, (firstAt, count)) in unknown.OrderBy(u => u.Value.Line))
        {
            if (checkSkus)
            {
                var rowsText = count == 1 ? "1 row" : $"{count} rows";
                errors.Add(File, firstAt, "sku", $"sku '{sku}' is not in {DatasetFiles.Skus} ({rowsText})");
            }
        }

        var result = new SkuSeries[n];
        for (var s = 0; s < n; s++)
        {
            result[s] = new SkuSeries(skus.List[s].Sku, units[s], prices?[s], promos?[s], censored?[s]);
        }

        return result;
    }

    private static DatasetCalendar? ReadCalendar(string path, DateRange range, ErrorList errors)
    {
        const string File = DatasetFiles.Calendar;
        using var csv = CsvReader.Open(path);
        var extras = new List<string>();
        var header = CsvHeader.Read(csv, File, CalendarRequired, [], errors, extras);
        if (header is null)
        {
            return null;
        }

        var days = range.Days;
        var holiday = new string?[days];
        var events = extras.ToDictionary(e => e, _ => new double[days], StringComparer.Ordinal);
        var eventColumns = extras.Select(e => (Name: e, Column: header[e], Values: events[e])).ToArray();
        var firstLine = new int[days];
        int cDate = header["date"], cHoliday = header["holiday"];
        while (csv.Read())
        {
            if (!header.CheckRow(csv, File, errors))
            {
                continue;
            }

            var line = csv.LineNumber;
            var d = DayOf(csv, cDate, range, File, errors);
            if (d >= 0 && firstLine[d] != 0)
            {
                errors.Add(File, line, "date", $"duplicate date {CsvFormat.FormatDate(range.Start.AddDays(d))} (first at line {firstLine[d]})");
                d = -1;
            }
            else if (d >= 0)
            {
                firstLine[d] = line;
            }

            var name = csv[cHoliday].Trim();
            foreach (var (eventName, column, values) in eventColumns)
            {
                var value = Number(csv, column, File, eventName, errors);
                if (d >= 0)
                {
                    values[d] = value;
                }
            }

            if (d >= 0)
            {
                holiday[d] = name.Length == 0 ? null : name.ToString();
            }
        }

        // Every day of the range must be listed, so event values are never guessed.
        var run = -1;
        for (var d = 0; d <= days; d++)
        {
            var missing = d < days && firstLine[d] == 0;
            if (missing && run < 0)
            {
                run = d;
            }
            else if (!missing && run >= 0)
            {
                var first = range.Start.AddDays(run);
                var last = range.Start.AddDays(d - 1);
                var what = run == d - 1
                    ? $"date {CsvFormat.FormatDate(first)} is missing"
                    : $"dates {CsvFormat.FormatDate(first)}..{CsvFormat.FormatDate(last)} are missing ({d - run} days)";
                errors.Add(File, 0, "date", $"{what}; the calendar must list every day of the dataset range");
                run = -1;
            }
        }

        return new DatasetCalendar(holiday, events);
    }

    private static Dictionary<string, RegionWeather>? ReadWeather(string path, DateRange range, HashSet<string>? regions, ErrorList errors)
    {
        const string File = DatasetFiles.Weather;
        using var csv = CsvReader.Open(path);
        var header = CsvHeader.Read(csv, File, WeatherRequired, [], errors);
        if (header is null)
        {
            return null;
        }

        var days = range.Days;
        var result = new Dictionary<string, RegionWeather>(StringComparer.Ordinal);
        var firstLines = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var unknown = new Dictionary<string, (int Line, int Rows)>(StringComparer.Ordinal);
        int cDate = header["date"], cRegion = header["region"], cTemp = header["temp_c"], cHum = header["humidity"], cPrecip = header["precip_mm"];
        while (csv.Read())
        {
            if (!header.CheckRow(csv, File, errors))
            {
                continue;
            }

            var line = csv.LineNumber;
            var region = csv.GetString(cRegion);
            var known = regions is null || regions.Contains(region);
            if (!known)
            {
                unknown[region] = unknown.TryGetValue(region, out var u) ? (u.Line, u.Rows + 1) : (line, 1);
            }

            var d = DayOf(csv, cDate, range, File, errors);

            var temp = Number(csv, cTemp, File, "temp_c", errors, min: -90, max: 60, empty: double.NaN);
            var humidity = Number(csv, cHum, File, "humidity", errors, min: 0, max: 100, empty: double.NaN);
            var precip = Number(csv, cPrecip, File, "precip_mm", errors, min: 0, empty: double.NaN);
            if (!known || d < 0)
            {
                continue;
            }

            if (!result.TryGetValue(region, out var w))
            {
                w = new RegionWeather(region, NaNs(days), NaNs(days), NaNs(days));
                result[region] = w;
                firstLines[region] = new int[days];
            }

            var lines = firstLines[region];
            if (lines[d] != 0)
            {
                errors.Add(File, line, "date", $"duplicate row for region '{region}' on {CsvFormat.FormatDate(range.Start.AddDays(d))} (first at line {lines[d]})");
                continue;
            }

            lines[d] = line;
            w.TempC[d] = temp;
            w.Humidity[d] = humidity;
            w.PrecipMm[d] = precip;
        }

        foreach (var (region, (firstAt, count)) in unknown.OrderBy(u => u.Value.Line))
        {
            var rowsText = count == 1 ? "1 row" : $"{count} rows";
            errors.Add(File, firstAt, "region", $"region '{region}' is not the region of any sku in {DatasetFiles.Skus} ({rowsText})");
        }

        return result;
    }

    /// <summary>
    /// The row's day within <paramref name="range"/> (0 for its first day), or -1 after reporting a value that is
    /// not a date or a date outside the range.
    /// </summary>
    private static int DayOf(CsvReader csv, int column, DateRange range, string file, ErrorList errors)
    {
        var text = csv[column];
        if (!CsvFormat.TryParseDate(text, out var date))
        {
            errors.Add(file, csv.LineNumber, "date", $"'{text}' is not a date (expected yyyy-MM-dd)");
            return -1;
        }

        var d = date.DayNumber - range.Start.DayNumber;
        if ((uint)d >= (uint)range.Days)
        {
            errors.Add(file, csv.LineNumber, "date", $"date {CsvFormat.FormatDate(date)} is {range.Describe()}");
            return -1;
        }

        return d;
    }

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }

    /// <summary>A quantity within <see cref="DomainLimits"/>: 0 or 0.000001 to 1e9 units (else an error, and NaN).</summary>
    private static double Units(CsvReader csv, int column, string file, string name, ErrorList errors, double? empty = null) =>
        Within(csv, column, file, name, errors, Number(csv, column, file, name, errors, min: 0, empty: empty), DomainLimits.UnitsProblem);

    /// <summary>A price or cost within <see cref="DomainLimits"/>: 0 to 1e9 (else an error, and NaN).</summary>
    private static double Money(CsvReader csv, int column, string file, string name, ErrorList errors, double? empty = null) =>
        Within(csv, column, file, name, errors, Number(csv, column, file, name, errors, min: 0, empty: empty), DomainLimits.MoneyProblem);

    private static double Within(CsvReader csv, int column, string file, string name, ErrorList errors, double value, Func<double, string?> problem)
    {
        // NaN: already reported, or a missing value that is allowed
        if (double.IsNaN(value) || problem(value) is not { } reason)
        {
            return value;
        }

        errors.Add(file, csv.LineNumber, name, $"{csv[column]} is out of range: {reason}");
        return double.NaN;
    }

    /// <summary>
    /// Parses a finite number in [min, max]. An empty field yields <paramref name="empty"/> when given
    /// (a missing value), else an error. On error, records it and returns NaN.
    /// </summary>
    private static double Number(
        CsvReader csv,
        int column,
        string file,
        string name,
        ErrorList errors,
        double min = double.NegativeInfinity,
        double max = double.PositiveInfinity,
        double? empty = null)
    {
        var text = csv[column];
        if (text.IsWhiteSpace())
        {
            if (empty is { } value)
            {
                return value;
            }

            errors.Add(file, csv.LineNumber, name, "value is missing");
            return double.NaN;
        }

        if (!CsvFormat.TryParseDouble(text, out var x))
        {
            errors.Add(file, csv.LineNumber, name, $"'{text}' is not a number");
            return double.NaN;
        }

        if (!double.IsFinite(x))
        {
            errors.Add(file, csv.LineNumber, name, $"'{text}' is not a finite number");
            return double.NaN;
        }

        if (x < min)
        {
            var reason = min == 0 ? $"{text} is negative" : $"{text} is below {min}";
            errors.Add(file, csv.LineNumber, name, reason);
            return double.NaN;
        }

        if (x > max)
        {
            errors.Add(file, csv.LineNumber, name, $"{text} is above {max}");
            return double.NaN;
        }

        return x;
    }
}
