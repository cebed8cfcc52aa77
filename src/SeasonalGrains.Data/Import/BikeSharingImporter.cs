namespace SeasonalGrains.Data.Import;

/// <summary>
/// Assumptions added to the bike-sharing data, which has no unit economics. They are illustrative,
/// not part of the source data.
/// </summary>
public sealed record BikeSharingImportOptions
{
    public double UnitCost { get; init; } = 1.0;

    public double UnitPrice { get; init; } = 2.0;

    public int LeadTimeDays { get; init; } = 2;

    /// <summary>Precipitation (mm) assigned to weathersit 1..4; the data has no precipitation amounts.</summary>
    public IReadOnlyList<double> PrecipProxyMm { get; init; } = [0, 0, 5, 20];
}

/// <summary>
/// Converts day.csv of the UCI Bike Sharing Dataset (Capital Bikeshare, Washington D.C., 2011-2012;
/// Fanaee-T and Gama, 2013) into a dataset: one SKU <c>bikes</c> whose daily units are <c>cnt</c>.
/// <list type="bullet">
/// <item>temp_c = temp · 47 − 8: the dataset's documentation gives temp as (t − t_min)/(t_max − t_min) with
/// t_min = −8 °C and t_max = 39 °C (its bundled Readme says "divided to 41" instead; the −8..39 scaling gives
/// winter lows below freezing, as Washington observed).</item>
/// <item>humidity = hum · 100.</item>
/// <item>precip_mm is a proxy from weathersit (1 clear, 2 mist: 0 mm; 3 light rain/snow: 5 mm; 4 heavy rain: 20 mm),
/// not a measurement.</item>
/// <item>calendar.csv: holiday = "holiday" where holiday is 1; workingday as an event column.</item>
/// </list>
/// </summary>
public static class BikeSharingImporter
{
    public const string Sku = "bikes";
    public const string Region = "washington-dc";
    public const string Category = "bike-rental";

    /// <summary>What day.csv says about stock (written into dataset.json's notes and printed by the import).</summary>
    public const string StockInformation =
        "Stock: none known. day.csv counts rentals, not the bikes or docks available, so no day is marked out of stock (demand.csv has no in_stock column).";
    public const string Citation =
        "Fanaee-T, H. and Gama, J. (2013) Event labeling combining ensemble detectors and background knowledge. " +
        "Progress in Artificial Intelligence, pp. 1-15, doi:10.1007/s13748-013-0040-3";

    private static readonly string[] Required = ["dteday", "holiday", "workingday", "weathersit", "temp", "hum", "cnt"];

    public static Dataset Import(string dayCsvPath, BikeSharingImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dayCsvPath);
        options ??= new BikeSharingImportOptions();
        if (!File.Exists(dayCsvPath))
        {
            throw new FileNotFoundException($"Bike sharing file '{dayCsvPath}' does not exist.", dayCsvPath);
        }

        var file = Path.GetFileName(dayCsvPath);
        var errors = new ErrorList(10_000);
        var rows = new List<(int Line, DateOnly Date, double Cnt, double Holiday, double Working, double Sit, double Temp, double Hum)>();
        using (var csv = CsvReader.Open(dayCsvPath))
        {
            var header = CsvHeader.Read(csv, file, Required, [], errors, extras: []);
            if (header is null)
            {
                errors.ThrowIfAny();
                return null!;
            }

            while (csv.Read())
            {
                if (!header.CheckRow(csv, file, errors))
                {
                    continue;
                }

                var line = csv.LineNumber;
                if (!CsvFormat.TryParseDate(csv[header["dteday"]], out var date))
                {
                    errors.Add(file, line, "dteday", $"'{csv[header["dteday"]]}' is not a date (expected yyyy-MM-dd)");
                    continue;
                }

                var cnt = Value(csv, header, "cnt", file, errors, 0, double.MaxValue);
                var holiday = Value(csv, header, "holiday", file, errors, 0, 1);
                var workingDay = Value(csv, header, "workingday", file, errors, 0, 1);
                var sit = Value(csv, header, "weathersit", file, errors, 1, 4);
                var normalisedTemp = Value(csv, header, "temp", file, errors, 0, 1);
                var hum = Value(csv, header, "hum", file, errors, 0, 1);
                if (sit != Math.Floor(sit))
                {
                    errors.Add(file, line, "weathersit", $"'{csv[header["weathersit"]]}' is not 1, 2, 3 or 4");
                }

                rows.Add((line, date, cnt, holiday, workingDay, sit, normalisedTemp, hum));
            }
        }

