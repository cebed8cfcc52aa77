namespace SeasonalGrains.Abstractions;

/// <summary>
/// Keys of <see cref="ISkuGrain"/>. A replay's SKU grains live under <c>{runId}/{policy}/{sku}</c>,
/// live SKUs under <c>live/{sku}</c>; since a run id may never be <c>live</c>, a replay can never
/// reach a live SKU.
/// </summary>
public static class SkuKeys
{
    public const string LiveScope = "live";

    private const char Separator = '/';

    /// <summary>The key of a live SKU.</summary>
    public static string Live(string sku)
    {
        CheckSku(sku);
        return LiveScope + Separator + sku;
    }

    /// <summary>The key of one SKU under one policy of one replay run.</summary>
    public static string Replay(string runId, string policy, string sku)
    {
        CheckRunId(runId);
        CheckPart(policy, nameof(policy));
        CheckSku(sku);
        return string.Concat(runId, "/", policy, "/", sku);
    }

    /// <summary>True for keys of live SKUs.</summary>
    public static bool IsLive(string key) =>
        key.Length > LiveScope.Length && key.StartsWith(LiveScope, StringComparison.Ordinal) && key[LiveScope.Length] == Separator;

    /// <summary>Throws unless <paramref name="runId"/> can scope a replay: not empty, no '/', not the live scope.</summary>
    public static void CheckRunId(string runId)
    {
        CheckPart(runId, nameof(runId));
        if (string.Equals(runId, LiveScope, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{LiveScope}' is reserved for live SKUs and cannot be a run id.", nameof(runId));
        }
    }

    private static void CheckSku(string sku)
    {
        if (string.IsNullOrWhiteSpace(sku))
        {
            throw new ArgumentException("A SKU id must not be empty.", nameof(sku));
        }
    }

    private static void CheckPart(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The {name} must not be empty.", name);
        }

        if (value.Contains(Separator))
        {
            throw new ArgumentException($"The {name} '{value}' must not contain '{Separator}'.", name);
        }
    }
}
