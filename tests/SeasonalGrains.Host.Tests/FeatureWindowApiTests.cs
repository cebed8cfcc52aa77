using System.Net;
using System.Text.Json.Nodes;
using SeasonalGrains.Abstractions.Live;
using static SeasonalGrains.Host.Tests.Http;

namespace SeasonalGrains.Host.Tests;

/// <summary>
/// The live feature window through the API: a SKU's prices and promotions, the shop's calendar and a region's weather,
/// each validated (problem details naming the field), applied once per event id, and kept.
/// </summary>
public abstract class FeatureWindowApiContract(IHostFixture fixture) : LiveApiSteps(fixture)
{
    [Fact]
    public async Task Prices_and_promotions_are_kept_by_day_once_per_event_id()
    {
        var sku = NewSku("price");
        await DefineAsync(sku, Definition());
        var planned = Today.AddDays(3);

        var first = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", new { eventId = "p1", date = Iso(planned), price = 80.0, promo = true });
        var retry = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", new { eventId = "p1", date = Iso(planned), price = 80.0, promo = true });
        var reused = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", new { eventId = "p1", date = Iso(planned), price = 70.0, promo = true });
        var past = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", new { eventId = "p0", date = Iso(Today.AddDays(-40)), price = 95.0 });
        var sale = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event("p0", 3));

