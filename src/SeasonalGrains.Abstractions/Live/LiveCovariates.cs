namespace SeasonalGrains.Abstractions.Live;

/// <summary>The selling price and promotion of a live SKU on one day (a past day, the open day, or a planned one).</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LivePriceDay")]
public sealed record LivePriceDay
{
    [Id(0)] public DateOnly Date { get; init; }

    /// <summary>The price that day; null = the SKU's unit price.</summary>
    [Id(1)] public double? Price { get; init; }

    [Id(2)] public bool Promo { get; init; }
}

/// <summary>A calendar event column's value on one day (as the event columns of a dataset's calendar.csv).</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.CalendarEventValue")]
public sealed record CalendarEventValue([property: Id(0)] string Name, [property: Id(1)] double Value);

/// <summary>The shop's calendar on one day: a holiday name (or none) and event column values.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveCalendarDay")]
public sealed record LiveCalendarDay
{
    [Id(0)] public DateOnly Date { get; init; }

    /// <summary>The holiday's name; several are separated by '|' (e.g. "Easter|OrthodoxEaster"); null = none.</summary>
    [Id(1)] public string? Holiday { get; init; }

    /// <summary>Event columns, by name, ordinal order; a column not given is 0.</summary>
    [Id(2)] public CalendarEventValue[] Events { get; init; } = [];
}

/// <summary>The weather of a region on one day: observed, or forecast until an observation replaces it.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveWeatherDay")]
public sealed record LiveWeatherDay
{
    [Id(0)] public DateOnly Date { get; init; }

    [Id(1)] public double? TempC { get; init; }

    [Id(2)] public double? Humidity { get; init; }

    [Id(3)] public double? PrecipMm { get; init; }

    /// <summary>True for a forecast; an observation of the same day replaces it, never the other way round.</summary>
    [Id(4)] public bool Forecast { get; init; }
}

/// <summary>A posted calendar day or region weather day, applied once per <see cref="EventId"/> (a retry answers duplicate).</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.SharedDayEvent")]
public sealed record SharedDayEvent
{
    [Id(0)] public required string EventId { get; init; }

    /// <summary>Set for a calendar day.</summary>
    [Id(1)] public LiveCalendarDay? Calendar { get; init; }

    /// <summary>Set for a weather day.</summary>
    [Id(2)] public LiveWeatherDay? Weather { get; init; }

    public DateOnly Date => Calendar?.Date ?? Weather?.Date ?? default;
}

/// <summary>
/// The shop's calendar (key <see cref="ShopKey"/>) or one region's weather (key <c>weather/{region}</c>), shared by every
/// live SKU: days posted once per event id, read by the SKUs when they forecast with the LSTM.
/// </summary>
[Alias("SeasonalGrains.Live.ILiveDaysGrain")]
public interface ILiveDaysGrain : IGrainWithStringKey
{
    public const string ShopKey = "calendar";

    /// <summary>The grain key of a region's weather.</summary>
    public static string WeatherKey(string region) => "weather/" + region;

    /// <summary>Books the day (a later post of the same day replaces it; a weather forecast never replaces an observation).</summary>
    [Alias("Record")]
    Task<EventOutcome> Record(SharedDayEvent e);

    [Alias("CalendarDays")]
    Task<LiveCalendarDay[]> CalendarDays(DateOnly from, DateOnly to);

    [Alias("WeatherDays")]
    Task<LiveWeatherDay[]> WeatherDays(DateOnly from, DateOnly to);
}
