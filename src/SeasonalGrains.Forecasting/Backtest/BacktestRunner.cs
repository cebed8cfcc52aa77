using System.Diagnostics;
using SeasonalGrains.Forecasting.Metrics;

namespace SeasonalGrains.Forecasting.Backtest;

/// <summary>
/// Rolling-origin backtest of several forecasters on one cleaned dataset. Every forecaster gets the
/// same requests (same origins, SKUs, horizon and levels), so all are scored on exactly the same
/// SKU-days. The last origin is Days - Horizon, so the last window ends on the dataset's last day;
/// earlier origins step back by <see cref="BacktestOptions.Step"/> days. Out-of-stock days (<see cref="SkuSeries.Censored"/>)
/// are not scored: their sales understate demand. They count in no metric, no reliability share (nor does a sum of
/// days that includes one) and no point; a window's MASE averages its in-stock days. MAE, MASE and wMAPE score each
/// forecast's median (<see cref="ForecastMetrics.AbsoluteErrorLevel"/>, asked for whatever the levels), RMSE and bias its mean.
/// </summary>
public sealed class BacktestRunner
{
    private readonly IReadOnlyList<IForecaster> _forecasters;

    /// <summary>
    /// Takes the forecasters to compare (names must be unique) and, optionally, the true demand
    /// distribution, which adds an <see cref="OracleForecaster"/> row named "oracle" at the end.
    /// </summary>
    public BacktestRunner(IEnumerable<IForecaster> forecasters, IDemandTruth? truth = null)
    {
        ArgumentNullException.ThrowIfNull(forecasters);
        var list = forecasters.ToList();
        if (truth is not null)
        {
            list.Add(new OracleForecaster(truth));
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("A backtest needs at least one forecaster.", nameof(forecasters));
        }

        var duplicates = list
            .GroupBy(f => f.Name, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException(
                $"Forecaster names must be unique; given more than once: {string.Join(", ", duplicates.Select(d => $"'{d}'"))}"
                + (truth is not null && duplicates.Contains("oracle") ? " (the truth adds 'oracle')." : "."),
                nameof(forecasters));
        }

        _forecasters = list;
    }

    /// <summary>Names of the forecasters scored, in row order.</summary>
    public IReadOnlyList<string> ForecasterNames => _forecasters.Select(f => f.Name).ToList();