        if (rows.Count == 0)
        {
            errors.Add(file, 0, null, "no data rows");
        }

        errors.ThrowIfAny();

        var start = rows.Min(r => r.Date);
        var days = rows.Max(r => r.Date).DayNumber - start.DayNumber + 1;
        var units = NaNs(days);
        var temp = NaNs(days);
        var humidity = NaNs(days);
        var precip = NaNs(days);
        var holidays = new string?[days];
        var working = new double[days];
        var seen = new int[days];
        foreach (var r in rows)
        {
            var d = r.Date.DayNumber - start.DayNumber;
            if (seen[d] != 0)
            {
                errors.Add(file, r.Line, "dteday", $"duplicate date {CsvFormat.FormatDate(r.Date)} (first at line {seen[d]})");
                continue;
            }

            seen[d] = r.Line;
            units[d] = r.Cnt;
            temp[d] = Math.Round((r.Temp * 47) - 8, 2);
            humidity[d] = Math.Round(r.Hum * 100, 2);
            precip[d] = options.PrecipProxyMm[(int)r.Sit - 1];
            holidays[d] = r.Holiday == 1 ? "holiday" : null;
            working[d] = r.Working;
        }

        var missingCalendarDays = seen.Count(line => line == 0);
        if (missingCalendarDays > 0)
        {
            // calendar.csv must list every day; a gap in day.csv leaves the working-day flag unknown.
            errors.Add(file, 0, "dteday", $"{missingCalendarDays} day(s) between {CsvFormat.FormatDate(start)} and {CsvFormat.FormatDate(start.AddDays(days - 1))} are missing");
        }

        errors.ThrowIfAny();

        var firstDays = units.Take(28).Where(double.IsFinite).DefaultIfEmpty(0).Average();
        var sku = new SkuInfo(Sku, Category, Region, options.UnitCost, options.UnitPrice, options.LeadTimeDays, Math.Round(14 * firstDays), 0, 1, 0);
        var notes = string.Create(
            CultureInfo.InvariantCulture,
            $"Daily rentals (cnt) of Capital Bikeshare as one SKU '{Sku}'. temp_c = temp*47-8 (documented -8..39 C scaling); humidity = hum*100; precip_mm is a proxy from weathersit (1,2: 0 mm; 3: {options.PrecipProxyMm[2]} mm; 4: {options.PrecipProxyMm[3]} mm), not a measurement. calendar.csv: 'holiday' from the holiday column, workingday as an event column. Unit cost {options.UnitCost}, price {options.UnitPrice} and lead time {options.LeadTimeDays} days are illustrative assumptions, not part of the data. {StockInformation}");
        var info = new DatasetInfo(
            "bike-sharing-dc",
            "UCI Machine Learning Repository, Bike Sharing Dataset (day.csv; Capital Bikeshare, Washington D.C., 2011-2012). " + Citation,
            "CC BY 4.0",
            start,
            start.AddDays(days - 1),
            notes);
        var calendar = new DatasetCalendar(holidays, new Dictionary<string, double[]>(StringComparer.Ordinal) { ["workingday"] = working });
        var weather = new Dictionary<string, RegionWeather>(StringComparer.Ordinal) { [Region] = new RegionWeather(Region, temp, humidity, precip) };
        return new Dataset(info, start, days, [sku], [new SkuSeries(Sku, units)], calendar, weather);
    }

    private static double Value(CsvReader csv, CsvHeader header, string column, string file, ErrorList errors, double min, double max)
    {
        var text = csv[header[column]];
        if (!CsvFormat.TryParseDouble(text, out var x) || !double.IsFinite(x))
        {
            errors.Add(file, csv.LineNumber, column, $"'{text}' is not a number");
            return 0;
        }

        if (x < min || x > max)
        {
            errors.Add(file, csv.LineNumber, column, $"{text} is outside {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
            return Math.Clamp(x, min, max);
        }

        return x;
    }

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }
}
