namespace SeasonalGrains.Data.Model;

/// <summary>The contents of dataset.json.</summary>
public sealed record DatasetInfo(
    string Name,
    string Source,
    string Licence,
    DateOnly Start,
    DateOnly End,
    string? Notes = null);

/// <summary>One row of skus.csv: the master data of a SKU.</summary>
public sealed record SkuInfo(
    string Sku,
    string Category,
    string Region,
    double UnitCost,
    double UnitPrice,
    int LeadTimeDays,
    double InitialOnHand,
    double Moq = 0,
    double CasePack = 1,
    double SalvageValue = 0);

/// <summary>
/// Daily series of one SKU over the dataset's date range: index 0 is <see cref="Dataset.Start"/>.
/// A day absent from demand.csv is NaN in <see cref="Units"/> until the cleaner fills it.
/// <see cref="Censored"/> marks the days the SKU was out of stock (demand.csv's <c>in_stock</c> 0 or
/// <c>on_hand</c> 0): their units are sales, a lower bound of demand. Null when the dataset says nothing
/// about stock, which is read as every day in stock.
/// </summary>
public sealed record SkuSeries(
    string Sku,
    double[] Units,
    double[]? Price = null,
    bool[]? Promo = null,
    bool[]? Censored = null)
{
    /// <summary>True when day <paramref name="day"/> is known to have been out of stock.</summary>
    public bool IsCensored(int day) => Censored is { } c && day < c.Length && c[day];

    /// <summary>Days of [<paramref name="from"/>, <paramref name="to"/>) out of stock.</summary>
    public int CensoredDays(int from, int to)
    {
        if (Censored is not { } c)
        {
            return 0;
        }

        var n = 0;
        for (var d = Math.Max(0, from); d < Math.Min(to, c.Length); d++)
        {
            n += c[d] ? 1 : 0;
        }

        return n;
    }
}

/// <summary>Weather of one region, one value per day of the dataset (NaN where not given).</summary>
public sealed record RegionWeather(
    string Region,
    double[] TempC,
    double[] Humidity,
    double[] PrecipMm);

/// <summary>calendar.csv: a holiday name per day (null for none) and any extra event columns (0/1 or numbers).</summary>
public sealed record DatasetCalendar(
    string?[] Holiday,
    IReadOnlyDictionary<string, double[]> Events);

/// <summary>
/// A loaded dataset folder. All arrays are dense over <see cref="Days"/> days from <see cref="Start"/>.
/// <see cref="Skus"/> and <see cref="Series"/> are aligned by index.
/// </summary>
public sealed record Dataset(
    DatasetInfo Info,
    DateOnly Start,
    int Days,
    IReadOnlyList<SkuInfo> Skus,
    IReadOnlyList<SkuSeries> Series,
    DatasetCalendar? Calendar = null,
    IReadOnlyDictionary<string, RegionWeather>? Weather = null)
{
    public DateOnly End => Start.AddDays(Days - 1);

    public DateOnly DateOf(int dayIndex) => Start.AddDays(dayIndex);

    public int IndexOf(DateOnly date) => date.DayNumber - Start.DayNumber;

    /// <summary>True when demand.csv had an <c>in_stock</c> or <c>on_hand</c> column (some series carries stock flags).</summary>
    public bool HasStockInformation => Series.Any(s => s.Censored is not null);

    /// <summary>SKU-days of [<paramref name="from"/>, <paramref name="to"/>) out of stock, over every SKU.</summary>
    public long CensoredSkuDays(int from, int to) => Series.Sum(s => (long)s.CensoredDays(from, to));
}
