using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Domain.Statistics;
using SeasonalGrains.Forecasting.Backtest;

namespace SeasonalGrains.Forecasting.Outlook;

/// <summary>
/// Hands out the outlook of a SKU at a review day (the forecast origin): a <see cref="SamplePathOutlook"/>, or an
/// <see cref="IntervalQuantileOutlook"/> for a forecast with interval quantiles (the LSTM's interval head):
/// the first request at an origin forecasts every SKU of the run in one forecaster call, and the
/// outlooks built from it are cached, so all policies of a SKU-day share one outlook and one set of
/// sample paths. Safe to call from many threads, for origins in any order; the results do not
/// depend on the order of calls.
/// </summary>
/// <remarks>
/// <para>
/// Error record: at origin t with review period R, the forecasts made at the earlier reviews
/// s = t - R, t - 2R, ... (s &gt;= t - <see cref="OutlookOptions.ErrorWindowDays"/>, s &gt;= 1) are compared
/// with the units of the days each one was the newest forecast for (days s..s+R-1 before t);
/// the sample sd of those errors is the outlook's <see cref="IForecastErrorOutlook.ErrorStandardDeviation"/>.
/// Only units before t are read. Earlier origins not yet forecast are forecast for it. With fewer
/// than <see cref="OutlookOptions.MinErrors"/> errors the forecast's own day-0 spread
/// (<see cref="QuantileCurve.ImpliedStandardDeviation"/>) stands in.
/// </para>
/// <para>
/// Near the dataset's end the forecaster is asked only for the days the dataset has; the outlook
/// repeats the last forecast day to fill the horizon (those days lie after the replay).
/// </para>
/// </remarks>
public sealed class ForecastOutlookProvider
{
    private readonly IForecaster _forecaster;
    private readonly Dataset _dataset;
    private readonly OutlookOptions _options;
    private readonly int[] _targets;
    private readonly int[] _position;
    private readonly ConcurrentDictionary<int, Lazy<OriginForecasts>> _origins = new();
    private readonly ConcurrentDictionary<int, double[][]> _means = new();
    private readonly ConditionalWeakTable<IReadOnlyList<double>, double[]> _scores = [];
    private int _forecastCalls;
    private long _clock;

    public ForecastOutlookProvider(IForecaster forecaster, Dataset dataset, OutlookOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(dataset);
        _options = options ?? new OutlookOptions();
        _options.Validate();
        _forecaster = forecaster;
        _dataset = dataset;
        _targets = (_options.SkuIndices ?? Enumerable.Range(0, dataset.Skus.Count).ToArray()).ToArray();
        if (_targets.Length == 0)
        {
            throw new ArgumentException("An outlook provider needs at least one SKU.", nameof(options));
        }

        _position = Enumerable.Repeat(-1, dataset.Skus.Count).ToArray();
        for (var i = 0; i < _targets.Length; i++)
        {
            var sku = _targets[i];
            if (sku < 0 || sku >= dataset.Skus.Count)
            {
                throw new ArgumentException($"SKU index {sku} is outside 0..{dataset.Skus.Count - 1}.", nameof(options));
            }

            if (_position[sku] >= 0)
            {
                throw new ArgumentException($"SKU index {sku} is listed twice.", nameof(options));
            }

            _position[sku] = i;
        }

        Horizon = _options.Horizon ?? (_targets.Max(s => dataset.Skus[s].LeadTimeDays) + _options.ReviewPeriodDays);
    }

    /// <summary>The provider for the true distribution: the oracle forecaster, with independent days.</summary>
    public static ForecastOutlookProvider ForTruth(IDemandTruth truth, Dataset dataset, OutlookOptions? options = null)
    {
        var o = options ?? new OutlookOptions();
        return new ForecastOutlookProvider(new OracleForecaster(truth), dataset, o with { Sampling = o.Sampling with { Correlation = 0 } });
    }

