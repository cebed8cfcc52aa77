using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using OpenTelemetry.Resources;
using Scalar.AspNetCore;
using SeasonalGrains.Grains.Live;
using SeasonalGrains.Host.Api;
using SeasonalGrains.Host.Hosting;

// in the host's root namespace, so Program.cs needs no using for it
namespace SeasonalGrains.Host.Api;

/// <summary>
/// The HTTP API over the live SKU grains (under <see cref="HostPaths.Api"/>), its OpenAPI document and reference
/// page, Prometheus metrics and the dashboard (at the <see cref="HostPaths"/>). Program.cs calls <see cref="AddSkuApi"/> and <see cref="MapSkuApi"/>.
/// </summary>
public static class SkuApi
{
    /// <summary>The dashboard's files are embedded in this assembly (so it is served from any working folder).</summary>
    private const string DashboardResources = "SeasonalGrains.Host.wwwroot";

    /// <summary>
    /// Registers the API: options (the <c>Api</c> section, validated at start; the silo registers the live SKU services), JSON and ProblemDetails behaviour, the request body limit, OpenAPI and OpenTelemetry metrics.
    /// </summary>
    public static IHostApplicationBuilder AddSkuApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) => kestrel.Limits.MaxRequestBodySize = api.Value.MaxRequestBodyBytes);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyRing>();
        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<ReplayJobs>();

        services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;

            // strict JSON: a key given twice, or in another case than the field's, is refused rather than read one way
            json.SerializerOptions.AllowDuplicateProperties = false;
            json.SerializerOptions.PropertyNameCaseInsensitive = false;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();

        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SeasonalGrains API";
            document.Info.Description =
                "Live SKUs over Orleans grains: master data, idempotent sales and receipts, day close with forecast and order suggestion, " +
                $"the order book, season replays and the model registry. Mutating endpoints need an API key with the write role in the {ApiKeyRing.Header} header; " +
                "reads are open unless Api:RequireKeyForReads is set. Errors are RFC 9457 problem details.";
            return Task.CompletedTask;
        }));

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("seasonalgrains"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(ApiMetrics.MeterName, LiveMetrics.MeterName, "Microsoft.Orleans")
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Maps the endpoints and the middleware they need (ProblemDetails for errors, API keys, the dashboard).</summary>
    public static WebApplication MapSkuApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // JSON bodies (at most Api:MaxRequestBodyBytes) are kept, so a body that cannot be bound is read again for its every problem
        app.Use((context, next) =>
        {
            if (context.Request.HasJsonContentType())
            {
                context.Request.EnableBuffering();
            }

            return next(context);
        });
        app.UseMiddleware<ApiKeyMiddleware>();

        var files = new EmbeddedFileProvider(typeof(SkuApi).Assembly, DashboardResources);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = HostPaths.Dashboard });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = HostPaths.Dashboard });
        app.MapGet("/", () => Results.Redirect(HostPaths.Dashboard + "/")).ExcludeFromDescription();

        // a call whose grains do not answer within Api:RequestTimeout (a silo failing over) gets 503 + Retry-After
        var api = app.MapGroup(HostPaths.Api).AddEndpointFilter<RequestTimeoutFilter>();
        api.MapSkuEndpoints();
        api.MapDayEndpoints();
        api.MapOrderEndpoints();
        api.MapReplayEndpoints();
        api.MapModelEndpoints();

        // the OpenAPI document (/openapi/v1.json), its reference page, Prometheus metrics and the Orleans Dashboard
        const string openApiRoute = "/openapi/{documentName}.json";
        app.MapOpenApi(openApiRoute);
        app.MapScalarApiReference("/scalar", options => options.WithTitle("SeasonalGrains API").WithOpenApiRoutePattern(openApiRoute));
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOrleansDashboard("/orleans").WithMetadata(new ApiAccess(ApiRole.Read)).ExcludeFromDescription();

        if (app.Services.GetRequiredService<ApiKeyRing>().Count == 0)
        {
            ApiLog.NoKeys(app.Logger);
        }

        return app;
    }

    private sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
    {
        public ValidateOptionsResult Validate(string? name, ApiOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
