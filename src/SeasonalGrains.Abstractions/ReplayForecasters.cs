namespace SeasonalGrains.Abstractions;

/// <summary>
/// What any silo needs to build a replay run's forecast sources itself, carried in the run's <see cref="ReplayPlan"/>:
/// the forecaster names, the dataset folder with its cleaning settings, the LSTM's model folder (silos read both from a
/// file system they share with the client), the SHA-256 fingerprints of both folders as the client read them, and the
/// outlook and LSTM settings. A silo builds the sources on the first review of the run that reaches it, refusing a
/// folder whose fingerprint differs, so every silo forecasts exactly what the client's own silo would.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ReplayForecasters")]
public sealed record ReplayForecasters
{
    /// <summary>Forecaster names as the run's setups name them (<see cref="ForecastSpec.Source"/>).</summary>
    [Id(0)] public required string[] Names { get; init; }

    /// <summary>The dataset folder (absolute path).</summary>
    [Id(1)] public required string DatasetFolder { get; init; }

    /// <summary>Hex SHA-256 of the dataset folder's files (names and bytes).</summary>
    [Id(2)] public required string DatasetSha256 { get; init; }

    /// <summary>How missing demand days are filled (a name of the cleaner's missing-value modes).</summary>
    [Id(3)] public string Missing { get; init; } = "Interpolate";

    /// <summary>What the outlier rule does (a name of the cleaner's outlier modes).</summary>
    [Id(4)] public string Outliers { get; init; } = "None";

    [Id(5)] public double IqrK { get; init; } = 1.5;

    [Id(6)] public int MinObservationsForOutliers { get; init; } = 4;

    /// <summary>The LSTM's model folder (absolute path); null when the run has no LSTM.</summary>
    [Id(7)] public string? ModelFolder { get; init; }

    /// <summary>Hex SHA-256 of the model folder's files; null with <see cref="ModelFolder"/>.</summary>
    [Id(8)] public string? ModelSha256 { get; init; }

    [Id(9)] public int ReviewPeriodDays { get; init; } = 1;

    /// <summary>Days every outlook covers; null = longest lead time + review period.</summary>
    [Id(10)] public int? Horizon { get; init; }

    /// <summary>Seed of the outlooks' sample paths (common random numbers across sources and silos).</summary>
    [Id(11)] public ulong Seed { get; init; } = 1;

    [Id(12)] public int Paths { get; init; } = 256;

    [Id(13)] public double Correlation { get; init; } = 0.2;

    /// <summary>Forecast origins kept cached per source.</summary>
    [Id(14)] public int RetainOrigins { get; init; } = 366;

    /// <summary>How the LSTM runs: <c>Window</c> or <c>Stateful</c>.</summary>
    [Id(15)] public string LstmInference { get; init; } = "Window";

    [Id(16)] public int LstmRestartDays { get; init; }

    /// <summary>The LSTM's inference precision as scenario files write it (<c>float32</c>, <c>bfloat16</c>, <c>auto</c>).</summary>
    [Id(17)] public string LstmPrecision { get; init; } = "float32";

    /// <summary>The first review's origin (dataset day), forecast before the first grain call where that is slow (the ensemble); null for none.</summary>
    [Id(18)] public int? FirstOrigin { get; init; }
}
