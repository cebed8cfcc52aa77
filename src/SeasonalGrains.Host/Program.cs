using Microsoft.Extensions.Configuration.Memory;
using SeasonalGrains.Host.Api;
using SeasonalGrains.Host.Hosting;

namespace SeasonalGrains.Host;

/// <summary>
/// The silo and its HTTP endpoints in one process. Storage and clustering come from configuration (the
/// <c>Storage</c> and <c>Clustering</c> sections; environment variables <c>Storage__Provider</c>, ...).
/// <c>seasonal serve</c> runs the same <see cref="Build"/> in the CLI's process.
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        try
        {
            await RunAsync(args, CancellationToken.None);
            return 0;
        }
        catch (Exception e) when (StartupErrors.Explain(e) is { } message)
        {
            await Console.Error.WriteLineAsync("error: " + message);
            return StartupErrors.ExitCode;
        }
    }

    /// <summary>Builds the app and runs it until <paramref name="cancellationToken"/> fires or the process is asked to stop.</summary>
    public static async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var app = Build(args);
        await app.RunAsync(cancellationToken);
    }

    /// <summary>
    /// Settings that hold unless configuration says otherwise: ASP.NET Core logs warnings and errors only, not a line
    /// per request (<c>Logging:LogLevel:Microsoft.AspNetCore=Information</c> turns request logging on).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>
    /// The app: its content root is the host's own folder (<see cref="AppContext.BaseDirectory"/>), so its
    /// appsettings.json and the scenario folder beside it are found whatever folder it is started from.
    /// </summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        builder.AddSeasonalGrains();

        // ---- HTTP API: service registrations go here (builder.AddSkuApi();) ----
        builder.AddSkuApi();

        var app = builder.Build();

        // the options validated at start (Api, Live, ...) are checked now, before anything is logged or started:
        // each bad setting is named in an OptionsValidationException (Main reports them all, exit code 2)
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        app.MapSeasonalHealth();

        // ---- HTTP API: endpoints go here (app.MapSkuApi();) ----
        app.MapSkuApi();

        return app;
    }
}
