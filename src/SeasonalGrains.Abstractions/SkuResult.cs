using SeasonalGrains.Domain.Inventory;

namespace SeasonalGrains.Abstractions;

/// <summary>End-of-day figures of one SKU for each day of its season (kept only when asked for).</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.DailyTrace")]
public sealed record DailyTrace
{
    [Id(0)] public required double[] Demand { get; init; }

    [Id(1)] public required double[] OnHand { get; init; }

    [Id(2)] public required double[] OnOrder { get; init; }

    [Id(3)] public required double[] Backorders { get; init; }

    [Id(4)] public required double[] Ordered { get; init; }

    [Id(5)] public required double[] Received { get; init; }

    [Id(6)] public required double[] Shortage { get; init; }
}

/// <summary>What a SKU grain returns when its season closes.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.SkuResult")]
public sealed record SkuResult
{
    [Id(0)] public required string Sku { get; init; }

    [Id(1)] public required InventoryMetrics Metrics { get; init; }

    [Id(2)] public DailyTrace? Trace { get; init; }

    /// <summary>The forecasts behind the reviews, when the policy ordered from a forecast.</summary>
    [Id(3)] public ForecastLog? Forecasts { get; init; }
}

/// <summary>A SKU grain's current position, for queries.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.SkuStatus")]
public sealed record SkuStatus
{
    [Id(0)] public required string Key { get; init; }

    [Id(2)] public bool Closed { get; init; }

    /// <summary>The name of the SKU's policy; null until the grain is configured.</summary>
    [Id(3)] public string? Policy { get; init; }

    public bool Configured => Policy is not null;

    /// <summary>The next day to run (= days run so far).</summary>
    [Id(4)] public int Day { get; init; }

    [Id(5)] public double OnHand { get; init; }

    [Id(6)] public double OnOrder { get; init; }

    [Id(7)] public double Backorders { get; init; }

    [Id(8)] public InventoryMetrics? Metrics { get; init; }
}

/// <summary>The last days (oldest first) of units, price and promo a SKU grain keeps as forecast features.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.FeatureWindow")]
public sealed record FeatureWindow
{
    [Id(0)] public required double[] Units { get; init; }

    /// <summary>NaN where the price was not given.</summary>
    [Id(1)] public required double[] Price { get; init; }

    [Id(2)] public required bool[] Promo { get; init; }
}
