namespace SeasonalGrains.Abstractions;

/// <summary>What happens to demand that stock cannot serve (mirror of the domain's fulfilment).</summary>
[GenerateSerializer]
[Alias("SeasonalGrains.FulfilmentMode")]
public enum FulfilmentMode
{
    LostSales = 0,
    Backorders = 1,
}

/// <summary>When a SKU grain writes its state to grain storage.</summary>
[GenerateSerializer]
[Alias("SeasonalGrains.StateWrites")]
public enum StateWrites
{
    /// <summary>Never (the default: a replay's results travel back in the replies, not through storage).</summary>
    Never = 0,

    /// <summary>Once, when the season closes: the final state stays in storage.</summary>
    OnClose = 1,

    /// <summary>After the setup and every chunk of days: checkpoints from which a season resumes after reactivation.</summary>
    EveryChunk = 2,
}

/// <summary>Inventory terms of one SKU: the domain's SkuTerms, field for field, under stored ids.</summary>
/// <param name="LeadTimeDays">Days between placing an order and its arrival.</param>
/// <param name="InitialOnHand">Units on hand before the first day.</param>
/// <param name="Moq">Minimum order quantity (0: none).</param>
/// <param name="CasePack">Orders are whole multiples of this (1: any quantity).</param>
/// <param name="UnitCost">What a unit costs to buy.</param>
/// <param name="UnitPrice">What a unit sells for.</param>
/// <param name="SalvageValue">What a unit left at the end of the season is worth.</param>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.SkuTermsSpec")]
public sealed record SkuTermsSpec(
    [property: Id(0)] int LeadTimeDays = 0,
    [property: Id(1)] double InitialOnHand = 0,
    [property: Id(2)] double Moq = 0,
    [property: Id(3)] double CasePack = 1,
    [property: Id(4)] double UnitCost = 0,
    [property: Id(5)] double UnitPrice = 0,
    [property: Id(6)] double SalvageValue = 0);

/// <summary>Cost rates of one SKU: the domain's CostRates, field for field, under stored ids.</summary>
/// <param name="HoldingPerUnitDay">Per unit on hand at the end of a day.</param>
/// <param name="ShortagePerUnit">Per lost unit (lost sales) or per backordered unit-day (backorders).</param>
/// <param name="FixedPerOrder">Per order placed.</param>
/// <param name="PurchasePerUnit">Per unit ordered.</param>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.CostRatesSpec")]
public sealed record CostRatesSpec(
    [property: Id(0)] double HoldingPerUnitDay = 0,
    [property: Id(1)] double ShortagePerUnit = 0,
    [property: Id(2)] double FixedPerOrder = 0,
    [property: Id(3)] double PurchasePerUnit = 0);

/// <summary>One explicit policy parameter, e.g. <c>s = 40</c>.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.PolicyParameter")]
public sealed record PolicyParameter([property: Id(0)] string Name, [property: Id(1)] double Value);

/// <summary>
/// The policy of one SKU as the policy catalog needs it to rebuild the policy: its name, the
/// explicit parameters, and what is needed to derive the others (demand statistics of the history
/// before the replay window and the target service level).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.PolicySpec")]
public sealed record PolicySpec
{
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public PolicyParameter[] Parameters { get; init; } = [];

    [Id(2)] public double HistoryMean { get; init; }

    [Id(3)] public double HistoryStandardDeviation { get; init; }

    [Id(4)] public int HistoryDays { get; init; }

    [Id(5)] public double TargetServiceLevel { get; init; } = 0.95;
}

/// <summary>Everything a SKU grain needs to start a season.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.SkuSetup")]
public sealed record SkuSetup
{
    [Id(0)] public required string Sku { get; init; }

    [Id(1)] public required SkuTermsSpec Terms { get; init; }

    [Id(2)] public required CostRatesSpec Costs { get; init; }

    [Id(3)] public FulfilmentMode Fulfilment { get; init; }

    [Id(4)] public int ReviewPeriodDays { get; init; } = 1;

    [Id(5)] public required PolicySpec Policy { get; init; }

    /// <summary>Days in the season; the grain closes itself after the last one. 0 = open-ended.</summary>
    [Id(6)] public int WindowDays { get; init; }

    /// <summary>Keep a daily trace (on hand, orders, demand, shortage) to return at the close.</summary>
    [Id(7)] public bool Trace { get; init; }

    [Id(8)] public StateWrites StateWrites { get; init; }

    /// <summary>Where the outlook of each review comes from, for policies that order from a forecast; null for the others.</summary>
    [Id(9)] public ForecastSpec? Forecast { get; init; }
}
