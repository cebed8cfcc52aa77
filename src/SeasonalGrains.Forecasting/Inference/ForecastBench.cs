using System.Diagnostics;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Inference;

/// <summary>Throughput at one batch size.</summary>
/// <param name="BatchSize">Windows per direct <see cref="LstmModel.Predict"/> call, and requests kept in flight through the batcher.</param>
/// <param name="DirectForecastsPerSecond">Windows per second through <see cref="LstmModel.Predict"/> called with BatchSize windows by one thread.</param>
/// <param name="BatcherForecastsPerSecond">Requests per second through a <see cref="ForecastBatcher"/> with BatchSize callers each awaiting one request at a time.</param>
/// <param name="BatcherMeanBatch">Mean windows per tensor call the batcher made.</param>
public sealed record ForecastBenchResult(
    int BatchSize,
    double DirectForecastsPerSecond,
    double BatcherForecastsPerSecond,
    double BatcherMeanBatch);

/// <summary>Forecast throughput of a model (the CLI's <c>seasonal bench forecast</c>).</summary>
public static class ForecastBench
{
    public static IReadOnlyList<int> DefaultBatchSizes { get; } = [1, 64, 256, 1024];

    /// <summary>
    /// Measures each batch size for about <paramref name="durationPerSize"/> (default 2 s) per mode on
    /// random windows of the model's shape (values in [-1, 1), random vocabulary indices).
    /// </summary>
    public static IReadOnlyList<ForecastBenchResult> Run(
        LstmModel model,
        IReadOnlyList<int>? batchSizes = null,
        TimeSpan? durationPerSize = null,
        ForecastBatcherOptions? batcherOptions = null,
        int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        batchSizes ??= DefaultBatchSizes;
        var duration = durationPerSize ?? TimeSpan.FromSeconds(2);
        var results = new List<ForecastBenchResult>();
        foreach (var size in batchSizes)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
            var windows = RandomWindows(model, size, seed);
            var precision = batcherOptions?.Precision ?? InferencePrecision.Float32;
            model.Predict(windows, precision); // warm-up
            var direct = Measure(duration, () =>
            {
                model.Predict(windows, precision);
                return size;
            });

            using var batcher = new ForecastBatcher(model, batcherOptions);
            var (viaBatcher, meanBatch) = MeasureBatcher(batcher, windows, duration);
            results.Add(new ForecastBenchResult(size, direct, viaBatcher, meanBatch));
        }

        return results;
    }

    /// <summary>
    /// An untrained model of the usual shape (2 x 50 LSTM, the standard features, no calendar events), for
    /// measuring throughput without a dataset: its cost per forecast equals a trained model's.
    /// </summary>
    public static LstmModel UntrainedModel(int window = 28, int horizon = 28, LstmOptions? options = null)
    {
        options = (options ?? new LstmOptions()) with { Window = window, Horizon = horizon };
        options.Validate();
        string[] vocabulary = [FeatureSchema.Unknown, "a"];
        var schema = new FeatureSchema
        {
            Window = window,
            Horizon = horizon,
            FitEndDay = 1,
            PastOnlyFeatures = FeatureSchema.PastOnlyFeatureNames,
            KnownFeatures = FeatureSchema.KnownFeatureNames(FeatureSchema.StandardHolidayGroups, []),
            HolidayGroups = FeatureSchema.StandardHolidayGroups,
            EventColumns = [],
            Categories = vocabulary,
            Regions = vocabulary,
            Skus = new Dictionary<string, SkuScaler>(),
            Weather = new Dictionary<string, WeatherScaler>(),
            PooledWeather = WeatherScaler.Identity,
        };
        return LstmModel.Untrained(schema, options);
    }

    private static double Measure(TimeSpan duration, Func<int> work)
    {
        var clock = Stopwatch.StartNew();
        long done = 0;
        do
        {
            done += work();
        }
        while (clock.Elapsed < duration);

        return done / clock.Elapsed.TotalSeconds;
    }

    private static (double PerSecond, double MeanBatch) MeasureBatcher(ForecastBatcher batcher, ForecastWindow[] windows, TimeSpan duration)
    {
        // Warm-up, then every caller keeps one request in flight until the time is up (at least one each).
        Task.WaitAll([.. windows.Select(w => batcher.SubmitAsync(w))]);
        var batchesBefore = batcher.Batches;
        var forecastsBefore = batcher.Forecasts;
        var clock = Stopwatch.StartNew();
        async Task Caller(ForecastWindow window)
        {
            do
            {
                await batcher.SubmitAsync(window).ConfigureAwait(false);
            }
            while (clock.Elapsed < duration);
        }

        Task.WaitAll([.. windows.Select(w => Task.Run(() => Caller(w)))]);
        var seconds = clock.Elapsed.TotalSeconds;
        var forecasts = batcher.Forecasts - forecastsBefore;
        var batches = batcher.Batches - batchesBefore;
        return (forecasts / seconds, batches > 0 ? forecasts / (double)batches : 0);
    }

    private static ForecastWindow[] RandomWindows(LstmModel model, int count, int seed)
    {
        var random = new Random(seed);
        var schema = model.Schema;
        var windows = new ForecastWindow[count];
        for (var i = 0; i < count; i++)
        {
            var past = new float[schema.PastLength];
            var future = new float[schema.FutureLength];
            for (var j = 0; j < past.Length; j++)
            {
                past[j] = (float)((random.NextDouble() * 2) - 1);
            }

            for (var j = 0; j < future.Length; j++)
            {
                future[j] = (float)((random.NextDouble() * 2) - 1);
            }

            windows[i] = new ForecastWindow(past, future, random.Next(schema.Categories.Count), random.Next(schema.Regions.Count), 10f);
        }

        return windows;
    }
}
