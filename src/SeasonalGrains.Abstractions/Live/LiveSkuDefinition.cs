namespace SeasonalGrains.Abstractions.Live;

/// <summary>The policy of a live SKU: a name from the policy catalog, its explicit parameters and the service level aimed at when one is derived.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LivePolicy")]
public sealed record LivePolicy
{
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public PolicyParameter[] Parameters { get; init; } = [];

    [Id(2)] public double TargetServiceLevel { get; init; } = 0.95;
}

/// <summary>
/// The master data of a live SKU, as a shop or ERP sends it. Sent again to change it; see
/// <see cref="ILiveSkuGrain.Define"/> for what may change once the SKU runs.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.LiveSkuDefinition")]
public sealed record LiveSkuDefinition
{
    [Id(0)] public required string Sku { get; init; }

    [Id(1)] public string Category { get; init; } = "";

    [Id(2)] public string Region { get; init; } = "";

    [Id(3)] public required SkuTermsSpec Terms { get; init; }

    [Id(4)] public required CostRatesSpec Costs { get; init; }

    [Id(5)] public FulfilmentMode Fulfilment { get; init; } = FulfilmentMode.Backorders;

    [Id(6)] public int ReviewPeriodDays { get; init; } = 1;

    [Id(7)] public required LivePolicy Policy { get; init; }

    /// <summary>The first business day of the SKU; null = today (when created) or unchanged (when redefined).</summary>
    [Id(8)] public DateOnly? StartDate { get; init; }

    /// <summary>
    /// Daily units sold before the start date (oldest first, at most the feature window's length), so
    /// forecasts and derived policy parameters have something to start from; null = none (or unchanged).
    /// </summary>
    [Id(9)] public double[]? History { get; init; }

    /// <summary>
    /// Whether the sender left the initial on hand out: when redefined, the SKU keeps its own (then
    /// <see cref="SkuTermsSpec.InitialOnHand"/> is ignored); when created, 0. Never set on a stored definition.
    /// </summary>
    [Id(10)] public bool InitialOnHandOmitted { get; init; }
}

/// <summary>What a definition did.</summary>
[GenerateSerializer]
[Alias("SeasonalGrains.Live.DefineStatus")]
public enum DefineStatus
{
    Created = 0,
    Updated = 1,
    Unchanged = 2,

    /// <summary>The change conflicts with the SKU's running state (see the errors).</summary>
    Conflict = 3,

    /// <summary>The definition itself is invalid (see the errors).</summary>
    Invalid = 4,
}

/// <summary>A problem with one field of a request, named as in the HTTP API (camelCase, dotted).</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.FieldError")]
public sealed record FieldError([property: Id(0)] string Field, [property: Id(1)] string Message);

[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.DefineOutcome")]
public sealed record DefineOutcome
{
    [Id(0)] public DefineStatus Status { get; init; }

    [Id(1)] public FieldError[] Errors { get; init; } = [];

    /// <summary>The SKU after the call (null when it does not exist).</summary>
    [Id(2)] public LiveSkuView? View { get; init; }
}
