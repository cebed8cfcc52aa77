using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace SeasonalGrains.Host.Api;

/// <summary>
/// "Not available now, send it again": a grain that cannot be reached or answer in time, as while a dead silo's
/// grains move to the survivors, is answered 503 with a <c>Retry-After</c> header and a problem saying the request
/// may be sent again with the same event id. A 503 says nothing about whether the change was applied; the event ids
/// make the retry safe (an applied sale or receipt answers <c>duplicate</c>, a closed day <c>alreadyClosed</c>).
/// </summary>
public static class Unavailable
{
    public const string Title = "Temporarily unavailable";

    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps) means "not available now": the target silo is gone or
    /// refused the message (<see cref="SiloUnavailableException"/>, <see cref="OrleansMessageRejectionException"/>),
    /// the gateway or connection failed or is overloaded, the call timed out (Orleans' response timeout), or a write
    /// lost a race with another activation of the same grain during failover (<see cref="InconsistentStateException"/>:
    /// nothing was stored and the activation is dropped, the retry reads storage again).
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException
                or ClientNotAvailableException or ConnectionFailedException or TimeoutException or InconsistentStateException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The 503 problem, with <c>Retry-After</c> set on <paramref name="httpContext"/>'s response.</summary>
    public static IResult Problem(HttpContext httpContext, ApiOptions options, string reason)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(options);
        var seconds = options.RetryAfterSeconds;
        httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: Title,
            detail: $"{reason} The request may or may not have been applied: send it again after {seconds} s with the same event id " +
                "(a sale or receipt already applied answers 'duplicate', a closed day 'alreadyClosed').",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds, ["trace"] = httpContext.TraceIdentifier });
    }
}

/// <summary>
/// Bounds every API call at <see cref="ApiOptions.RequestTimeout"/>: a handler still waiting for a grain then is
/// answered 503 with <c>Retry-After</c> (<see cref="Unavailable"/>); the grain call it waits for runs on and its
/// outcome is dropped.
/// </summary>
public sealed class RequestTimeoutFilter(IOptions<ApiOptions> options, ILogger<RequestTimeoutFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var pending = next(context);
        if (pending.IsCompleted)
        {
            return await pending; // answered at once: no timer
        }

        var http = context.HttpContext;
        var call = pending.AsTask();
        var timeout = options.Value.RequestTimeout;
        try
        {
            return await call.WaitAsync(timeout, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested && !call.IsCompleted)
        {
            return await call; // the client left: nothing to answer in time
        }
        catch (TimeoutException) when (!call.IsCompleted)
        {
            // the wait timed out, not the call (a call's own timeout is answered by the exception handler)
        }

        _ = call.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        ApiLog.TimedOut(logger, http.Request.Method, http.Request.Path, timeout.TotalSeconds);
        return Unavailable.Problem(http, options.Value, $"No answer within {timeout.TotalSeconds:0.###} s (Api:RequestTimeout); the cluster may be failing over.");
    }
}
