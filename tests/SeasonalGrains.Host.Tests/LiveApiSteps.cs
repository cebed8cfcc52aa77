using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using static SeasonalGrains.Host.Tests.Http;

namespace SeasonalGrains.Host.Tests;

/// <summary>The steps the live API's tests take: a SKU's definition, its sales and closes, and reading it back.</summary>
public abstract class LiveApiSteps(IHostFixture fixture)
{
    protected LiveHost Host => fixture.Host;

    protected static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    protected static string NewSku(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];

    protected static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A SKU under (s,S) = (20, 60), case pack 12, lead time 2 days, 50 on hand, starting 10 days ago
    /// (so days can be closed); <paramref name="change"/> edits the JSON before it is sent.
    /// </summary>
    protected static JsonObject Definition(Action<JsonObject>? change = null)
    {
        var json = new JsonObject
        {
            ["category"] = "outerwear",
            ["region"] = "north",
            ["unitCost"] = 40,
            ["unitPrice"] = 100,
            ["leadTimeDays"] = 2,
            ["initialOnHand"] = 50,
            ["casePack"] = 12,
            ["startDate"] = Iso(Today.AddDays(-10)),
            ["policy"] = new JsonObject { ["name"] = "sS", ["parameters"] = new JsonObject { ["s"] = 20, ["S"] = 60 } },
            ["costs"] = new JsonObject { ["holdingPerUnitDay"] = 0.1, ["shortagePerUnit"] = 2, ["fixedPerOrder"] = 10 },
        };
        change?.Invoke(json);
        return json;
    }

    protected async Task<JsonNode> DefineAsync(string sku, JsonObject definition)
    {
        var (status, body, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(definition.ToJsonString()));
        Assert.True(status == HttpStatusCode.Created, $"PUT {sku}: {status} {body}");
        return body!;
    }

    protected async Task<JsonNode> SaleAsync(string sku, string eventId, double units, DateOnly? date = null)
    {
        var (status, body, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event(eventId, units, date));
        Assert.True(status == HttpStatusCode.OK, $"sale {eventId}: {status} {body}");
        return body!;
    }

    protected async Task<JsonNode> CloseAsync(string sku)
    {
        var (status, body, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/close-day");
        Assert.True(status == HttpStatusCode.OK, $"close {sku}: {status} {body}");
        Assert.Equal("closed", (string?)body!["status"]);
        return body;
    }

    protected async Task<JsonNode> GetSkuAsync(string sku)
    {
        var (status, body, _) = await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}");
        Assert.True(status == HttpStatusCode.OK, $"GET {sku}: {status} {body}");
        return body!;
    }

    protected static JsonObject Event(string eventId, double units, DateOnly? date = null)
    {
        var json = new JsonObject { ["eventId"] = eventId, ["units"] = units };
        if (date is { } d)
        {
            json["date"] = Iso(d);
        }

        return json;
    }
}
