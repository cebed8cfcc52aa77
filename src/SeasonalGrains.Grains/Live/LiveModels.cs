using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SeasonalGrains.Forecasting.Inference;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Grains.Live;

/// <summary>A loaded LSTM version that live SKUs forecast with: the model, the batcher its forecasts share, and the version forecasts name.</summary>
public sealed class LiveModel : IDisposable
{
    internal LiveModel(string version, string folder, LstmModel model)
    {
        Version = version;
        Folder = folder;
        Model = model;

        // grains resume on their own scheduler, so a completed request may continue on the batcher's thread
        Batcher = new ForecastBatcher(model, new ForecastBatcherOptions { InlineContinuations = true });
    }

    /// <summary>The name forecasts carry as <c>modelVersion</c>: the folder's name and fingerprint unless the caller names it.</summary>
    public string Version { get; }

    public string Folder { get; }

    public LstmModel Model { get; }

    /// <summary>Collects the windows of many SKUs' forecasts into one tensor call.</summary>
    public ForecastBatcher Batcher { get; }

    public void Dispose()
    {
        Batcher.Dispose();
        Model.Dispose();
    }
}

/// <summary>
/// The model version a silo's live SKUs forecast with (one per silo, a DI singleton). The host loads it at start from
/// <see cref="LiveSkuOptions.Model"/>; <see cref="Activate"/> switches to another.
/// A replaced model is disposed after <see cref="RetireDelay"/>, so forecasts already queued on it finish.
/// </summary>
public sealed class LiveModels : IDisposable
{
    /// <summary>How long a replaced model stays loaded for the forecasts already queued on it.</summary>
    public static readonly TimeSpan RetireDelay = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<LiveModel> _retired = [];
    private LiveModel? _active;
    private LiveModel? _challenger;
    private bool _disposed;

    /// <summary>The version live SKUs forecast with now; null before one is loaded.</summary>
    public LiveModel? Active => Volatile.Read(ref _active);

    /// <summary>The registry's challenger, which live SKUs shadow-forecast with at each close (scored, never acted on); null when there is none.</summary>
    public LiveModel? Challenger => Volatile.Read(ref _challenger);

    /// <summary>Makes <paramref name="loaded"/> (made by <see cref="Load"/>; this service owns it from now) the challenger, or clears it with null.</summary>
    public void SetChallenger(LiveModel? loaded) => Swap(ref _challenger, loaded);

    /// <summary>
    /// Loads the model folder and makes it the active version (named <paramref name="version"/>, or the folder's name and
    /// fingerprint). A folder that does not load throws <see cref="LiveModelException"/> saying why and how a model is made.
    /// </summary>
    public LiveModel Activate(string folder, string? version = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return Activate(Load(folder, version));
    }

    /// <summary>Makes a model made by <see cref="Load"/> the active version; this service owns (and disposes) it from now.</summary>
    public LiveModel Activate(LiveModel loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        Swap(ref _active, loaded);
        return loaded;
    }

    /// <summary>Puts <paramref name="loaded"/> in <paramref name="slot"/>; the model it held is retired after <see cref="RetireDelay"/> (calls in flight finish on it).</summary>
    private void Swap(ref LiveModel? slot, LiveModel? loaded)
    {
        LiveModel? previous;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            previous = slot;
            Volatile.Write(ref slot, loaded);
            if (previous is not null)
            {
                _retired.Add(previous);
            }
        }

        if (previous is not null)
        {
            _ = Task.Delay(RetireDelay).ContinueWith(_ => Retire(previous), TaskScheduler.Default);
        }
    }

    /// <summary>The model of <paramref name="folder"/>, not activated (the caller disposes it); throws <see cref="LiveModelException"/> when it does not load.</summary>
    public static LiveModel Load(string folder, string? version = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var path = Path.GetFullPath(folder);
        try
        {
            var model = LstmModel.Load(path);
            return new LiveModel(version ?? $"{Path.GetFileName(path.TrimEnd(Path.DirectorySeparatorChar))}@{Fingerprint(path)}", path, model);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException
            or TypeInitializationException or NotSupportedException or InvalidOperationException or DllNotFoundException or ExternalException)
        {
            throw new LiveModelException(
                $"the model folder '{folder}' does not load: {Innermost(e).Message.TrimEnd('.')}. Make one with `seasonal train --dataset DIR --out DIR`.", e);
        }
    }

    /// <summary>The first 12 hex digits of the SHA-256 of the folder's model.json followed by its weights.bin.</summary>
    public static string Fingerprint(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return Fingerprint(File.ReadAllBytes(Path.Combine(folder, LstmModel.MetadataFile)), File.ReadAllBytes(Path.Combine(folder, LstmModel.WeightsFile)));
    }

    /// <summary>The fingerprint of a model whose model.json and weights.bin hold these bytes (see <see cref="Fingerprint(string)"/>).</summary>
    public static string Fingerprint(ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> weights)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(metadata);
        hash.AppendData(weights);
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }

    public void Dispose()
    {
        List<LiveModel> all;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            all = [.. _retired];
            if (_active is { } active)
            {
                all.Add(active);
            }

            if (_challenger is { } challenger)
            {
                all.Add(challenger);
            }

            _retired.Clear();
            _active = null;
            _challenger = null;
        }

        foreach (var model in all)
        {
            model.Dispose();
        }
    }

    private void Retire(LiveModel model)
    {
        lock (_gate)
        {
            if (!_retired.Remove(model))
            {
                return; // disposed with the service
            }
        }

        model.Dispose();
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }
}

/// <summary>A model folder that does not load; the message says why and names the command that makes one.</summary>
public sealed class LiveModelException(string message, Exception? inner = null) : Exception(message, inner);
