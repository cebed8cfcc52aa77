using System.Collections.Concurrent;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;

namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>How an outlook draws its sample paths.</summary>
/// <param name="Paths">Monte Carlo paths (2..100000).</param>
/// <param name="Correlation">
/// ρ of the Gaussian copula between the days of one path (0 = independent days, 1 = comonotone).
/// </param>
public sealed record SamplePathSettings(int Paths = SamplePathSettings.DefaultPaths, double Correlation = SamplePathSettings.DefaultCorrelation)
{
    public const int DefaultPaths = 256;

    /// <summary>
    /// Default ρ for a forecast: forecast errors on the days of one forecast share the error in
    /// its level (a forecast that is high on Monday tends to be high all week), so independence
    /// understates the spread of their sum; comonotone days (ρ = 1, the same as adding per-day
    /// quantiles) overstate it. 0.2 is a modest share of common error; the replay's recorded
    /// interval coverage shows whether it fits.
    /// </summary>
    public const double DefaultCorrelation = 0.2;

    /// <summary>Independent days: right for the true distribution, whose daily draws are independent given the mean.</summary>
    public static SamplePathSettings Independent { get; } = new(DefaultPaths, 0);

    public void Validate()
    {
        if (Paths < 2 || Paths > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Paths), Paths, "An outlook needs 2 to 100000 sample paths.");
        }

        if (!(Correlation >= 0 && Correlation <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Correlation), Correlation, "The copula correlation must lie in [0, 1].");
        }
    }
}

/// <summary>
/// The distribution of total demand over any run of days, from a per-day forecast (mean and
/// quantiles), by Monte Carlo sample paths.
/// </summary>
/// <remarks>
/// <para>
/// Path p draws day h as <c>Q_h(Z_ph)</c>, with <c>Q_h</c> the day's <see cref="QuantileCurve"/> and
/// <c>Z_ph = sqrt(ρ) W_p + sqrt(1 - ρ) E_ph</c> (W, E independent standard normals): a Gaussian copula
/// with equal correlation ρ between any two days, so each day keeps exactly its forecast
/// distribution and only the dependence between days is assumed. The normals are drawn by Latin
/// hypercube sampling: for each day (and for W) the P paths get the P strata
/// <c>Φ⁻¹((i + 0.5) / P)</c> in a random order, so each day's marginal is covered evenly (less Monte
/// Carlo noise than plain draws, and no normal variate to compute per draw). The quantile of a run of days is
/// the empirical quantile (<see cref="EmpiricalQuantile.OfSorted"/>) of the path sums; the mean is the
/// sum of the forecast means, exactly.
/// </para>
/// <para>
/// Draws come from <see cref="CounterRandom"/> keyed by <see cref="StreamKey"/> (seed, SKU, origin), so
/// every policy sees the same paths for the same SKU and review day (common random numbers), and
/// a result never depends on the order of queries. Paths are built lazily, only as far as a query
/// reaches, and sorted sums are cached per (offset, days). Safe to share between threads.
/// </para>
/// </remarks>
public sealed class SamplePathOutlook : IForecastErrorOutlook
{
    private const ulong CommonStream = ulong.MaxValue;

    private static readonly ConcurrentDictionary<int, double[]> Strata = new();

    private readonly double[] _mean;
    private readonly QuantileCurve[] _days;
    private readonly int _paths;
    private readonly double _common;
    private readonly double _own;
    private readonly ulong _key;
    private readonly double[] _strata;
    private readonly double[] _commonDraws;
    private readonly List<double[]> _cumulative = []; // row h = path sums over days 0..h-1
    private readonly Dictionary<(int Offset, int Days), double[]> _sorted = [];
    private readonly Lock _gate = new();

    /// <summary>An outlook from per-day curves and means (one of each per horizon day).</summary>
    public SamplePathOutlook(IReadOnlyList<double> mean, IReadOnlyList<QuantileCurve> days, SamplePathSettings settings, ulong streamKey, double? errorStandardDeviation = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (mean.Count == 0 || mean.Count != days.Count)
        {
            throw new ArgumentException($"An outlook needs one mean and one quantile curve per day and at least one day (got {mean.Count} means, {days.Count} curves).", nameof(days));
        }

        if (mean.Any(m => !double.IsFinite(m)))
        {
            throw new ArgumentException("Every forecast mean must be finite.", nameof(mean));
        }

        if (errorStandardDeviation is { } sd && !(sd >= 0 && double.IsFinite(sd)))
        {
            throw new ArgumentOutOfRangeException(nameof(errorStandardDeviation), sd, "The error standard deviation must be a finite number >= 0.");
        }

        _mean = mean.ToArray();
        _days = days.ToArray();
        _paths = settings.Paths;
        _common = Math.Sqrt(settings.Correlation);
        _own = Math.Sqrt(1 - settings.Correlation);
        _key = streamKey;
        _strata = Strata.GetOrAdd(_paths, p => Enumerable.Range(0, p).Select(i => Normal.InverseCdf((i + 0.5) / p)).ToArray());
        _commonDraws = new double[_paths];
        if (_common > 0)
        {
            var order = new int[_paths];
            CounterRandom.FillPermutation(CounterRandom.Key(_key, CommonStream), order);
            for (var p = 0; p < _paths; p++)
            {
                _commonDraws[p] = _common * _strata[order[p]];
            }
        }

        _cumulative.Add(new double[_paths]);
        Settings = settings;
        ErrorStandardDeviation = errorStandardDeviation;
    }

    /// <summary>Days covered from the origin (offset + days may not exceed it).</summary>
    public int Horizon => _mean.Length;

    public SamplePathSettings Settings { get; }

    public double? ErrorStandardDeviation { get; }

    /// <summary>The key of the draws of one SKU at one origin under a run's seed.</summary>
    public static ulong StreamKey(ulong seed, string sku, int origin) =>
        CounterRandom.Key(seed, CounterRandom.Hash(sku), (ulong)(uint)origin);

    public double Mean(int offset, int days)
    {
        OutlookDays.Check(offset, days, Horizon);
        return OutlookDays.Sum(_mean, offset, days);
    }

    public double Quantile(double level, int offset, int days)
    {
        if (!(level >= 0 && level <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "A quantile level must lie in [0, 1].");
        }

        return EmpiricalQuantile.OfSorted(SortedSums(offset, days), level);
    }

    /// <summary>The path sums over the run of days, ascending (a copy).</summary>
    public double[] Sample(int offset, int days) => SortedSums(offset, days).ToArray();

    private double[] SortedSums(int offset, int days)
    {
        OutlookDays.Check(offset, days, Horizon);
        lock (_gate)
        {
            if (_sorted.TryGetValue((offset, days), out var cached))
            {
                return cached;
            }

            Extend(offset + days);
            var from = _cumulative[offset];
            var to = _cumulative[offset + days];
            var sums = new double[_paths];
            for (var p = 0; p < _paths; p++)
            {
                sums[p] = to[p] - from[p];
            }

            Array.Sort(sums);
            _sorted[(offset, days)] = sums;
            return sums;
        }
    }

    private void Extend(int days)
    {
        var order = new int[_paths];
        while (_cumulative.Count <= days)
        {
            var h = _cumulative.Count - 1;
            CounterRandom.FillPermutation(CounterRandom.Key(_key, (ulong)h), order);
            var previous = _cumulative[h];
            var next = new double[_paths];
            var curve = _days[h];
            for (var p = 0; p < _paths; p++)
            {
                next[p] = previous[p] + curve.AtScore(_commonDraws[p] + (_own * _strata[order[p]]));
            }

            _cumulative.Add(next);
        }
    }
}
