using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>The shared <see cref="LiveHost"/> (the real host with a write key) and JSON helpers for its API.</summary>
internal sealed class LiveHostProcess : IAsyncDisposable
{
    private readonly LiveHost _host;

    private LiveHostProcess(LiveHost host) => _host = host;

    /// <summary>Sends the write key with every request.</summary>
    public HttpClient Client => _host.Writer;

    public static async Task<LiveHostProcess> StartAsync(IReadOnlyDictionary<string, string> settings) =>
        new(await LiveHost.StartAsync(settings));

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

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