    public IForecaster Forecaster => _forecaster;

    public Dataset Dataset => _dataset;

    public OutlookOptions Options => _options;

    /// <summary>Days each outlook covers from its origin.</summary>
    public int Horizon { get; }

    /// <summary>Forecaster calls made so far (one per origin, unless an origin was dropped and asked again).</summary>
    public int ForecastCalls => Volatile.Read(ref _forecastCalls);

    /// <summary>The outlook of <paramref name="skuIndex"/> at review day <paramref name="origin"/> (dataset day index, 1..Days-1).</summary>
    public IForecastErrorOutlook GetOutlook(int skuIndex, int origin)
    {
        var position = PositionOf(skuIndex);
        var entry = Prepare(origin);
        return entry.Outlook(position, () => Build(entry, position, skuIndex, origin));
    }

    /// <summary>The forecasts of every SKU of the run at <paramref name="origin"/> (one forecaster call, cached).</summary>
    public IReadOnlyList<SkuForecast> Forecasts(int origin) => Prepare(origin).Forecasts;

    /// <summary>The measured error sd of <paramref name="skuIndex"/> at <paramref name="origin"/>, or null with too few errors (see the remarks).</summary>
    public double? MeasuredErrorStandardDeviation(int skuIndex, int origin)
    {
        var position = PositionOf(skuIndex);
        CheckOrigin(origin);
        if (_options.ErrorWindowDays == 0)
        {
            return null;
        }

        var units = _dataset.Series[skuIndex].Units;
        var r = _options.ReviewPeriodDays;
        var errors = new List<double>();
        for (var s = origin - r; s >= Math.Max(1, origin - _options.ErrorWindowDays); s -= r)
        {
            var mean = MeansAt(s)[position];
            var last = Math.Min(Math.Min(s + r, origin), s + mean.Length);
            for (var d = s; d < last; d++)
            {
                if (double.IsFinite(units[d]))
                {
                    errors.Add(units[d] - mean[d - s]);
                }
            }
        }

        return ForecastOutlooks.MeasuredErrorStandardDeviation(errors, _options);
    }

    private int PositionOf(int skuIndex)
    {
        if (skuIndex < 0 || skuIndex >= _position.Length || _position[skuIndex] < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(skuIndex), skuIndex, "This SKU is not one of the provider's SKUs.");
        }

