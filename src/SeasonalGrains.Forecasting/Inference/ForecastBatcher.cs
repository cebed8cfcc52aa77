using System.Collections.Concurrent;
using System.Diagnostics;
using SeasonalGrains.Domain.Policies;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;
using TorchSharp;

namespace SeasonalGrains.Forecasting.Inference;

/// <summary>Flush rules, workers and precision of a <see cref="ForecastBatcher"/>.</summary>
public sealed record ForecastBatcherOptions
{
    /// <summary>
    /// The fastest setting measured on 2 cores: two workers in bfloat16 with continuations inline, about 58,000 to
    /// 60,600 forecasts/s of 28-day windows with the 2 x 50 model and 1,024 to 2,048 requests in flight (float32
    /// with one worker: about 28,000/s). Pair it with <c>TorchRuntime.SetThreads(1)</c> so each worker computes on
    /// one core.
    /// </summary>
    public static ForecastBatcherOptions Throughput { get; } = new() { Workers = 2, Precision = InferencePrecision.BFloat16, InlineContinuations = true };

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
/// Collects single requests from many callers into batches run by one function. A worker thread takes the first
/// waiting request, then keeps collecting until <c>maxBatch</c> requests wait or <c>maxDelay</c> has passed, and
/// runs the batch (no_grad opened on the worker's own thread); each request completes with its result, or all
/// of a batch with the batch's error. Plain .NET: no Orleans types, so a grain or any other host can wrap it.
/// </summary>
public sealed class RequestBatcher<TRequest, TResult> : IDisposable, IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TRequest>, IReadOnlyList<TResult>> _run;
    private readonly int _maxBatch;
    private readonly long _maxDelayTicks;
    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly ManualResetEventSlim _signal = new(false);
    private readonly Lock _collecting = new();
    private readonly Thread[] _threads;
    private readonly TaskCreationOptions _completionOptions;
    private volatile bool _stopping;
    private int _waiting;
    private long _batches;
    private long _completed;

