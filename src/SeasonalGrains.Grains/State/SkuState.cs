namespace SeasonalGrains.Grains.State;

/// <summary>
/// The persisted state of a SKU grain. Replaced as a whole on every write. Fields are only ever
/// added with new ids; <see cref="Version"/> tells which layout wrote the record.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.SkuState.v1")]
public sealed record SkuState
{
    /// <summary>2: <see cref="SavedAt"/> added (records of version 1 load with it null).</summary>
    public const int CurrentVersion = 2;

    [Id(0)] public int Version { get; init; } = CurrentVersion;

    /// <summary>Null until the grain is configured.</summary>
    [Id(1)] public SkuSetup? Setup { get; init; }

    [Id(2)] public LedgerSnapshot? Ledger { get; init; }

    [Id(3)] public FeatureWindow? Window { get; init; }

    [Id(4)] public bool Closed { get; init; }

    /// <summary>The daily trace so far, when the setup asks for one.</summary>
    [Id(5)] public DailyTrace? Trace { get; init; }

    /// <summary>When the grain wrote this record (UTC); null in records of version 1.</summary>
    [Id(6)] public DateTimeOffset? SavedAt { get; init; }

    /// <summary>The forecasts recorded so far, under a forecast policy (null otherwise).</summary>
    [Id(7)] public ForecastLog? Forecasts { get; init; }
}

/// <summary>The ledger's complete state: the domain's <see cref="LedgerState"/>, field for field, under stored ids.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.LedgerSnapshot.v1")]
public sealed record LedgerSnapshot(
    [property: Id(0)] int Day,
    [property: Id(1)] double OnHand,
    [property: Id(2)] double OnOrder,
    [property: Id(3)] double Backorders,
    [property: Id(4)] double[] Pipeline,
    [property: Id(5)] bool CycleOpen,
    [property: Id(6)] bool CycleHadStockout,
    [property: Id(7)] double[] Totals,
    [property: Id(8)] int[] Counts);
