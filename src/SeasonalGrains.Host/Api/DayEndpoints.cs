namespace SeasonalGrains.Host.Api;

/// <summary>The days every live SKU shares: the shop's calendar and the weather of each region.</summary>
public static class DayEndpoints
{
    /// <summary>The endpoints that record one shared day, alike but for the kind of day.</summary>
    private static readonly (string Path, Delegate Handler, string Name, string Summary, string Description)[] DayEventEndpoints =
    [
        ("/calendar", PostCalendarDay, "PostCalendarDay", "Record a day of the shop's calendar (idempotent by eventId)",
            "A holiday name and event column values; a later event for the same day replaces it. Live SKUs that forecast with the LSTM read it."),
        ("/weather/{region}", PostWeatherDay, "PostWeatherDay", "Record a day of a region's weather, observed or forecast (idempotent by eventId)",
            "An observation replaces the day's forecast, never the other way round. Live SKUs of the region that forecast with the LSTM read it."),
    ];

    public static RouteGroupBuilder MapDayEndpoints(this RouteGroupBuilder api)
    {
        var days = api.Group("", "Calendar and weather");
        foreach (var (path, handler, name, summary, description) in DayEventEndpoints)
        {
            days.MapPost(path, handler)
                .Describe<EventResponse>(ApiRole.Write, name, summary, description, [400, 409]);
        }

        return api;
    }

    private static async Task<IResult> PostCalendarDay(CalendarDayRequest? body, IGrainFactory grains)
    {
        if (Missing(body?.EventId, body?.Date) is { } missing)
        {
            return missing;
        }

        var day = new LiveCalendarDay
        {
            Date = body!.Date!.Value,
            Holiday = body.Holiday,
            Events = [.. (body.Events ?? []).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new CalendarEventValue(e.Key, e.Value))],
        };
        var outcome = await grains.GetGrain<ILiveDaysGrain>(ILiveDaysGrain.ShopKey).Record(new SharedDayEvent { EventId = body.EventId!, Calendar = day });
        return SkuEndpoints.ToResult("", outcome);
    }

    private static async Task<IResult> PostWeatherDay(string region, WeatherDayRequest? body, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(region) || region.Length > 200)
        {
            return ApiProblems.Validation("region", "must be 1-200 characters.");
        }

        if (Missing(body?.EventId, body?.Date) is { } missing)
        {
            return missing;
        }

        var day = new LiveWeatherDay
        {
            Date = body!.Date!.Value,
            TempC = body.TempC,
            Humidity = body.Humidity,
            PrecipMm = body.PrecipMm,
            Forecast = body.Forecast ?? false,
        };
        var outcome = await grains.GetGrain<ILiveDaysGrain>(ILiveDaysGrain.WeatherKey(region)).Record(new SharedDayEvent { EventId = body.EventId!, Weather = day });
        return SkuEndpoints.ToResult("", outcome);
    }

    /// <summary>A problem naming the required fields left out, or null.</summary>
    private static IResult? Missing(string? eventId, DateOnly? date)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(eventId))
        {
            errors.Add("eventId", "is required.");
        }

        if (date is null)
        {
            errors.Add("date", "is required.");
        }

        return errors.Any ? ApiProblems.Validation(errors) : null;
    }
}
