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

/// <summary>Inventory terms of one SKU (mirror of the domain's SkuTerms).</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.SkuTermsSpec")]
public sealed record SkuTermsSpec
{
    [Id(0)] public int LeadTimeDays { get; init; }

    [Id(1)] public double InitialOnHand { get; init; }

    [Id(2)] public double Moq { get; init; }

    [Id(3)] public double CasePack { get; init; } = 1;

    [Id(4)] public double UnitCost { get; init; }

    [Id(5)] public double UnitPrice { get; init; }

    [Id(6)] public double SalvageValue { get; init; }
}

/// <summary>Cost rates of one SKU (mirror of the domain's CostRates).</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.CostRatesSpec")]
public sealed record CostRatesSpec
{
    [Id(0)] public double HoldingPerUnitDay { get; init; }

    /// <summary>Per lost unit (lost sales) or per backordered unit-day (backorders).</summary>
    [Id(1)] public double ShortagePerUnit { get; init; }

    [Id(2)] public double FixedPerOrder { get; init; }

    [Id(3)] public double PurchasePerUnit { get; init; }
}

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
