using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace SeasonalGrains.Host.Api;

/// <summary>The API's error responses: ProblemDetails, with field-level errors where a field is at fault.</summary>
public static class ApiProblems
{
    public static IResult Validation(FieldErrors errors, string title = "The request has invalid fields.") =>
        Results.ValidationProblem(errors.ToDictionary(), title: title);

    public static IResult Validation(string field, string message) => Validation(new FieldErrors().Add(field, message));

    public static IResult NotFound(string title, string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);

    public static IResult Conflict(string title, string? detail) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static IResult Conflict(FieldErrors errors, string title) =>
        Results.ValidationProblem(errors.ToDictionary(), title: title, statusCode: StatusCodes.Status409Conflict);

    public static IResult UnknownSku(string sku) => NotFound("SKU not found", $"There is no SKU '{sku}'; define it with PUT /api/v1/skus/{sku}.");

    /// <summary>
    /// The field a JSON path points at, as the request's JSON names it: <c>$.costs.holdingPerUnitDay</c> is
    /// <c>costs.holdingPerUnitDay</c>, <c>$.sales[3].units</c> is <c>sales[3].units</c>; null for the whole body.
    /// </summary>
    public static string? FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return null;
        }

        var field = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return field.Length == 0 ? null : field;
    }
}

/// <summary>
/// Turns exceptions into ProblemDetails without internals: a malformed or mistyped JSON body into a
/// validation problem naming the field, an oversized body into 413, other bad requests into their status,
/// a grain not available now (a silo failing over, a call timed out: <see cref="Unavailable.IsTransient"/>) into 503
/// with <c>Retry-After</c>, and anything else into a bare 500 (the exception is logged, never sent).
/// </summary>
public sealed class ApiExceptionHandler(IOptions<ApiOptions> options, IOptions<JsonOptions> json, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        IResult result;
        if (exception is BadHttpRequestException bad)
        {
            result = bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => Results.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request body too large",
                    detail: $"The body exceeds the limit of {options.Value.MaxRequestBodyBytes} bytes."),
                StatusCodes.Status400BadRequest when Find<JsonException>(bad) is { } error => await JsonProblemAsync(httpContext, error, cancellationToken),
                StatusCodes.Status415UnsupportedMediaType => Results.Problem(
                    statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported media type",
                    detail: "Send the body as JSON with Content-Type: application/json."),
                _ => Results.Problem(statusCode: bad.StatusCode, title: "Bad request", detail: bad.Message),
            };
        }
        else if (Unavailable.IsTransient(exception))
        {
            ApiLog.Unavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
            result = Unavailable.Problem(httpContext, options.Value, "A grain this request needs is not available right now (a silo of the cluster may be failing over).");
        }
        else
        {
            ApiLog.Unhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            result = Results.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "An unexpected error occurred",
                detail: $"The request failed on the server (trace {httpContext.TraceIdentifier}).");
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>
    /// Every problem of the body at once (<see cref="JsonBodyErrors"/>), read again from the buffered request; the
    /// serializer's first error when the body cannot be read again.
    /// </summary>
    private async Task<IResult> JsonProblemAsync(HttpContext httpContext, JsonException error, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        // the handler runs with the endpoint cleared; the feature keeps the one that failed
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var type = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (type is not null && request.Body.CanSeek)
        {
            request.Body.Position = 0;
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            var errors = JsonBodyErrors.Explain(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), type, json.Value.SerializerOptions);
            if (errors.Any)
            {
                return ApiProblems.Validation(errors);
            }
        }

        return JsonProblem(error);
    }

    private static IResult JsonProblem(JsonException json)
    {
        var field = ApiProblems.FieldOf(json.Path);
        if (field is null)
        {
            return ApiProblems.Validation("body", "is not a valid JSON object for this request.");
        }

        var message = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "is not a field of this request."
            : "has a value of the wrong type or is malformed (numbers must be finite JSON numbers, dates yyyy-MM-dd).";
        return ApiProblems.Validation(field, message);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}

internal static partial class ApiLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, PathString path);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "No API keys are configured (Api:Keys): every write endpoint answers 401")]
    public static partial void NoKeys(ILogger logger);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Replay {Id} of {Scenario} started")]
    public static partial void ReplayStarted(ILogger logger, string id, string scenario);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Replay {Id} failed")]
    public static partial void ReplayFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "Request {Method} {Path} answered 503: {Exception}: {Reason}")]
    public static partial void Unavailable(ILogger logger, string method, PathString path, string exception, string reason);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Request {Method} {Path} answered 503: no answer within {Seconds} s")]
    public static partial void TimedOut(ILogger logger, string method, PathString path, double seconds);
}
