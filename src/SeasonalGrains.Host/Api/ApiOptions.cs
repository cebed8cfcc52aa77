namespace SeasonalGrains.Host.Api;

/// <summary>Settings of the HTTP API (configuration section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MaxRequestTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The API keys (<c>Api:Keys:0:Name</c>, <c>Api:Keys:0:Key</c>, <c>Api:Keys:0:Role</c>, ...). Every
    /// mutating endpoint needs a key of role <c>write</c> in the <c>X-Api-Key</c> header. Without any key
    /// configured the API is read-only.
    /// </summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

    /// <summary>
    /// False (the default): reads are open, though a key that is sent must be valid. True: reads need a key
    /// of either role.
    /// </summary>
    public bool RequireKeyForReads { get; set; }

    /// <summary>Largest request body accepted (bytes); larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Most events in one <c>POST /sales:batch</c>.</summary>
    public int MaxBatchItems { get; set; } = 1000;

    /// <summary>Replays may only read scenario files inside this folder (default: the host's content root).</summary>
    public string? ScenarioRoot { get; set; }

    /// <summary>
    /// <c>POST /models</c> may only register model folders inside this folder (default: <see cref="ScenarioRoot"/>'s folder,
    /// where scenarios' models are trained).
    /// </summary>
    public string? ModelRoot { get; set; }

    /// <summary>Folder under which each replay writes its results (a sub-folder per replay; default <c>runs</c> under the content root).</summary>
    public string? ReplayOutputRoot { get; set; }

    /// <summary>Replays that may run at once; more are refused with 409.</summary>
    public int MaxConcurrentReplays { get; set; } = 1;

    /// <summary>
    /// Longest wait for an API call's grains: a call not answered by then gets 503 with <c>Retry-After</c> (for
    /// example while a dead silo's grains move to another silo). Default 5 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>Seconds a client is asked to wait (<c>Retry-After</c>) before sending a 503-answered request again.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>Every problem, each naming its setting (never a key's value); empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            var at = $"{Section}:{nameof(Keys)}:{i}";
            if (string.IsNullOrEmpty(key.Key) || key.Key.Length < ApiKeyOptions.MinKeyLength)
            {
                errors.Add($"{at}:Key must have at least {ApiKeyOptions.MinKeyLength} characters.");
            }
            else if (!seen.Add(key.Key))
            {
                errors.Add($"{at}:Key is the same as an earlier key.");
            }

            if (ApiKeyOptions.ParseRole(key.Role) is null)
            {
                errors.Add($"{at}:Role must be 'read' or 'write' (got '{key.Role}').");
            }
        }

        if (MaxRequestBodyBytes < 1024)
        {
            errors.Add($"{Section}:{nameof(MaxRequestBodyBytes)} must be at least 1024 (got {MaxRequestBodyBytes}).");
        }

        if (MaxBatchItems < 1)
        {
            errors.Add($"{Section}:{nameof(MaxBatchItems)} must be at least 1 (got {MaxBatchItems}).");
        }

        if (MaxConcurrentReplays < 1)
        {
            errors.Add($"{Section}:{nameof(MaxConcurrentReplays)} must be at least 1 (got {MaxConcurrentReplays}).");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > MaxRequestTimeout)
        {
            errors.Add($"{Section}:{nameof(RequestTimeout)} must be above 0 and at most {MaxRequestTimeout:c} (got {RequestTimeout:c}).");
        }

        if (RetryAfterSeconds is < 1 or > 3600)
        {
            errors.Add($"{Section}:{nameof(RetryAfterSeconds)} must be 1-3600 (got {RetryAfterSeconds}).");
        }

        return errors;
    }
}

/// <summary>What a key may do.</summary>
public enum ApiRole
{
    Read,
    Write,
}

/// <summary>One API key: a name for logs and metrics (the key itself is never logged), the key, and its role.</summary>
public sealed class ApiKeyOptions
{
    public const int MinKeyLength = 16;

    public string Name { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary><c>read</c> or <c>write</c> (write includes read).</summary>
    public string Role { get; set; } = "read";

    public static ApiRole? ParseRole(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        "read" => ApiRole.Read,
        "write" => ApiRole.Write,
        _ => null,
    };
}
