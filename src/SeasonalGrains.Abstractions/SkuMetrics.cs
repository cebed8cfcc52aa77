namespace SeasonalGrains.Abstractions;

/// <summary>
/// The stored totals of the domain's InventoryMetrics, for the wire. Ratios are not carried:
/// they are derived from the totals after mapping back to the domain type.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.SkuMetrics")]
public sealed record SkuMetrics
{
    [Id(0)] public int Days { get; init; }

    [Id(1)] public long SkuDays { get; init; }

    [Id(2)] public double UnitsDemanded { get; init; }

    [Id(3)] public double UnitsFilledOnDemand { get; init; }

    [Id(4)] public double UnitsSold { get; init; }

    [Id(5)] public double UnitsLost { get; init; }

    [Id(6)] public double UnitsBackordered { get; init; }

    [Id(7)] public double BackorderUnitDays { get; init; }

    [Id(8)] public double EndingBackorders { get; init; }

    [Id(9)] public int StockoutDays { get; init; }

    [Id(10)] public int Cycles { get; init; }

    [Id(11)] public int CyclesWithStockout { get; init; }

    [Id(12)] public int OrdersPlaced { get; init; }

    [Id(13)] public double UnitsOrdered { get; init; }

    [Id(14)] public double UnitsReceived { get; init; }

    [Id(15)] public double OnHandUnitDays { get; init; }

    [Id(16)] public double OnHandValueDays { get; init; }

    [Id(17)] public double CostOfGoodsSold { get; init; }

    [Id(18)] public double Revenue { get; init; }

    [Id(19)] public double HoldingCost { get; init; }

    [Id(20)] public double ShortageCost { get; init; }

    [Id(21)] public double OrderingCost { get; init; }

    [Id(22)] public double PurchaseCost { get; init; }

    [Id(23)] public double LeftoverUnits { get; init; }

    [Id(24)] public double LeftoverValue { get; init; }

    [Id(25)] public double SalvageCredit { get; init; }
}

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

    [Id(1)] public required SkuMetrics Metrics { get; init; }

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

    [Id(1)] public bool Configured { get; init; }

    [Id(2)] public bool Closed { get; init; }

    [Id(3)] public string? Policy { get; init; }

    /// <summary>The next day to run (= days run so far).</summary>
    [Id(4)] public int Day { get; init; }

    [Id(5)] public double OnHand { get; init; }

    [Id(6)] public double OnOrder { get; init; }

    [Id(7)] public double Backorders { get; init; }

    [Id(8)] public SkuMetrics? Metrics { get; init; }
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
