using System.Net;
using System.Text.Json.Nodes;
using static SeasonalGrains.Host.Tests.Http;

namespace SeasonalGrains.Host.Tests;

/// <summary>
/// The domain limits at the API's door, through the real host: out-of-bounds numbers get 400 naming the
/// field and nothing stored changes; quantities stay exact; a redefinition may leave initialOnHand out.
/// </summary>
[Collection(InMemoryHostFixture.Collection)]
public sealed class LimitsTests(InMemoryHostFixture fixture) : LiveApiSteps(fixture)
{
    [Theory]
    [InlineData("1e308")]
    [InlineData("5e-324")]
    [InlineData("1000000001")]
    public async Task A_sale_beyond_the_limits_gets_400_naming_units_and_books_nothing(string units)
    {
        var sku = NewSku("huge");
        await DefineAsync(sku, Definition());

        var (status, problem, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", RawJson($$"""{"eventId":"a","units":{{units}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["units"], ErrorFields(problem));
        Assert.StartsWith("must be a number of units from 0.000001 to 1000000000", (string?)problem!["errors"]!["units"]![0]);

        // nothing booked, the id is still free, and the close, the SKU and the order book keep working
        Assert.Equal(0, (double)(await GetSkuAsync(sku))["pendingSales"]!);
        Assert.Equal("applied", (string?)(await SaleAsync(sku, "a", 2))["status"]);
        var day = (await CloseAsync(sku))["closed"]![0]!;
        Assert.Equal(2, (double)day["sales"]!);
        Assert.Equal(48, (double)day["onHand"]!);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Host.Anonymous, "/api/v1/orders?status=open")).Status);
    }

    [Fact]
    public async Task Sales_beyond_1e9_units_a_day_are_refused_and_the_acknowledged_ones_are_closed_not_lost()
    {
        var sku = NewSku("daymax");
        await DefineAsync(sku, Definition());

        Assert.Equal("applied", (string?)(await SaleAsync(sku, "a", 6e8))["status"]);
        var (status, problem, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event("b", 6e8));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("above the limit of 1000000000 units a day", (string?)problem!["errors"]!["units"]![0]);

        // the close applies a, and only a; its retry is still a duplicate and b was never booked
        var day = (await CloseAsync(sku))["closed"]![0]!;
        Assert.Equal(6e8, (double)day["sales"]!);
        Assert.Equal(50, (double)day["filled"]!);
        Assert.Equal(6e8 - 50, (double)day["backorders"]!);
        Assert.Equal("duplicate", (string?)(await SaleAsync(sku, "a", 6e8))["status"]);
        var view = await GetSkuAsync(sku);
        Assert.Equal(6e8, (double)view["metrics"]!["unitsDemanded"]!);
        Assert.Equal(0, (double)view["pendingSales"]!);
    }

    [Fact]
    public async Task Two_hundred_concurrent_sales_of_a_tenth_end_at_an_exact_on_hand()
    {
        var sku = NewSku("tenth");
        await DefineAsync(sku, Definition(d => d["initialOnHand"] = 403));

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event($"t{i}", 0.1))));

        Assert.All(results, r => Assert.Equal("applied", (string?)r.Body!["status"]));
        Assert.Equal(20, (double)(await GetSkuAsync(sku))["pendingSales"]!);
        var day = (await CloseAsync(sku))["closed"]![0]!;
        Assert.Equal(20, (double)day["sales"]!);
        Assert.Equal(383, (double)day["onHand"]!);
        Assert.Equal(383, (double)(await GetSkuAsync(sku))["onHand"]!);
    }

    [Fact]
    public async Task Redefining_a_sku_without_initialOnHand_keeps_it_and_a_different_value_is_still_a_conflict()
    {
        var sku = NewSku("keep");
        await DefineAsync(sku, Definition(d => d["initialOnHand"] = 50));
        await SaleAsync(sku, "a", 5);
        await CloseAsync(sku);

        var (status, body, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d =>
        {
            d.Remove("initialOnHand");
            d.Remove("startDate");
            d["unitPrice"] = 120;
        }).ToJsonString()));
        Assert.True(status == HttpStatusCode.OK, $"{status} {body}");
        Assert.Equal(45, (double)body!["onHand"]!);

        var (conflict, problem, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d => d["initialOnHand"] = 10).ToJsonString()));
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal(["initialOnHand"], ErrorFields(problem));

        // repeating the change without initialOnHand is unchanged (200), not a conflict
        var (again, _, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d =>
        {
            d.Remove("initialOnHand");
            d["unitPrice"] = 120;
        }).ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(45, (double)(await GetSkuAsync(sku))["onHand"]!);
    }

    [Fact]
    public async Task Master_data_beyond_the_limits_gets_400_naming_each_field_and_creates_nothing()
    {
        var sku = NewSku("mdmax");

        var (status, problem, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d =>
        {
            d["unitCost"] = 1e308;
            d["initialOnHand"] = 1e10;
            d["policy"]!["parameters"]!["S"] = 1e308;
        }).ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        // costs.purchasePerUnit is the unit cost when not given
        Assert.Equal(["costs.purchasePerUnit", "initialOnHand", "policy.parameters.S", "unitCost"], ErrorFields(problem));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}")).Status);
    }

    [Fact]
    public async Task A_negative_order_up_to_level_gets_400_naming_S()
    {
        var sku = NewSku("negS");

        var (status, problem, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d =>
            d["policy"] = new JsonObject { ["name"] = "sS", ["parameters"] = new JsonObject { ["s"] = -5, ["S"] = -1 } }).ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("S is an order-up-to level and must be >= 0 (got -1)", (string?)problem!["errors"]!["policy.parameters"]![0]);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}")).Status);
    }
}
