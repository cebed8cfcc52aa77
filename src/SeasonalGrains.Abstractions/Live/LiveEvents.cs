namespace SeasonalGrains.Abstractions.Live;

/// <summary>What a live event reports.</summary>
[GenerateSerializer]
[Alias("SeasonalGrains.Live.LiveEventKind")]
public enum LiveEventKind
{
    /// <summary>Units sold (the day's demand).</summary>
    Sale = 0,

    /// <summary>Units received into stock outside the SKU's accepted orders.</summary>
    Receipt = 1,

    /// <summary>The selling price and promotion of a day (<see cref="LiveEvent.Price"/>, <see cref="LiveEvent.Promo"/>; no units).</summary>
    Price = 2,
}

/// <summary>
/// A sale or receipt of one SKU. <see cref="EventId"/> makes it idempotent: the SKU applies an id once
/// and answers a retry with <see cref="EventStatus.Duplicate"/>.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveEvent")]
public sealed record LiveEvent
{
    [Id(0)] public required string EventId { get; init; }

    [Id(1)] public LiveEventKind Kind { get; init; }

    [Id(2)] public double Units { get; init; }

    /// <summary>The business day the event belongs to; null = the SKU's open day.</summary>
    [Id(3)] public DateOnly? Date { get; init; }

    /// <summary>For <see cref="LiveEventKind.Price"/>: the day's selling price (null = the SKU's unit price).</summary>
    [Id(4)] public double? Price { get; init; }

    /// <summary>For <see cref="LiveEventKind.Price"/>: whether the SKU is on promotion that day.</summary>
    [Id(5)] public bool Promo { get; init; }
}

[GenerateSerializer]
[Alias("SeasonalGrains.Live.EventStatus")]
public enum EventStatus
{
    Applied = 0,

    /// <summary>The id was applied before with the same content; nothing changed.</summary>
    Duplicate = 1,

    /// <summary>The SKU has not been defined.</summary>
    UnknownSku = 2,

    /// <summary>The event's day is already closed.</summary>
    DayClosed = 3,

    /// <summary>The id was applied before with different content.</summary>
    IdReused = 4,

    /// <summary>The SKU remembers as many pending event ids as it may; close days or aggregate events.</summary>
    LimitReached = 5,

    /// <summary>The event is invalid (see the errors).</summary>
    Invalid = 6,
}

[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.EventOutcome")]
public sealed record EventOutcome
{
    [Id(0)] public required string EventId { get; init; }

    [Id(1)] public EventStatus Status { get; init; }

    /// <summary>The business day the event was booked to (when it was applied or is a duplicate).</summary>
    [Id(2)] public DateOnly? Date { get; init; }

    [Id(3)] public FieldError[] Errors { get; init; } = [];

    /// <summary>A sentence on why the event was not applied, for statuses other than applied and duplicate.</summary>
    [Id(4)] public string? Detail { get; init; }

    /// <summary>
    /// The answer to an event id applied before (on <paramref name="date"/>): a duplicate when the event is the same,
    /// otherwise the id reused for another event, with <paramref name="applied"/> saying what the id was applied as.
    /// </summary>
    public static EventOutcome Seen(string eventId, DateOnly date, bool same, Func<string> applied) => same
        ? new EventOutcome { EventId = eventId, Status = EventStatus.Duplicate, Date = date }
        : new EventOutcome { EventId = eventId, Status = EventStatus.IdReused, Date = date, Detail = $"Event id '{eventId}' was applied before {applied()}." };
}
