using System.Security.Cryptography;
using System.Text;

namespace SeasonalGrains.Host.Api;

/// <summary>Endpoint metadata: the access an endpoint needs.</summary>
public sealed record ApiAccess(ApiRole Role);

/// <summary>
/// The configured keys, held as SHA-256 digests and compared in constant time. The header value is
/// never stored, logged or echoed.
/// </summary>
public sealed class ApiKeyRing
{
    public const string Header = "X-Api-Key";

    private readonly (string Name, ApiRole Role, byte[] Digest)[] _keys;

    public ApiKeyRing(IOptions<ApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = [.. options.Value.Keys.Select((k, i) => (
            string.IsNullOrWhiteSpace(k.Name) ? $"key{i}" : k.Name,
            ApiKeyOptions.ParseRole(k.Role) ?? ApiRole.Read,
            SHA256.HashData(Encoding.UTF8.GetBytes(k.Key))))];
        RequireKeyForReads = options.Value.RequireKeyForReads;
    }

    public bool RequireKeyForReads { get; }

    public int Count => _keys.Length;

    /// <summary>The key's name and role, or null when no configured key matches.</summary>
    public (string Name, ApiRole Role)? Find(string presented)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        (string, ApiRole)? found = null;

        // every key is compared, so the time taken does not tell which one matched
        foreach (var (name, role, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, expected))
            {
                found = (name, role);
            }
        }

        return found;
    }
}

/// <summary>
/// Checks the <c>X-Api-Key</c> header of requests to endpoints that carry <see cref="ApiAccess"/>,
/// before their bodies are read: 401 without a key where one is needed or with a key that matches none,
/// 403 with a read key on a write endpoint.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyRing keys)
{
    /// <summary>Where the name of the key that authorised a request is kept (<see cref="HttpContext.Items"/>).</summary>
    public const string KeyNameItem = "SeasonalGrains.ApiKeyName";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var access = context.GetEndpoint()?.Metadata.GetMetadata<ApiAccess>();
        if (access is null)
        {
            return next(context);
        }

        var presented = context.Request.Headers[ApiKeyRing.Header];
        if (presented.Count == 0)
        {
            return access.Role == ApiRole.Read && !keys.RequireKeyForReads
                ? next(context)
                : Deny(context, StatusCodes.Status401Unauthorized, "API key required", $"This endpoint needs an API key with the {Describe(access.Role)} role in the {ApiKeyRing.Header} header.");
        }

        var found = presented.Count == 1 && !string.IsNullOrEmpty(presented[0]) ? keys.Find(presented[0]!) : null;
        if (found is not { } key)
        {
            return Deny(context, StatusCodes.Status401Unauthorized, "Invalid API key", $"The {ApiKeyRing.Header} header does not hold a valid API key.");
        }

        if (access.Role == ApiRole.Write && key.Role != ApiRole.Write)
        {
            return Deny(context, StatusCodes.Status403Forbidden, "Write access required", "This API key may read but not write.");
        }

        context.Items[KeyNameItem] = key.Name;
        return next(context);
    }

    private static string Describe(ApiRole role) => role == ApiRole.Write ? "write" : "read or write";

    private static Task Deny(HttpContext context, int status, string title, string detail)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeyRing.Header}\"";
        }

        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}
