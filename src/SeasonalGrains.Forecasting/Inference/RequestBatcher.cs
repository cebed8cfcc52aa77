using System.Collections.Concurrent;
using System.Diagnostics;
using TorchSharp;

namespace SeasonalGrains.Forecasting.Inference;

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