        Assert.Equal((HttpStatusCode.OK, "applied"), (first.Status, (string?)first.Body!["status"]));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), (retry.Status, (string?)retry.Body!["status"]));
        Assert.Equal(HttpStatusCode.Conflict, reused.Status);
        Assert.Equal("applied", (string?)past.Body!["status"]); // a history day's price: 40 days back is inside the 1,130 the model may read
        Assert.Equal(HttpStatusCode.Conflict, sale.Status); // ids are shared with sales and receipts
        var prices = (await GetSkuAsync(sku))["prices"]!.AsArray();
        Assert.Equal(2, prices.Count);
        Assert.Equal((Iso(Today.AddDays(-40)), 95.0, false), ((string)prices[0]!["date"]!, (double)prices[0]!["price"]!, (bool)prices[0]!["promo"]!));
        Assert.Equal((Iso(planned), 80.0, true), ((string)prices[1]!["date"]!, (double)prices[1]!["price"]!, (bool)prices[1]!["promo"]!));
    }

    [Fact]
    public async Task A_bad_price_event_is_a_problem_naming_its_field_and_an_unknown_SKU_is_404()
    {
        var sku = NewSku("price-bad");
        await DefineAsync(sku, Definition());

        var negative = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", new { eventId = "n", price = -1.0 });
        var far = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", new { eventId = "f", date = Iso(Today.AddDays(367)), promo = true });
        var noId = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", new { promo = true });
        var unknownField = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", RawJson("""{"eventId":"u","discount":5}"""));
        var unknown = await PostAsync(Host.Writer, "/api/v1/skus/no-such-sku-here/prices", new { eventId = "x", promo = true });
        var readKey = await PostAsync(Host.Client(LiveHost.ReadKey), $"/api/v1/skus/{sku}/prices", new { eventId = "r", promo = true });

        Assert.Equal(HttpStatusCode.BadRequest, negative.Status);
        Assert.Equal(["price"], ErrorFields(negative.Body));
        Assert.Equal(HttpStatusCode.BadRequest, far.Status);
        Assert.Equal(["date"], ErrorFields(far.Body));
        Assert.Equal("application/problem+json", far.Type?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, noId.Status);
        Assert.Equal(["eventId"], ErrorFields(noId.Body));
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.Forbidden, readKey.Status);
    }

    [Fact]
    public async Task Calendar_days_are_kept_once_per_event_id_and_bad_ones_are_problems()
    {
        var day = Today.AddDays(5);
        var id = "cal-" + Guid.NewGuid().ToString("N")[..8];

        var first = await PostAsync(Host.Writer, "/api/v1/calendar", new { eventId = id, date = Iso(day), holiday = "Black Friday", events = new { payday = 1.0 } });
        var retry = await PostAsync(Host.Writer, "/api/v1/calendar", new { eventId = id, date = Iso(day), holiday = "Black Friday", events = new { payday = 1.0 } });
        var reused = await PostAsync(Host.Writer, "/api/v1/calendar", new { eventId = id, date = Iso(day), holiday = "Cyber Monday" });
        var noDate = await PostAsync(Host.Writer, "/api/v1/calendar", new { eventId = id + "-x", holiday = "x" });
        var huge = await PostAsync(Host.Writer, "/api/v1/calendar", new { eventId = id + "-y", date = Iso(day), events = new { payday = 2e9 } });
        var noKey = await PostAsync(Host.Anonymous, "/api/v1/calendar", new { eventId = id + "-z", date = Iso(day) });

        Assert.Equal((HttpStatusCode.OK, "applied"), (first.Status, (string?)first.Body!["status"]));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), (retry.Status, (string?)retry.Body!["status"]));
        Assert.Equal(HttpStatusCode.Conflict, reused.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noDate.Status);
        Assert.Equal(["date"], ErrorFields(noDate.Body));
        Assert.Equal(HttpStatusCode.BadRequest, huge.Status);
        Assert.Equal(["events.payday"], ErrorFields(huge.Body));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.Status);
        var kept = await Host.Grains.GetGrain<ILiveDaysGrain>(ILiveDaysGrain.ShopKey).CalendarDays(day, day);
        Assert.Equal("Black Friday", Assert.Single(kept).Holiday);
        Assert.Equal(new CalendarEventValue("payday", 1), Assert.Single(kept[0].Events));
    }

    [Fact]
    public async Task A_weather_observation_replaces_the_days_forecast_and_a_forecast_never_replaces_an_observation()
    {
        var region = "region-" + Guid.NewGuid().ToString("N")[..8];
        var day = Today.AddDays(-1);

        var forecast = await PostAsync(Host.Writer, $"/api/v1/weather/{region}", new { eventId = "w1", date = Iso(day), tempC = 4.0, forecast = true });
        var observed = await PostAsync(Host.Writer, $"/api/v1/weather/{region}", new { eventId = "w2", date = Iso(day), tempC = 2.5, humidity = 80.0, precipMm = 1.2 });
        var late = await PostAsync(Host.Writer, $"/api/v1/weather/{region}", new { eventId = "w3", date = Iso(day), tempC = 9.0, forecast = true });
        var empty = await PostAsync(Host.Writer, $"/api/v1/weather/{region}", new { eventId = "w4", date = Iso(day) });
        var wet = await PostAsync(Host.Writer, $"/api/v1/weather/{region}", new { eventId = "w5", date = Iso(day), humidity = 120.0 });

        Assert.All(new[] { forecast, observed, late }, r => Assert.Equal("applied", (string?)r.Body!["status"]));
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal(["body"], ErrorFields(empty.Body));
        Assert.Equal(HttpStatusCode.BadRequest, wet.Status);
        Assert.Equal(["humidity"], ErrorFields(wet.Body));
        var kept = Assert.Single(await Host.Grains.GetGrain<ILiveDaysGrain>(ILiveDaysGrain.WeatherKey(region)).WeatherDays(day, day));
        Assert.Equal((2.5, 80.0, 1.2, false), (kept.TempC, kept.Humidity, kept.PrecipMm, kept.Forecast));
    }
}

[Collection(InMemoryHostFixture.Collection)]
public sealed class InMemoryFeatureWindowApiTests(InMemoryHostFixture fixture) : FeatureWindowApiContract(fixture);

[Collection(PostgresHostFixture.Collection)]
public sealed class PostgresFeatureWindowApiTests(PostgresHostFixture fixture) : FeatureWindowApiContract(fixture)
{
    [Fact]
    public async Task Prices_and_calendar_days_survive_a_host_restart()
    {
        var sku = NewSku("price-restart");
        await DefineAsync(sku, Definition());
        var day = Today.AddDays(2);
        var id = "cal-" + Guid.NewGuid().ToString("N")[..8];
        await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", new { eventId = "p1", date = Iso(day), promo = true });
        await PostAsync(Host.Writer, "/api/v1/calendar", new { eventId = id, date = Iso(day), holiday = "Restart Day" });

        await fixture.RestartAsync();

        Assert.Equal("duplicate", (string?)(await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/prices", new { eventId = "p1", date = Iso(day), promo = true })).Body!["status"]);
        Assert.Equal("duplicate", (string?)(await PostAsync(Host.Writer, "/api/v1/calendar", new { eventId = id, date = Iso(day), holiday = "Restart Day" })).Body!["status"]);
        var prices = (await GetSkuAsync(sku))["prices"]!.AsArray();
        Assert.True((bool)Assert.Single(prices)!["promo"]!);
    }
}