        return _position[skuIndex];
    }

    private void CheckOrigin(int origin)
    {
        if (origin < 1 || origin >= _dataset.Days)
        {
            throw new ArgumentOutOfRangeException(
                nameof(origin), origin, $"A review origin must lie in 1..{_dataset.Days - 1} (a day with history before it and demand on it).");
        }
    }

    private double[][] MeansAt(int origin) =>
        _means.TryGetValue(origin, out var means) ? means : Prepare(origin).Means;

    private OriginForecasts Prepare(int origin)
    {
        CheckOrigin(origin);
        var lazy = _origins.GetOrAdd(origin, o => new Lazy<OriginForecasts>(() => ForecastAt(o), LazyThreadSafetyMode.ExecutionAndPublication));
        var entry = lazy.Value;
        var previous = entry.LastUsed;
        entry.LastUsed = Interlocked.Increment(ref _clock);
        if (previous == 0 && _origins.Count > _options.RetainOutlookOrigins)
        {
            Trim(origin); // once per newly used origin
        }

        return entry;
    }

    private void Trim(int keep)
    {
        // Drop the least recently used origins beyond the retained number (their means stay for the
        // error record), and the outlooks of all but the most recent few: outlooks are rebuilt
        // identically when asked again, and holding thousands of them only burdens the garbage collector.
        var byUse = _origins
            .Where(pair => pair.Key != keep && pair.Value.IsValueCreated)
            .OrderByDescending(pair => pair.Value.Value.LastUsed)
            .ToList();
        for (var i = 0; i < byUse.Count; i++)
        {
            if (i + 1 >= _options.RetainOrigins)
            {
                _origins.TryRemove(byUse[i].Key, out _);
            }
            else if (i + 1 >= _options.RetainOutlookOrigins)
            {
                byUse[i].Value.Value.DropOutlooks();
            }
        }
    }

    private OriginForecasts ForecastAt(int origin)
    {
        var horizon = Math.Max(1, Math.Min(Horizon, _dataset.Days - origin));
        var request = new ForecastRequest(_dataset, origin, horizon, _options.Levels, _targets);
        Interlocked.Increment(ref _forecastCalls);
        var forecasts = _forecaster.Forecast(request);
        var ordered = new SkuForecast[_targets.Length];
        foreach (var f in forecasts)
        {
            var position = f.SkuIndex >= 0 && f.SkuIndex < _position.Length ? _position[f.SkuIndex] : -1;
            if (position < 0 || ordered[position] is not null)
            {
                throw new InvalidOperationException($"{_forecaster.Name}: returned SKU index {f.SkuIndex} at origin {origin}, which was not asked for or came twice.");
            }

            if (f.Mean.Length != horizon || f.Quantiles.Length != horizon)
            {
                throw new InvalidOperationException($"{_forecaster.Name}: the forecast of SKU {f.SkuIndex} at origin {origin} has {f.Mean.Length} days, expected {horizon}.");
            }

            ordered[position] = Pad(f, Horizon);
        }

        for (var i = 0; i < ordered.Length; i++)
        {
            if (ordered[i] is null)
            {
                throw new InvalidOperationException($"{_forecaster.Name}: gave no forecast for SKU {_targets[i]} at origin {origin}.");
            }
        }

        var means = ordered.Select(f => f.Mean).ToArray();
        _means.TryAdd(origin, means);
        return new OriginForecasts(ordered, means);
    }

    private static SkuForecast Pad(SkuForecast f, int horizon)
    {
        if (f.Mean.Length >= horizon)
        {
            return f;
        }

        var mean = new double[horizon];
        var quantiles = new double[horizon][];
        for (var h = 0; h < horizon; h++)
        {
            var from = Math.Min(h, f.Mean.Length - 1);
            mean[h] = f.Mean[from];
            quantiles[h] = f.Quantiles[from];
        }

        // padded days lie after the replay; the padded forecast answers interval sums by sample paths
        return f with { Mean = mean, Quantiles = quantiles, IntervalQuantiles = null };
    }

    private IForecastErrorOutlook Build(OriginForecasts entry, int position, int skuIndex, int origin)
    {
        var forecast = entry.Forecasts[position];
        var key = SamplePathOutlook.StreamKey(_options.Seed, _dataset.Skus[skuIndex].Sku, origin);
        return ForecastOutlooks.Build(
            forecast, _scores.GetValue(forecast.Levels, QuantileCurve.NormalScores), _options, key, MeasuredErrorStandardDeviation(skuIndex, origin));
    }

    private sealed class OriginForecasts(SkuForecast[] forecasts, double[][] means)
    {
        private IForecastErrorOutlook?[] _outlooks = new IForecastErrorOutlook?[forecasts.Length];

        public SkuForecast[] Forecasts { get; } = forecasts;

        public double[][] Means { get; } = means;

        /// <summary>A tick of the provider's clock at the last use, for least-recently-used trimming.</summary>
        public long LastUsed { get; set; }

        public IForecastErrorOutlook Outlook(int position, Func<IForecastErrorOutlook> build)
        {
            var outlooks = Volatile.Read(ref _outlooks);
            var existing = Volatile.Read(ref outlooks[position]);
            if (existing is not null)
            {
                return existing;
            }

            var built = build();
            return Interlocked.CompareExchange(ref outlooks[position], built, null) ?? built;
        }

        public void DropOutlooks() => Volatile.Write(ref _outlooks, new IForecastErrorOutlook?[_outlooks.Length]);
    }
}
