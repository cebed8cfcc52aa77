using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace SeasonalGrains.TestHosting;

/// <summary>
/// The real host (<see cref="SeasonalGrains.Host.Program.Build"/>: Kestrel on 127.0.0.1 on a free port, the silo in the
/// same process) with a write key and a read key, and HTTP clients for it. One source file, compiled into every test
/// project that starts a host (each links tests/Shared/LiveHost.cs).
/// </summary>
public sealed class LiveHost : IAsyncDisposable
{
    public const string WriteKey = "test-write-key-0123456789";
    public const string ReadKey = "test-read-key-0123456789";

    private readonly WebApplication _app;

    private LiveHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        Writer = new HttpClient(handler, disposeHandler: false) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Writer.DefaultRequestHeaders.Add("X-Api-Key", WriteKey);
        Anonymous = new HttpClient(handler, disposeHandler: false) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Handler = handler;
    }

    public Uri Address { get; }

    /// <summary>Sends the write key with every request.</summary>
    public HttpClient Writer { get; }

    /// <summary>Sends no key.</summary>
    public HttpClient Anonymous { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    private SocketsHttpHandler Handler { get; }

    /// <summary>Starts the host with the given extra settings (<c>key=value</c>, as on its command line).</summary>
    public static async Task<LiveHost> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Clustering:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Clustering:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Clustering:ClusterId"] = "tests-" + Guid.NewGuid().ToString("N")[..8],
            ["Api:Keys:0:Name"] = "tests-writer",
            ["Api:Keys:0:Key"] = WriteKey,
            ["Api:Keys:0:Role"] = "write",
            ["Api:Keys:1:Name"] = "tests-reader",
            ["Api:Keys:1:Key"] = ReadKey,
            ["Api:Keys:1:Role"] = "read",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Polly"] = "Warning",

            // the API's rules, not its time bound (FailoverAnswerTests check that), are what these hosts test: on a busy
            // two-core machine a PostgreSQL write queued behind a hundred others can take longer than the 5 s default
            ["Api:RequestTimeout"] = "00:00:30",
        };
        foreach (var (key, value) in settings)
        {
            args[key] = value;
        }

        var app = SeasonalGrains.Host.Program.Build([.. args.Select(a => $"--{a.Key}={a.Value}")]);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = new Uri(app.Urls.First());
        return new LiveHost(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        Writer.Dispose();
        Anonymous.Dispose();
        Handler.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    /// <summary>A client that sends the given key (or none).</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient(Handler, disposeHandler: false) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