    /// <param name="run">Runs one batch and returns one result per request, in order.</param>
    /// <param name="maxBatch">A batch is run as soon as this many requests wait.</param>
    /// <param name="maxDelay">A batch is run at the latest this long after a free worker found its first request.</param>
    /// <param name="workers">Threads running batches; one collects the next batch while the others compute.</param>
    /// <param name="name">Thread name prefix.</param>
    /// <param name="inlineContinuations">
    /// Whether a caller's continuation may run on the worker thread when the result is set. Callers that resume on a
    /// scheduler of their own (grains) lose one thread-pool hop; others would hold up the worker, so the default is false.
    /// </param>
    public RequestBatcher(
        Func<IReadOnlyList<TRequest>, IReadOnlyList<TResult>> run, int maxBatch, TimeSpan maxDelay, int workers, string name, bool inlineContinuations = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _run = run;
        _completionOptions = inlineContinuations ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously;
        _maxBatch = maxBatch;
        _maxDelayTicks = (long)(maxDelay.TotalSeconds * Stopwatch.Frequency);
        _threads = [.. Enumerable.Range(0, workers).Select(i => new Thread(Loop) { IsBackground = true, Name = $"{name}-{i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Batches run so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Requests completed so far.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Queues <paramref name="request"/> and returns its result.</summary>
    public Task<TResult> SubmitAsync(TRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var completion = new TaskCompletionSource<TResult>(_completionOptions);
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
            completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }

        _queue.Enqueue(new Pending(request, completion));

        // wake a worker for the first request and for a full batch only: a wake-up per request costs more than the work
        var waiting = Interlocked.Increment(ref _waiting);
        if (waiting == 1 || waiting == _maxBatch)
        {
            _signal.Set();
        }

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
        var requests = new List<TRequest>(_maxBatch);
        while (true)
        {
            // One worker collects at a time; the others compute the batches already taken.
            lock (_collecting)
            {
                if (!Collect(batch, requests))
                {
                    _signal.Set(); // wake the next worker so it sees the stop too
                    return;
                }
            }

            if (batch.Count > 0)
            {
                Run(batch, requests);
            }

            batch.Clear();
            requests.Clear();
        }
    }

    /// <summary>Waits for a first request, then for a full batch or the deadline. False when stopping with nothing queued.</summary>
    private bool Collect(List<Pending> batch, List<TRequest> requests)
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
        while (Volatile.Read(ref _waiting) < _maxBatch && !_stopping)
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
            var left = Interlocked.Decrement(ref _waiting);
            if (left == 0 || left == _maxBatch - 1)
            {
                _signal.Reset(); // a Set for requests now taken must not wake the next collection early
            }

            if (!pending.Completion.Task.IsCompleted)
            {
                batch.Add(pending);
                requests.Add(pending.Request);
            }
        }

        return true;
    }

    private void Run(List<Pending> batch, List<TRequest> requests)
    {
        try
        {
            var results = _run(requests);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _completed, batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
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
            pending.Completion.TrySetException(new ObjectDisposedException(GetType().Name));
        }
    }

    private readonly record struct Pending(TRequest Request, TaskCompletionSource<TResult> Completion);
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

/// <summary>
/// Collects stateful forecast requests (a SKU's <see cref="LstmTrack"/> and an origin) from many callers, such as
/// the SKU grains of a replay, into one <see cref="LstmTracker.Forecast"/> call; each completes with the track's
/// outlook at that origin. One caller per track at a time. Results are set with continuations allowed inline: a
/// grain resumes on its own scheduler anyway; other callers should not do long work right after the await.
/// </summary>
public sealed class LstmTrackBatcher : IDisposable, IAsyncDisposable
{
    private readonly RequestBatcher<(LstmTrack Track, IReadOnlyList<int> Origins), IReadOnlyList<IForecastErrorOutlook>> _batcher;

    public LstmTrackBatcher(LstmTracker tracker, int maxBatch = LstmTracker.DefaultBatchSkus, TimeSpan? maxDelay = null, int workers = 1)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        Tracker = tracker;
        _batcher = new RequestBatcher<(LstmTrack Track, IReadOnlyList<int> Origins), IReadOnlyList<IForecastErrorOutlook>>(
            Run, maxBatch, maxDelay ?? TimeSpan.FromMilliseconds(1), workers, "lstm-track-batcher", inlineContinuations: true);
    }

    public LstmTracker Tracker { get; }

    /// <summary>Tracker calls made so far.</summary>
    public long Batches => _batcher.Batches;

    /// <summary>Requests answered so far (one per track and call, however many origins it asked for).</summary>
    public long Requests => _batcher.Completed;

    public async Task<IForecastErrorOutlook> ForecastAsync(LstmTrack track, int origin, CancellationToken cancellationToken = default) =>
        (await ForecastAsync(track, [origin], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The track's outlooks at each of <paramref name="origins"/> (ascending), in one request.</summary>
    public Task<IReadOnlyList<IForecastErrorOutlook>> ForecastAsync(LstmTrack track, IReadOnlyList<int> origins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(origins);
        return _batcher.SubmitAsync((track, origins), cancellationToken);
    }

    public void Dispose() => _batcher.Dispose();

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    private IReadOnlyList<IReadOnlyList<IForecastErrorOutlook>> Run(IReadOnlyList<(LstmTrack Track, IReadOnlyList<int> Origins)> requests)
    {
        var tracks = new LstmTrack[requests.Count];
        var origins = new IReadOnlyList<int>[requests.Count];
        for (var i = 0; i < tracks.Length; i++)
        {
            (tracks[i], origins[i]) = requests[i];
        }

        Tracker.Forecast(tracks, origins);
        return [.. tracks.Select(t => (IReadOnlyList<IForecastErrorOutlook>)[.. t.Outlooks])];
    }
}
