using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using SeasonalGrains.Host.Api;

namespace SeasonalGrains.Host.Tests;

/// <summary>
/// While a silo fails over, a grain that is not available now is answered 503 with Retry-After (never 500) and a
/// call that waits too long is cut at Api:RequestTimeout; the host's membership defaults detect a dead silo fast.
/// The same through two real clustered processes and SIGKILL: <c>FailoverAnswerTests</c> in the cluster tests.
/// </summary>
public sealed class FailoverAnswerTests
{
    private static Dictionary<string, Func<Exception>> Transient { get; } = new(StringComparer.Ordinal)
    {
        ["silo unavailable"] = () => new SiloUnavailableException(),
        ["gateway too busy"] = () => new GatewayTooBusyException(),
        ["response timeout"] = () => new TimeoutException("Response did not arrive on time in 00:00:30."),
        ["write lost to another activation"] = () => new InconsistentStateException("ETag mismatch"),
        ["wrapped"] = () => new AggregateException(new InvalidOperationException("call failed", new SiloUnavailableException())),
    };

    // after Transient: static properties are set in order
    public static TheoryData<string> NotAvailableNow { get; } = [.. Transient.Keys];

    [Theory]
    [MemberData(nameof(NotAvailableNow))]
    public async Task A_grain_not_available_now_is_answered_503_with_Retry_After_and_the_same_event_id_advice(string kind)
    {
        var (status, retryAfter, problem) = await HandleAsync(Transient[kind]());

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Equal("2", retryAfter);
        Assert.Equal(Unavailable.Title, problem.GetProperty("title").GetString());
        Assert.Contains("same event id", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, problem.GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task Any_other_failure_stays_a_bare_500_without_Retry_After()
    {
        var (status, retryAfter, problem) = await HandleAsync(new InvalidOperationException("a bug"));

        Assert.Equal(StatusCodes.Status500InternalServerError, status);
        Assert.Null(retryAfter);
        Assert.DoesNotContain("a bug", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_still_waiting_at_the_request_timeout_is_answered_503_then()
    {
        var options = new ApiOptions { RequestTimeout = TimeSpan.FromMilliseconds(200), RetryAfterSeconds = 3 };
        var filter = new RequestTimeoutFilter(Options.Create(options), NullLogger<RequestTimeoutFilter>.Instance);
        var context = NewContext();
        var never = new TaskCompletionSource<object?>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(context), _ => new ValueTask<object?>(never.Task));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
        await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(context);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("3", context.Response.Headers.RetryAfter.ToString());
        Assert.Contains("Api:RequestTimeout", Body(context).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_answered_in_time_passes_the_request_timeout_unchanged()
    {
        var filter = new RequestTimeoutFilter(Options.Create(new ApiOptions()), NullLogger<RequestTimeoutFilter>.Instance);

        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(NewContext()), _ => new ValueTask<object?>("answer"));

        Assert.Equal("answer", result);
    }

    [Theory]
    [InlineData("00:00:00", "Api:RequestTimeout must be above 0")]
    [InlineData("00:10:00", "Api:RequestTimeout must be above 0 and at most 00:05:00")]
    public void A_request_timeout_out_of_range_is_refused(string timeout, string expected)
    {
        var errors = new ApiOptions { RequestTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture), RetryAfterSeconds = 0 }.Validate();

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains("Api:RetryAfterSeconds must be 1-3600 (got 0).", errors);
    }

    [Fact]
    public async Task The_host_detects_a_dead_silo_fast_by_default_and_configuration_overrides_it()
    {
        var defaults = await MembershipAsync();
        Assert.Equal(TimeSpan.FromSeconds(1), defaults.ProbeTimeout);
        Assert.Equal(3, defaults.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(30), defaults.DeathVoteExpirationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.TableRefreshTimeout);

        var configured = await MembershipAsync("--Clustering:Membership:ProbeTimeout=00:00:04", "--Clustering:Membership:NumMissedProbesLimit=5");
        Assert.Equal(TimeSpan.FromSeconds(4), configured.ProbeTimeout);
        Assert.Equal(5, configured.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(30), configured.DeathVoteExpirationTimeout);
    }

    private static async Task<ClusterMembershipOptions> MembershipAsync(params string[] args)
    {
        await using var app = Program.Build(["--Storage:Provider=memory", .. args]);
        return app.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
    }

    private static async Task<(int Status, string? RetryAfter, JsonElement Problem)> HandleAsync(Exception exception)
    {
        var handler = new ApiExceptionHandler(Options.Create(new ApiOptions()), Options.Create(new JsonOptions()), NullLogger<ApiExceptionHandler>.Instance);
        var context = NewContext();

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        var retryAfter = context.Response.Headers.RetryAfter;
        return (context.Response.StatusCode, retryAfter.Count == 0 ? null : retryAfter.ToString(), Body(context));
    }

    private static DefaultHttpContext NewContext() => new()
    {
        RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
        Response = { Body = new MemoryStream() },
    };

    private static JsonElement Body(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return JsonDocument.Parse(context.Response.Body).RootElement.Clone();
    }
}
