using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// The real host (<see cref="SeasonalGrains.Host.Program.Build"/>: Kestrel on 127.0.0.1 on a free port, the silo in this
/// process) with a write key, and JSON helpers for its API.
/// </summary>
internal sealed class LiveHostProcess : IAsyncDisposable
{
    public const string WriteKey = "feedback-write-key-0123456789";

    private readonly WebApplication _app;

    private LiveHostProcess(WebApplication app)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", WriteKey);
    }

    public HttpClient Client { get; }

    public static async Task<LiveHostProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Clustering:SiloPort"] = FreePort(),
            ["Clustering:GatewayPort"] = FreePort(),
            ["Clustering:ClusterId"] = "feedback-" + Guid.NewGuid().ToString("N")[..8],
            ["Api:Keys:0:Name"] = "tests-writer",
            ["Api:Keys:0:Key"] = WriteKey,
            ["Api:Keys:0:Role"] = "write",
            ["Api:RequestTimeout"] = "00:00:30",
            ["Logging:LogLevel:Default"] = "Warning",
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

        return new LiveHostProcess(app);
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object? body)
    {
        var json = body switch
        {
            null => null,
            JsonNode node => node.ToJsonString(),
            _ => System.Text.Json.JsonSerializer.Serialize(body),
        };
        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task PostOkAsync(string path, object? body)
    {
        var (status, answer) = await PostAsync(path, body);
        Assert.True(status == HttpStatusCode.OK, $"POST {path}: {status} {answer?.ToJsonString()}");
    }

    public async Task PutOkAsync(string path, JsonObject body)
    {
        using var response = await Client.PutAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"PUT {path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Defines a live SKU with the terms every test here uses (lead time 1, no MOQ, a policy that only suggests).</summary>
    public Task DefineAsync(string sku, string category, string region, DateOnly start, double[] history, double initialOnHand = 5, double unitPrice = 8) =>
        PutOkAsync($"/api/v1/skus/{sku}", new JsonObject
        {
            ["category"] = category,
            ["region"] = region,
            ["unitCost"] = 4,
            ["unitPrice"] = unitPrice,
            ["leadTimeDays"] = 1,
            ["initialOnHand"] = initialOnHand,
            ["startDate"] = Day(start),
            ["history"] = new JsonArray([.. history.Select(u => (JsonNode?)JsonValue.Create(u))]),
            ["policy"] = new JsonObject { ["name"] = "base-stock" },
        });

    public Task CloseAsync(string sku, DateOnly date) => PostOkAsync($"/api/v1/skus/{sku}/close-day", new { date = Day(date) });

    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}
