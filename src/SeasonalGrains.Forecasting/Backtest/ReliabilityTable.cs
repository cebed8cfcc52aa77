namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>What a reliability row counts: daily quantiles, or quantiles of the sum of the first days.</summary>
public enum ReliabilityKind
{
    /// <summary>The quantiles of one horizon day against that day's actual.</summary>
    Daily,

    /// <summary>The quantiles of the sum of horizon days 1..n against the actual sum (forecasters that predict sums).</summary>
    Interval,
}

/// <summary>
/// One line of a reliability table: of <paramref name="Count"/> forecasts at <paramref name="Level"/>, the share
/// whose actual was at or below the quantile (<paramref name="Observed"/>) and strictly below it
/// (<paramref name="ObservedBelow"/>). A calibrated forecaster of a continuous quantity has both near the level; for
/// counts, whose distribution has steps, a calibrated forecaster has ObservedBelow &lt;= level &lt;= Observed.
/// </summary>
/// <param name="Horizon">The horizon day h (daily) or the number of days summed n (interval); null for all of them pooled.</param>
public sealed record ReliabilityRow(
    string Forecaster,
    ReliabilityKind Kind,
    int? Horizon,
    double Level,
    double Observed,
    double ObservedBelow,
    long Count);

/// <summary>
/// Counts, per forecaster, kind, horizon and level, how often actuals fall at or below (and strictly below) the
/// forecast quantiles. Not thread-safe.
/// </summary>
public sealed class ReliabilityTable
{
    private readonly double[] _levels;
    private readonly int _horizon;
    private readonly List<string> _forecasters = [];
    private readonly Dictionary<(string Forecaster, ReliabilityKind Kind), Counts> _counts = [];

    /// <param name="levels">The levels of the quantiles added (strictly ascending).</param>
    /// <param name="horizon">The largest horizon day (or number of days summed) added.</param>
    public ReliabilityTable(IReadOnlyList<double> levels, int horizon)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ForecastRequestChecks.ValidateLevels(levels, "reliability table");
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        _levels = [.. levels];
        _horizon = horizon;
    }

    /// <summary>Adds one daily forecast: <paramref name="quantiles"/> at the table's levels for horizon day <paramref name="h"/> (1-based).</summary>
    public void AddDaily(string forecaster, int h, double actual, ReadOnlySpan<double> quantiles) =>
        Add(forecaster, ReliabilityKind.Daily, h, actual, quantiles);

    /// <summary>Adds one interval forecast: quantiles of the sum of horizon days 1..<paramref name="days"/> against the actual sum.</summary>
    public void AddInterval(string forecaster, int days, double actualSum, ReadOnlySpan<double> quantiles) =>
        Add(forecaster, ReliabilityKind.Interval, days, actualSum, quantiles);

    /// <summary>
    /// The rows: per forecaster (in the order first added), daily then interval, the pooled row (horizon null) and
    /// then each horizon, levels ascending. Horizons with no forecast are left out.
    /// </summary>
    public IReadOnlyList<ReliabilityRow> Rows()
    {
        var rows = new List<ReliabilityRow>();
        foreach (var forecaster in _forecasters)
        {
            foreach (var kind in new[] { ReliabilityKind.Daily, ReliabilityKind.Interval })
            {
                if (!_counts.TryGetValue((forecaster, kind), out var counts))
                {
                    continue;
                }

                var total = counts.Forecasts.Sum();
                for (var k = 0; k < _levels.Length; k++)
                {
                    long atOrBelow = 0;
                    long below = 0;
                    for (var h = 1; h <= _horizon; h++)
                    {
                        atOrBelow += counts.AtOrBelow[h, k];
                        below += counts.Below[h, k];
                    }

                    rows.Add(new ReliabilityRow(forecaster, kind, null, _levels[k], (double)atOrBelow / total, (double)below / total, total));
                }

                for (var h = 1; h <= _horizon; h++)
                {
                    var n = counts.Forecasts[h];
                    if (n == 0)
                    {
                        continue;
                    }

                    for (var k = 0; k < _levels.Length; k++)
                    {
                        rows.Add(new ReliabilityRow(
                            forecaster, kind, h, _levels[k], (double)counts.AtOrBelow[h, k] / n, (double)counts.Below[h, k] / n, n));
                    }
                }
            }
        }

        return rows;
    }

    private void Add(string forecaster, ReliabilityKind kind, int h, double actual, ReadOnlySpan<double> quantiles)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        if (h < 1 || h > _horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(h), h, $"The horizon must be within 1..{_horizon}.");
        }

        if (quantiles.Length != _levels.Length)
        {
            throw new ArgumentException($"Need one quantile per level: {_levels.Length} levels, {quantiles.Length} quantiles.", nameof(quantiles));
        }

        if (!_counts.TryGetValue((forecaster, kind), out var counts))
        {
            if (!_forecasters.Contains(forecaster))
            {
                _forecasters.Add(forecaster);
            }

            counts = new Counts(_horizon, _levels.Length);
            _counts[(forecaster, kind)] = counts;
        }

        counts.Forecasts[h]++;
        for (var k = 0; k < quantiles.Length; k++)
        {
            counts.AtOrBelow[h, k] += actual <= quantiles[k] ? 1 : 0;
            counts.Below[h, k] += actual < quantiles[k] ? 1 : 0;
        }
    }

    private sealed class Counts(int horizon, int levels)
    {
        public long[] Forecasts { get; } = new long[horizon + 1];

        public long[,] AtOrBelow { get; } = new long[horizon + 1, levels];

        public long[,] Below { get; } = new long[horizon + 1, levels];
    }
}
