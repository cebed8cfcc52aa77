using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Forecasting.Inference;

/// <summary>Flush rules, workers and precision of a <see cref="ForecastBatcher"/>.</summary>
public sealed record ForecastBatcherOptions
{
    /// <summary>
    /// The fastest setting on 2 cores: two workers with continuations inline, in bfloat16 where the processor
    /// multiplies it natively (<see cref="InferencePrecisions.Fastest"/>), else float32. Pair it with
    /// <c>TorchRuntime.SetThreads(1)</c> so each worker computes on one core.
    /// </summary>
    public static ForecastBatcherOptions Throughput { get; } = new() { Workers = 2, Precision = InferencePrecisions.Fastest, InlineContinuations = true };

    /// <summary>A batch is run as soon as this many requests wait.</summary>
    public int MaxBatchSize { get; init; } = LstmModel.ChunkSize;

    /// <summary>
    /// A batch is run at the latest this long after a free worker found its first request (later when all
    /// workers are busy computing).
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Threads running batches. One collects the next batch while the others compute. Two workers with
    /// libtorch at one intra-op thread (<see cref="TorchRuntime.SetThreads"/>) use 2 cores better than one
    /// worker with two intra-op threads: small matrix products scale poorly across threads.
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>Number format of the network (see <see cref="LstmModel.Predict"/>).</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Float32;

    /// <summary>
    /// Whether a caller's continuation may run on the worker thread that completes its request. Right for callers
    /// that resume on a scheduler of their own (grains) or do little after the await: it saves a thread-pool hop
    /// per request. Off by default, because a caller that computes after the await would hold up the worker.
    /// </summary>
    public bool InlineContinuations { get; init; }
}

/// <summary>
/// Collects single-window forecast requests from many callers into one tensor call (a
/// <see cref="RequestBatcher{TRequest, TResult}"/> over <see cref="LstmModel.Predict"/>, a dispose scope per chunk).
/// Each request completes with the model's output for its window (layout: see <see cref="LstmModel"/>).
/// </summary>
public sealed class ForecastBatcher : IDisposable, IAsyncDisposable
{
    private readonly RequestBatcher<ForecastWindow, float[]> _batcher;

    public ForecastBatcher(LstmModel model, ForecastBatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ForecastBatcherOptions();
        Model = model;
        var precision = options.Precision;
        _batcher = new RequestBatcher<ForecastWindow, float[]>(
            windows => model.Predict(windows, precision), options.MaxBatchSize, options.MaxDelay, options.Workers, "forecast-batcher", options.InlineContinuations);
    }

    public LstmModel Model { get; }

    /// <summary>Tensor calls made so far.</summary>
    public long Batches => _batcher.Batches;

    /// <summary>Requests completed so far.</summary>
    public long Forecasts => _batcher.Completed;

    /// <summary>
    /// Queues <paramref name="window"/> (built by <see cref="LstmModel.BuildWindow"/> or <see cref="FeatureBuilder"/>)
    /// and returns its output: per horizon day the quantiles then the mean, in units. Throws
    /// <see cref="ArgumentException"/> at once when the window does not fit the model.
    /// </summary>
    public Task<float[]> SubmitAsync(ForecastWindow window, CancellationToken cancellationToken = default)
    {
        Model.Check(window);
        return _batcher.SubmitAsync(window, cancellationToken);
    }

    public void Dispose() => _batcher.Dispose();

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
