using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SeasonalGrains.Host.Tests;

/// <summary>JSON over HTTP for the tests.</summary>
public static class Http
{
    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<(HttpStatusCode Status, JsonNode? Body, MediaTypeHeaderValue? Type)> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType);
    }

    public static Task<(HttpStatusCode Status, JsonNode? Body, MediaTypeHeaderValue? Type)> GetAsync(HttpClient client, string path) =>
        SendAsync(client, HttpMethod.Get, path);

    public static Task<(HttpStatusCode Status, JsonNode? Body, MediaTypeHeaderValue? Type)> PostAsync(HttpClient client, string path, object? body = null) =>
        SendAsync(client, HttpMethod.Post, path, body is null ? null : body as HttpContent ?? Json(body));

    public static Task<(HttpStatusCode Status, JsonNode? Body, MediaTypeHeaderValue? Type)> PutAsync(HttpClient client, string path, object body) =>
        SendAsync(client, HttpMethod.Put, path, body as HttpContent ?? Json(body));

    /// <summary>The field names of a validation problem's errors.</summary>
    public static string[] ErrorFields(JsonNode? problem) =>
        problem?["errors"]?.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal).ToArray() ?? [];
}
