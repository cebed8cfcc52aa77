namespace SeasonalGrains.Abstractions;

/// <summary>
/// Where a SKU grain of a replay gets the demand outlook for its reviews: the forecast source
/// registered for the replay run (the run id is the first part of the grain's key) and the SKU's
/// place in the run's dataset. Window day d is dataset day <see cref="OriginOffset"/> + d, the
/// forecast origin of a review on day d.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ForecastSpec")]
public sealed record ForecastSpec
{
    /// <summary>The forecaster's name as registered for the run (e.g. <c>ets</c>, <c>oracle</c>).</summary>
    [Id(0)] public required string Source { get; init; }

    /// <summary>The SKU's index in the run's dataset.</summary>
    [Id(1)] public int SkuIndex { get; init; }

    /// <summary>The dataset day index of window day 0.</summary>
    [Id(2)] public int OriginOffset { get; init; }

    /// <summary>Lower level of the forecast band recorded at each review.</summary>
    [Id(3)] public double RecordLower { get; init; } = 0.05;

    /// <summary>Upper level of the forecast band recorded at each review.</summary>
    [Id(4)] public double RecordUpper { get; init; } = 0.95;
}

/// <summary>
/// The forecasts a SKU's reviews were given during a season, with what demand turned out to be.
/// Per review k (on window day <see cref="ReviewDays"/>[k]): the mean and the band quantiles of total
/// demand over its protection interval (<see cref="IntervalDays"/>[k] days from the review day), and
/// the realised total (NaN while, or when, the interval runs past the days seen). Per window day:
/// the newest review's forecast of that day (mean, median and band; NaN before the first review).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.ForecastLog")]
public sealed record ForecastLog
{
    [Id(0)] public double LowerLevel { get; init; }

    [Id(1)] public double UpperLevel { get; init; }

    [Id(2)] public required int[] ReviewDays { get; init; }

    [Id(3)] public required int[] IntervalDays { get; init; }

    [Id(4)] public required double[] IntervalMean { get; init; }

    [Id(5)] public required double[] IntervalLower { get; init; }

    [Id(6)] public required double[] IntervalMedian { get; init; }

    [Id(7)] public required double[] IntervalUpper { get; init; }

    [Id(8)] public required double[] IntervalActual { get; init; }

    [Id(9)] public required double[] DayMean { get; init; }

    [Id(10)] public required double[] DayLower { get; init; }

    [Id(11)] public required double[] DayUpper { get; init; }

    /// <summary>Demand of each window day seen so far (NaN for days not yet run).</summary>
    [Id(12)] public required double[] Demand { get; init; }

    /// <summary>The newest review's median of each window day (NaN before the first review); null in logs saved before it was recorded.</summary>
    [Id(13)] public double[]? DayMedian { get; init; }
}