    /// <summary>
    /// The origins, ascending: Days - Horizon - i * step for i = count-1..0. Throws when the first
    /// origin would leave no day of history.
    /// </summary>
    public static IReadOnlyList<int> OriginsFor(int days, int count, int horizon, int step)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A backtest needs at least one origin.");
        }

        if (horizon < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "The horizon must be at least 1 day.");
        }

        if (step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step between origins must be at least 1 day.");
        }

        var last = days - horizon;
        var first = last - ((count - 1) * step);
        if (first < 1)
        {
            throw new ArgumentException(
                $"A dataset of {days} days is too short for {count} origins {step} days apart with a horizon of {horizon} days: "
                + $"the first origin would be day {first}, leaving no history before it.");
        }

        return Enumerable.Range(0, count).Select(i => first + (i * step)).ToList();
    }

    /// <summary>Runs the backtest; <paramref name="progress"/> is called synchronously after each (forecaster, origin).</summary>
    public BacktestResult Run(
        Dataset dataset,
        BacktestOptions options,
        IProgress<BacktestProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        ForecastRequestChecks.ValidateLevels(options.Levels, "backtest");
        if (options.SeasonalPeriod < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SeasonalPeriod, "The MASE seasonal period must be at least 1.");
        }

        var levels = options.Levels.ToArray();
        ForecastRequestChecks.ValidateLevels(options.ReliabilityLevels, "backtest reliability");
        var requested = levels.Union(options.ReliabilityLevels).Union([ForecastMetrics.AbsoluteErrorLevel]).Order().ToArray();
        var scored = levels.Select(l => Array.IndexOf(requested, l)).ToArray();
        var medianAt = Array.IndexOf(requested, ForecastMetrics.AbsoluteErrorLevel);
        var reliability = new ReliabilityTable(requested, options.Horizon);
        var horizon = options.Horizon;
        var origins = OriginsFor(dataset.Days, options.Origins, horizon, options.Step ?? horizon);
        var targets = Targets(dataset, options.SkuIndices);
        CheckActuals(dataset, targets);

        var scales = origins
            .Select(origin => targets
                .Select(sku => ForecastMetrics.SeasonalNaiveScale(dataset.Series[sku].Units.AsSpan(0, origin), options.SeasonalPeriod))
                .ToArray())
            .ToArray();
        var interval80 = ForecastMetrics.CentralInterval(levels, 0.8);

        var rows = new List<BacktestRow>();
        var points = new List<BacktestPoint>();
        var total = _forecasters.Count * origins.Count;
        var completed = 0;
        var censored = 0;
        foreach (var sku in targets)
        {
            censored += origins.Sum(origin => dataset.Series[sku].CensoredDays(origin, origin + horizon));
        }

        foreach (var forecaster in _forecasters)
        {
            var actual = new List<double>();
            var mean = new List<double>();
            var median = new List<double>();
            var quantiles = new List<double[]>();
            var windowMase = new List<double>();
            var clock = new Stopwatch();
            for (var o = 0; o < origins.Count; o++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var origin = origins[o];
                var request = new ForecastRequest(dataset, origin, horizon, requested, targets);
                clock.Start();
                var forecasts = forecaster.Forecast(request);
                clock.Stop();
                var bySku = Check(forecaster.Name, request, forecasts);
                for (var i = 0; i < targets.Length; i++)
                {
                    var sku = targets[i];
                    var forecast = bySku[sku];
                    var series = dataset.Series[sku];
                    var units = series.Units;
                    var windowError = 0.0;
                    var windowDays = 0;
                    var sum = 0.0;
                    var sumCensored = false;
                    for (var h = 0; h < horizon; h++)
                    {
                        var day = origin + h;
                        sum += units[day];

                        // sales of an out-of-stock day understate its demand: the day scores nothing, nor does a sum over it
                        if (series.IsCensored(day))
                        {
                            sumCensored = true;
                            continue;
                        }

                        var row = scored.Select(k => forecast.Quantiles[h][k]).ToArray();
                        reliability.AddDaily(forecaster.Name, h + 1, units[day], forecast.Quantiles[h]);
                        if (forecast.IntervalQuantiles is { } sums && !sumCensored)
                        {
                            reliability.AddInterval(forecaster.Name, h + 1, sum, sums[h]);
                        }

                        windowDays++;

                        actual.Add(units[day]);
                        var point = forecast.Quantiles[h][medianAt];
                        mean.Add(forecast.Mean[h]);
                        median.Add(point);
                        quantiles.Add(row);
                        windowError += Math.Abs(point - units[day]);
                        points.Add(new BacktestPoint(
                            forecaster.Name,
                            sku,
                            dataset.Skus[sku].Sku,
                            origin,
                            dataset.DateOf(origin),
                            h + 1,
                            day,
                            dataset.DateOf(day),
                            units[day],
                            forecast.Mean[h],
                            row));
                    }

                    var scale = scales[o][i];
                    if (double.IsFinite(scale) && scale > 0 && windowDays > 0)
                    {
                        windowMase.Add(windowError / windowDays / scale);
                    }
                }

                completed++;
                progress?.Report(new BacktestProgress(completed, total, forecaster.Name, origin, dataset.DateOf(origin)));
            }

            rows.Add(Score(forecaster.Name, actual, mean, median, quantiles, levels, interval80, windowMase, clock.Elapsed));
        }

        return new BacktestResult(dataset, origins, horizon, levels, targets, rows, points)
        {
            CensoredExcluded = censored,
            Reliability = reliability.Rows(),
            ReliabilityLevels = requested,
        };
    }

    private static BacktestRow Score(
        string name,
        List<double> actualList,
        List<double> meanList,
        List<double> medianList,
        List<double[]> quantiles,
        double[] levels,
        (int Lower, int Upper)? interval80,
        List<double> windowMase,
        TimeSpan elapsed)
    {
        var actual = actualList.ToArray();
        var mean = meanList.ToArray();
        var median = medianList.ToArray();
        var coverage = double.NaN;
        if (interval80 is var (lower, upper))
        {
            coverage = ForecastMetrics.Coverage(
                actual,
                quantiles.Select(q => q[lower]).ToArray(),
                quantiles.Select(q => q[upper]).ToArray());
        }

        return new BacktestRow(
            name,
            actual.Length,
            ForecastMetrics.Mae(actual, median),
            ForecastMetrics.Rmse(actual, mean),
            windowMase.Count == 0 ? double.NaN : windowMase.Average(),
            ForecastMetrics.WMape(actual, median),
            ForecastMetrics.Bias(actual, mean),
            ForecastMetrics.RelativeBias(actual, mean),
            ForecastMetrics.MeanPinball(actual, quantiles, levels),
            coverage,
            elapsed);
    }

    private static int[] Targets(Dataset dataset, IReadOnlyList<int>? skuIndices)
    {
        if (dataset.Series.Count != dataset.Skus.Count)
        {
            throw new ArgumentException($"The dataset has {dataset.Skus.Count} SKUs but {dataset.Series.Count} series.", nameof(dataset));
        }

        var targets = (skuIndices ?? Enumerable.Range(0, dataset.Skus.Count).ToList()).ToArray();
        if (targets.Length == 0)
        {
            throw new ArgumentException("A backtest needs at least one SKU.", nameof(skuIndices));
        }

        foreach (var sku in targets)
        {
            if (sku < 0 || sku >= dataset.Skus.Count)
            {
                throw new ArgumentException($"SKU index {sku} is outside 0..{dataset.Skus.Count - 1}.", nameof(skuIndices));
            }
        }

        if (targets.Distinct().Count() != targets.Length)
        {
            throw new ArgumentException("SKU indices must not repeat.", nameof(skuIndices));
        }

        return targets;
    }

    private static void CheckActuals(Dataset dataset, int[] targets)
    {
        foreach (var sku in targets)
        {
            var units = dataset.Series[sku].Units;
            if (units.Length != dataset.Days)
            {
                throw new ArgumentException(
                    $"SKU '{dataset.Skus[sku].Sku}' has {units.Length} days of units; the dataset has {dataset.Days}.", nameof(dataset));
            }

            for (var t = 0; t < units.Length; t++)
            {
                if (!double.IsFinite(units[t]) || units[t] < 0)
                {
                    throw new ArgumentException(
                        $"SKU '{dataset.Skus[sku].Sku}' has units {units[t].ToString(CultureInfo.InvariantCulture)} on {dataset.DateOf(t):yyyy-MM-dd}; "
                        + "backtests need a cleaned dataset (finite, non-negative units).",
                        nameof(dataset));
                }
            }
        }
    }

    /// <summary>Checks a forecaster's answer covers each requested SKU once, with finite, ordered values of the right shape.</summary>
    private static Dictionary<int, SkuForecast> Check(string name, ForecastRequest request, IReadOnlyList<SkuForecast> forecasts)
    {
        var bySku = new Dictionary<int, SkuForecast>();
        foreach (var forecast in forecasts)
        {
            var where = $"{name} at origin {request.Dataset.DateOf(request.Origin):yyyy-MM-dd}, SKU index {forecast.SkuIndex}";
            if (!bySku.TryAdd(forecast.SkuIndex, forecast))
            {
                throw new InvalidOperationException($"{where}: forecast twice.");
            }

            if (forecast.Origin != request.Origin)
            {
                throw new InvalidOperationException($"{where}: the forecast says origin {forecast.Origin}, the request {request.Origin}.");
            }

            if (forecast.Mean.Length != request.Horizon || forecast.Quantiles.Length != request.Horizon)
            {
                throw new InvalidOperationException(
                    $"{where}: {forecast.Mean.Length} means and {forecast.Quantiles.Length} quantile rows for a horizon of {request.Horizon}.");
            }

            for (var h = 0; h < request.Horizon; h++)
            {
                var row = forecast.Quantiles[h];
                if (!double.IsFinite(forecast.Mean[h]) || row.Length != request.Levels.Count)
                {
                    throw new InvalidOperationException($"{where}, h {h + 1}: non-finite mean or {row.Length} quantiles for {request.Levels.Count} levels.");
                }

                for (var k = 0; k < row.Length; k++)
                {
                    if (!double.IsFinite(row[k]) || (k > 0 && row[k] < row[k - 1] - (1e-9 * (1 + Math.Abs(row[k - 1])))))
                    {
                        throw new InvalidOperationException($"{where}, h {h + 1}: quantiles must be finite and ascending in level.");
                    }
                }
            }
        }

        foreach (var sku in request.Targets)
        {
            if (!bySku.ContainsKey(sku))
            {
                throw new InvalidOperationException(
                    $"{name} at origin {request.Dataset.DateOf(request.Origin):yyyy-MM-dd}: no forecast for SKU '{request.Dataset.Skus[sku].Sku}'.");
            }
        }

        if (bySku.Count != request.Targets.Count())
        {
            throw new InvalidOperationException(
                $"{name} at origin {request.Dataset.DateOf(request.Origin):yyyy-MM-dd}: forecasts for SKUs that were not requested.");
        }

        return bySku;
    }
}
