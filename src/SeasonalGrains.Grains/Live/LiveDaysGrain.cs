using System.Globalization;
using SeasonalGrains.Grains.Hosting;

namespace SeasonalGrains.Grains.Live;

/// <summary>The stored days of a <see cref="LiveDaysGrain"/> and the event ids that made them.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveDaysState.v1")]
public sealed record LiveDaysState
{
    [Id(0)] public LiveCalendarDay[] Calendar { get; init; } = [];

    [Id(1)] public LiveWeatherDay[] Weather { get; init; } = [];

    [Id(2)] public RememberedDayEvent[] Events { get; init; } = [];
}

/// <summary>An applied day event: its id, day and content, to answer retries.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.RememberedDayEvent.v1")]
public sealed record RememberedDayEvent([property: Id(0)] string EventId, [property: Id(1)] DateOnly Date, [property: Id(2)] string Content);

/// <summary>
/// The shop's calendar or one region's weather (see <see cref="ILiveDaysGrain"/>). Days are kept from
/// <see cref="LiveSkuOptions.MaxHistoryDays"/> before the current business day to <see cref="MaxDaysAhead"/> after it, with
/// the ids of the events that made them (an older day and its ids are dropped). Every accepted change is stored before the reply.
/// </summary>
public sealed class LiveDaysGrain(
    [PersistentState("live-days", StorageNames.Skus)] IPersistentState<LiveDaysState> state,
    LiveSkuRuntime runtime) : Grain, ILiveDaysGrain
{
    /// <summary>Latest day a calendar or weather day may be posted for, in days after the current business day.</summary>
    public const int MaxDaysAhead = 366;

    /// <summary>Most event columns of one calendar day.</summary>
    public const int MaxEventColumns = 50;

    public async Task<EventOutcome> Record(SharedDayEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var key = this.GetPrimaryKeyString();
        var isCalendar = key == ILiveDaysGrain.ShopKey;
        var errors = Validate(e, isCalendar, runtime.Today);
        if (errors.Count > 0)
        {
            return new EventOutcome { EventId = e.EventId ?? "", Status = EventStatus.Invalid, Errors = [.. errors] };
        }

        var content = isCalendar ? Content(e.Calendar!) : Content(e.Weather!);
        var current = state.State;
        if (current.Events.FirstOrDefault(r => r.EventId == e.EventId) is { } seen)
        {
            return EventOutcome.Seen(e.EventId, seen.Date, seen.Date == e.Date && seen.Content == content, () => $"for {seen.Date:yyyy-MM-dd} with other content ({seen.Content})");
        }

        var oldest = runtime.Today.AddDays(-LiveSkuOptions.MaxHistoryDays);
        var next = current with
        {
            Calendar = isCalendar ? [.. current.Calendar.Where(d => d.Date != e.Date && d.Date >= oldest).Append(e.Calendar!).OrderBy(d => d.Date)] : current.Calendar,
            Weather = isCalendar ? current.Weather : Merge(current.Weather, e.Weather!, oldest),
            Events = [.. current.Events.Where(r => r.Date >= oldest), new RememberedDayEvent(e.EventId, e.Date, content)],
        };
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = current;
            DeactivateOnIdle();
            throw;
        }

        return new EventOutcome { EventId = e.EventId, Status = EventStatus.Applied, Date = e.Date };
    }

    public Task<LiveCalendarDay[]> CalendarDays(DateOnly from, DateOnly to) =>
        Task.FromResult(state.State.Calendar.Where(d => d.Date >= from && d.Date <= to).ToArray());

    public Task<LiveWeatherDay[]> WeatherDays(DateOnly from, DateOnly to) =>
        Task.FromResult(state.State.Weather.Where(d => d.Date >= from && d.Date <= to).ToArray());

    /// <summary>Every problem of the event, named as the API names its fields.</summary>
    public static List<FieldError> Validate(SharedDayEvent e, bool calendar, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(e);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(e.EventId) || e.EventId.Length > 100)
        {
            errors.Add(new("eventId", "is required: 1-100 characters."));
        }

        var (oldest, latest) = (today.AddDays(-LiveSkuOptions.MaxHistoryDays), today.AddDays(MaxDaysAhead));
        if ((calendar ? e.Calendar is null : e.Weather is null) || (calendar ? e.Weather is not null : e.Calendar is not null))
        {
            errors.Add(new("body", calendar ? "must be a calendar day." : "must be a weather day."));
            return errors;
        }

        if (e.Date < oldest || e.Date > latest)
        {
            errors.Add(new("date", $"must be within {oldest:yyyy-MM-dd}..{latest:yyyy-MM-dd}."));
        }

        if (e.Calendar is { } c)
        {
            if (c.Holiday is { } holiday && (holiday.Trim().Length == 0 || holiday.Length > 200))
            {
                errors.Add(new("holiday", "must be 1-200 characters when given."));
            }

            if (c.Events.Length > MaxEventColumns)
            {
                errors.Add(new("events", $"holds at most {MaxEventColumns} columns (got {c.Events.Length})."));
            }

            foreach (var column in c.Events)
            {
                if (string.IsNullOrWhiteSpace(column.Name) || column.Name.Length > 100)
                {
                    errors.Add(new("events", "column names are 1-100 characters."));
                }
                else if (!double.IsFinite(column.Value) || Math.Abs(column.Value) > 1e9)
                {
                    errors.Add(new($"events.{column.Name}", "must be a finite number of magnitude at most 1e9."));
                }
            }
        }

        if (e.Weather is { } w)
        {
            if (w.TempC is null && w.Humidity is null && w.PrecipMm is null)
            {
                errors.Add(new("body", "needs at least one of tempC, humidity, precipMm."));
            }

            Range(errors, "tempC", w.TempC, -90, 60);
            Range(errors, "humidity", w.Humidity, 0, 100);
            Range(errors, "precipMm", w.PrecipMm, 0, 2000);
        }

        return errors;
    }

    /// <summary>The weather days with <paramref name="day"/>: it replaces the same day's, except that a forecast never replaces an observation.</summary>
    private static LiveWeatherDay[] Merge(LiveWeatherDay[] days, LiveWeatherDay day, DateOnly oldest)
    {
        var existing = days.FirstOrDefault(d => d.Date == day.Date);
        if (existing is { Forecast: false } && day.Forecast)
        {
            return days;
        }

        return [.. days.Where(d => d.Date != day.Date && d.Date >= oldest).Append(day).OrderBy(d => d.Date)];
    }

    private static void Range(List<FieldError> errors, string field, double? value, double min, double max)
    {
        if (value is { } v && !(v >= min && v <= max))
        {
            errors.Add(new(field, string.Create(CultureInfo.InvariantCulture, $"must be within {min}..{max}.")));
        }
    }

    private static string Content(LiveCalendarDay day) =>
        string.Create(CultureInfo.InvariantCulture, $"holiday={day.Holiday ?? ""};{string.Join(";", day.Events.Select(e => $"{e.Name}={e.Value:R}"))}");

    private static string Content(LiveWeatherDay day) =>
        string.Create(CultureInfo.InvariantCulture, $"tempC={day.TempC:R};humidity={day.Humidity:R};precipMm={day.PrecipMm:R};forecast={day.Forecast}");
}
