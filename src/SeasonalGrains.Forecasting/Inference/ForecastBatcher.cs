using System.Collections.Concurrent;
using System.Diagnostics;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;
using TorchSharp;

namespace SeasonalGrains.Forecasting.Inference;

/// <summary>Flush rules, workers and precision of a <see cref="ForecastBatcher"/>.</summary>
public sealed record ForecastBatcherOptions
{
    /// <summary>
    /// The fastest setting measured on 2 cores: two workers in bfloat16, about 61,000 forecasts/s of 28-day
    /// windows with 1,024 requests in flight (float32 with one worker: about 23,000/s). Pair it with
    /// <c>TorchRuntime.SetThreads(1)</c> so each worker computes on one core.
    /// </summary>
    public static ForecastBatcherOptions Throughput { get; } = new() { Workers = 2, Precision = InferencePrecision.BFloat16 };

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
}

/// <summary>
/// Collects single-window forecast requests from many callers into one tensor call. A worker thread
/// takes the first waiting request, then keeps collecting until <see cref="ForecastBatcherOptions.MaxBatchSize"/>
/// requests wait or <see cref="ForecastBatcherOptions.MaxDelay"/> has passed, and runs them through
/// <see cref="LstmModel.Predict"/> (a dispose scope per chunk; no_grad opened on the worker's own thread).
/// Each request completes with the model's output for its window (layout: see <see cref="LstmModel"/>).
/// Plain .NET: no Orleans types, so a grain or any other host can wrap it.
/// </summary>
public sealed class ForecastBatcher : IDisposable, IAsyncDisposable
{
    private readonly LstmModel _model;
    private readonly int _maxBatch;
    private readonly long _maxDelayTicks;
    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly ManualResetEventSlim _signal = new(false);
    private readonly Lock _collecting = new();
    private readonly Thread[] _threads;
    private readonly InferencePrecision _precision;
    private volatile bool _stopping;
    private long _batches;
    private long _forecasts;

    public ForecastBatcher(LstmModel model, ForecastBatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ForecastBatcherOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        _model = model;
        _maxBatch = options.MaxBatchSize;
        _maxDelayTicks = (long)(options.MaxDelay.TotalSeconds * Stopwatch.Frequency);
        _precision = options.Precision;
        _threads = [.. Enumerable.Range(0, options.Workers).Select(i => new Thread(Loop) { IsBackground = true, Name = $"forecast-batcher-{i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public LstmModel Model => _model;

    /// <summary>Tensor calls made so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Requests completed so far.</summary>
    public long Forecasts => Interlocked.Read(ref _forecasts);

    /// <summary>
    /// Queues <paramref name="window"/> (built by <see cref="LstmModel.BuildWindow"/> or <see cref="FeatureBuilder"/>)
    /// and returns its output: per horizon day the quantiles then the mean, in units. Throws
    /// <see cref="ArgumentException"/> at once when the window does not fit the model.
    /// </summary>
    public Task<float[]> SubmitAsync(ForecastWindow window, CancellationToken cancellationToken = default)
    {
        _model.Check(window);
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<float[]>(cancellationToken);
        }

        var completion = new TaskCompletionSource<float[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
            completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }

        _queue.Enqueue(new Pending(window, completion));
        _signal.Set();
        if (_stopping)
        {
            // Lost the race with Dispose: make sure nothing stays pending.
            FailPending();
        }

        return completion.Task;
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _signal.Set();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        FailPending();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Loop()
    {
        using var noGrad = torch.no_grad();
        var batch = new List<Pending>(_maxBatch);
        var windows = new List<ForecastWindow>(_maxBatch);
        while (true)
        {
            // One worker collects at a time; the others compute the batches already taken.
            lock (_collecting)
            {
                if (!Collect(batch, windows))
                {
                    _signal.Set(); // wake the next worker so it sees the stop too
                    return;
                }
            }

            if (batch.Count > 0)
            {
                Run(batch, windows);
            }

            batch.Clear();
            windows.Clear();
        }
    }

    /// <summary>Waits for a first request, then for a full batch or the deadline. False when stopping with nothing queued.</summary>
    private bool Collect(List<Pending> batch, List<ForecastWindow> windows)
    {
        while (_queue.IsEmpty)
        {
            if (_stopping)
            {
                return false;
            }

            _signal.Wait();
            _signal.Reset();
        }

        var deadline = Stopwatch.GetTimestamp() + _maxDelayTicks;
        while (_queue.Count < _maxBatch && !_stopping)
        {
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                break;
            }

            _signal.Wait(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            _signal.Reset();
        }

        while (batch.Count < _maxBatch && _queue.TryDequeue(out var pending))
        {
            if (!pending.Completion.Task.IsCompleted)
            {
                batch.Add(pending);
                windows.Add(pending.Window);
            }
        }

        return true;
    }

    private void Run(List<Pending> batch, List<ForecastWindow> windows)
    {
        try
        {
            var outputs = _model.Predict(windows, _precision);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _forecasts, batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(outputs[i]);
            }
        }
        catch (Exception error)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(error);
            }
        }
    }

    private void FailPending()
    {
        while (_queue.TryDequeue(out var pending))
        {
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(ForecastBatcher)));
        }
    }

    private readonly record struct Pending(ForecastWindow Window, TaskCompletionSource<float[]> Completion);
}
