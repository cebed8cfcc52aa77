using SeasonalGrains.Data.Model;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// What a live SKU forecasts from at its open day <see cref="Origin"/>: its master data (category, region, unit
/// price), its daily units sold before the origin, its prices and promotions (past and planned), the shop's
/// calendar and its region's weather. <see cref="ToDataset"/> lays it out as a one-SKU dataset folder would be,
/// so the LSTM builds the same features for a live SKU as for a dataset's.
/// </summary>
public sealed record LiveFeatureWindow
{
    public required string Sku { get; init; }

    public string Category { get; init; } = "";

    public string Region { get; init; } = "";

    /// <summary>The regular selling price of the master data (0 = not given).</summary>
    public double UnitPrice { get; init; }

    /// <summary>The first day to forecast: the day after the last of <see cref="Units"/>.</summary>
    public required DateOnly Origin { get; init; }

    /// <summary>Units sold on each day before the origin, oldest first.</summary>
    public required IReadOnlyList<double> Units { get; init; }

    public IReadOnlyList<LivePriceDay> Prices { get; init; } = [];

    public IReadOnlyList<LiveCalendarDay> Calendar { get; init; } = [];

    public IReadOnlyList<LiveWeatherDay> Weather { get; init; } = [];

    /// <summary>The first day of <see cref="Units"/>.</summary>
    public DateOnly HistoryStart => Origin.AddDays(-Units.Count);

    /// <summary>
    /// The window as a dataset of one SKU over its history and <paramref name="futureDays"/> days from the origin (units
    /// unknown there, NaN): price and promo per day (a day without a posted price is at the unit price, without
    /// promotion), the calendar's holidays and event columns (<paramref name="eventColumns"/>, 0 where not given; other
    /// posted columns are left out) and the region's weather (NaN where not given).
    /// </summary>
    public Dataset ToDataset(int futureDays, IReadOnlyList<string> eventColumns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(futureDays);
        ArgumentNullException.ThrowIfNull(eventColumns);
        var n = Units.Count;
        var days = n + futureDays;
        var start = HistoryStart;
        var units = new double[days];
        var price = new double[days];
        var promo = new bool[days];
        for (var t = 0; t < days; t++)
        {
            units[t] = t < n ? Units[t] : double.NaN;
            price[t] = UnitPrice > 0 ? UnitPrice : double.NaN;
        }

        foreach (var p in Prices)
        {
            var t = p.Date.DayNumber - start.DayNumber;
            if (t >= 0 && t < days)
            {
                price[t] = p.Price ?? price[t];
                promo[t] = p.Promo;
            }
        }

        Dictionary<string, RegionWeather>? weather = Weather.Count > 0
            ? new(StringComparer.Ordinal) { [Region] = LayOutWeather(Region, Weather, start, days) }
            : null;

        var end = start.AddDays(Math.Max(days, 1) - 1);
        return new Dataset(
            new DatasetInfo("live-" + Sku, "live", "", start, end),
            start,
            days,
            [new SkuInfo(Sku, Category, Region, 0, UnitPrice, 0, 0)],
            [new SkuSeries(Sku, units, price, promo)],
            LayOutCalendar(Calendar, start, days, eventColumns),
            weather);
    }

    /// <summary>
    /// Posted calendar days laid out over <paramref name="days"/> days from <paramref name="start"/>: a holiday name per day and
    /// one column per name of <paramref name="columns"/> (events of other names are left out; days outside are skipped).
    /// </summary>
    internal static DatasetCalendar LayOutCalendar(IEnumerable<LiveCalendarDay> posted, DateOnly start, int days, IEnumerable<string> columns)
    {
        var holidays = new string?[days];
        var events = columns.ToDictionary(c => c, _ => new double[days], StringComparer.Ordinal);
        foreach (var c in posted)
        {
            var t = c.Date.DayNumber - start.DayNumber;
            if (t < 0 || t >= days)
            {
                continue;
            }

            holidays[t] = c.Holiday;
            foreach (var e in c.Events)
            {
                if (events.TryGetValue(e.Name, out var column))
                {
                    column[t] = e.Value;
                }
            }
        }

        return new DatasetCalendar(holidays, events);
    }

    /// <summary>A region's posted weather laid out over <paramref name="days"/> days from <paramref name="start"/> (NaN where none was posted).</summary>
    internal static RegionWeather LayOutWeather(string region, IEnumerable<LiveWeatherDay> posted, DateOnly start, int days)
    {
        var (temp, humidity, precip) = (Filled(days), Filled(days), Filled(days));
        foreach (var w in posted)
        {
            var t = w.Date.DayNumber - start.DayNumber;
            if (t >= 0 && t < days)
            {
                temp[t] = w.TempC ?? double.NaN;
                humidity[t] = w.Humidity ?? double.NaN;
                precip[t] = w.PrecipMm ?? double.NaN;
            }
        }

        return new RegionWeather(region, temp, humidity, precip);
    }

    internal static double[] Filled(int days)
    {
        var values = new double[days];
        Array.Fill(values, double.NaN);
        return values;
    }
}
