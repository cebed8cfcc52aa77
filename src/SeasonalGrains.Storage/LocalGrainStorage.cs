using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace SeasonalGrains.Storage;

/// <summary>
/// Grain storage in this process's memory, for a single local silo: a dictionary of deep copies with
/// ETag checks, and no grain call or serialization per read or write (immutable state records are
/// not copied at all). State is lost when the silo stops.
/// </summary>
public sealed class LocalGrainStorage(DeepCopier copier) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _entries = new();
    private readonly Lock _writes = new();
    private long _version;

    /// <summary>Records held (for diagnostics and tests).</summary>
    public int Count => _entries.Count;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = copier.Copy((T)entry.State);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            SetEmpty(grainState);
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = (stateName, grainId);
        var copy = copier.Copy(grainState.State) ?? throw new ArgumentException("Grain state must not be null.", nameof(grainState));
        lock (_writes)
        {
            CheckETag(key, grainState.ETag, grainId);
            var etag = (++_version).ToString(CultureInfo.InvariantCulture);
            _entries[key] = new Entry(copy, etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = (stateName, grainId);
        lock (_writes)
        {
            CheckETag(key, grainState.ETag, grainId);
            _entries.TryRemove(key, out _);
        }

        SetEmpty(grainState);
        return Task.CompletedTask;
    }

    /// <summary>The state of a grain with no record: a new instance and no ETag.</summary>
    private static void SetEmpty<T>(IGrainState<T> grainState)
    {
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private void CheckETag((string State, GrainId Grain) key, string? expected, GrainId grainId)
    {
        var stored = _entries.TryGetValue(key, out var entry) ? entry.ETag : null;
        if (!string.Equals(stored, expected, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"The state '{key.State}' of grain {grainId} was written by another activation (stored ETag {stored ?? "none"}, this one {expected ?? "none"}).",
                stored ?? "",
                expected ?? "");
        }
    }

    private sealed record Entry(object State, string ETag);
}
