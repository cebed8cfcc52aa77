namespace SeasonalGrains.Abstractions.Live;

/// <summary>How one model version's forecast of a closed day scored against the day's realised sales.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.VersionScore.v1")]
public sealed record VersionScore
{
    /// <summary>The model version (<c>NAME@VERSION</c>) whose forecast was scored.</summary>
    [Id(0)] public required string Version { get; init; }

    /// <summary>Mean pinball loss over the forecast's quantile levels: mean over k of rho_tau_k(actual - q_k).</summary>
    [Id(1)] public double Pinball { get; init; }

    /// <summary>|mean forecast - actual|.</summary>
    [Id(2)] public double AbsoluteError { get; init; }

    /// <summary>Days between the forecast's first day and the scored day (0: the forecast made at the close before it).</summary>
    [Id(3)] public int Step { get; init; }
}

/// <summary>A closed day of a live SKU scored once per model version that had forecast it.</summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.ScoredDay.v1")]
public sealed record ScoredDay
{
    [Id(0)] public DateOnly Date { get; init; }

    /// <summary>The day's sales (its demand).</summary>
    [Id(1)] public double Actual { get; init; }

    /// <summary>One score per version, each version at most once.</summary>
    [Id(2)] public VersionScore[] Scores { get; init; } = [];
}

/// <summary>
/// One SKU's shadow comparison of the active version and the challenger over its scored-day window (the days scored
/// for both): sums, so that totals over SKUs are sums too.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("SeasonalGrains.Live.ShadowSummary.v1")]
public sealed record ShadowSummary
{
    [Id(0)] public required string Sku { get; init; }

    [Id(1)] public required string Active { get; init; }

    [Id(2)] public required string Challenger { get; init; }

    /// <summary>Days of the window scored for both versions.</summary>
    [Id(3)] public int Days { get; init; }

    [Id(4)] public double ActivePinballSum { get; init; }

    [Id(5)] public double ChallengerPinballSum { get; init; }

    [Id(6)] public double ActiveAbsoluteErrorSum { get; init; }

    [Id(7)] public double ChallengerAbsoluteErrorSum { get; init; }

    /// <summary>
    /// The MASE scale: the in-sample mean absolute error of the seasonal naive (period 7) over the SKU's sales before the
    /// window's first day; NaN when it is 0 or undefined (the SKU's MASE is then left out).
    /// </summary>
    [Id(8)] public double Scale { get; init; } = double.NaN;

    /// <summary>Days the SKU had closed when it made this summary: a shard keeps the highest.</summary>
    [Id(9)] public int Sequence { get; init; }

    public double ActivePinball => Days == 0 ? double.NaN : ActivePinballSum / Days;

    public double ChallengerPinball => Days == 0 ? double.NaN : ChallengerPinballSum / Days;

    public double ActiveMase => Days == 0 || !(Scale > 0) ? double.NaN : ActiveAbsoluteErrorSum / Days / Scale;

    public double ChallengerMase => Days == 0 || !(Scale > 0) ? double.NaN : ChallengerAbsoluteErrorSum / Days / Scale;
}

/// <summary>
/// One shard of the shadow scores (key = <see cref="OrderBook.ShardOf"/> of the SKU, as the order book): the latest
/// <see cref="ShadowSummary"/> of each of its SKUs. A SKU publishes its whole window after every close, so a summary
/// replaces the SKU's previous one and nothing is counted twice.
/// </summary>
[Alias("SeasonalGrains.Live.IShadowScoresGrain")]
public interface IShadowScoresGrain : IGrainWithIntegerKey
{
    /// <summary>Keeps the summary unless the shard holds one of the SKU with a higher <see cref="ShadowSummary.Sequence"/>.</summary>
    [Alias("Publish")]
    Task Publish(ShadowSummary summary);

    /// <summary>The summaries of the shard's SKUs comparing <paramref name="active"/> with <paramref name="challenger"/>.</summary>
    [Alias("Summaries")]
    Task<ShadowSummary[]> Summaries(string active, string challenger);
}
