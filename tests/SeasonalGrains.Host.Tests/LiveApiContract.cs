using System.Net;
using System.Text.Json.Nodes;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Abstractions.Live;
using SeasonalGrains.Grains.Live;
using static SeasonalGrains.Host.Tests.Http;

namespace SeasonalGrains.Host.Tests;

/// <summary>
/// The live API's rules, checked through the real HTTP stack against a real silo. Run once per storage
/// (in memory, PostgreSQL) by the derived classes. Every test uses SKUs of its own.
/// </summary>
public abstract class LiveApiContract(IHostFixture fixture) : LiveApiSteps(fixture)
{
    [Fact]
    public async Task Retried_sale_is_applied_once()
    {
        var sku = NewSku("retry");
        await DefineAsync(sku, Definition());

        var first = await SaleAsync(sku, "till-7/0001", 3);
        var second = await SaleAsync(sku, "till-7/0001", 3);
        var third = await SaleAsync(sku, "till-7/0001", 3);
        Assert.Equal("applied", (string?)first["status"]);
        Assert.Equal("duplicate", (string?)second["status"]);
        Assert.Equal("duplicate", (string?)third["status"]);

        // the same id sent 20 times at once is still applied once
        var racing = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event("till-7/0002", 4))));
        Assert.All(racing, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Single(racing, r => (string?)r.Body!["status"] == "applied");

        Assert.Equal(3 + 4, (double)(await GetSkuAsync(sku))["pendingSales"]!);
        var closed = await CloseAsync(sku);
        var day = closed["closed"]![0]!;
        Assert.Equal(7, (double)day["sales"]!);
        Assert.Equal(50 - 7, (double)day["onHand"]!);

        // a retry after the close is still recognised (the last closed day's ids are kept)
        Assert.Equal("duplicate", (string?)(await SaleAsync(sku, "till-7/0001", 3))["status"]);
    }

    [Fact]
    public async Task Hundred_concurrent_posters_to_one_sku_lose_nothing()
    {
        var sku = NewSku("crowd");
        await DefineAsync(sku, Definition(d => d["initialOnHand"] = 5000));

        // poster p sends events n = 10p .. 10p+9 of 1 + n mod 5 units each, then retries its first one:
        // 1000 events, sum over n of (1 + n mod 5) = 1000 + 200 x (0+1+2+3+4) = 3000 units.
        // A poster answered 503 (its call queued behind the others past Api:RequestTimeout) sends the same event
        // again after Retry-After, as the API asks; the event id keeps a post that did land from counting twice.
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(async p =>
        {
            var statuses = new List<HttpStatusCode>();
            for (var k = 0; k < 10; k++)
            {
                var n = (10 * p) + k;
                statuses.Add((await PostObeyingRetryAfterAsync($"/api/v1/skus/{sku}/sales", Event($"p{p}-e{k}", 1 + (n % 5)))).Status);
            }

            var retry = await PostObeyingRetryAfterAsync($"/api/v1/skus/{sku}/sales", Event($"p{p}-e0", 1 + (10 * p % 5)));
            statuses.Add(retry.Status);
            return (statuses, Retry: (string?)retry.Body!["status"]);
        }));

        Assert.All(results, r => Assert.All(r.statuses, s => Assert.Equal(HttpStatusCode.OK, s)));
        Assert.All(results, r => Assert.Equal("duplicate", r.Retry));
        Assert.Equal(3000, (double)(await GetSkuAsync(sku))["pendingSales"]!);
        var day = (await CloseAsync(sku))["closed"]![0]!;
        Assert.Equal(3000, (double)day["sales"]!);
        Assert.Equal(2000, (double)day["onHand"]!);
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body, System.Net.Http.Headers.MediaTypeHeaderValue? Type)> PostObeyingRetryAfterAsync(string path, object body)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await PostAsync(Host.Writer, path, body);
            if (answer.Status != HttpStatusCode.ServiceUnavailable || attempt == 10)
            {
                return answer;
            }

            await Task.Delay(TimeSpan.FromSeconds(new SeasonalGrains.Host.Api.ApiOptions().RetryAfterSeconds));
        }
    }

    [Fact]
    public async Task Day_close_suggests_the_sS_order_rounded_to_the_case_pack_and_accepting_places_it()
    {
        var sku = NewSku("sS");
        var start = Today.AddDays(-10);
        await DefineAsync(sku, Definition());

        // day 0: 50 on hand, 35 sold -> 15 on hand; 15 <= s = 20, so order S - 15 = 45, rounded up to 4 cases of 12 = 48
        await SaleAsync(sku, "d0", 35);
        var close0 = await CloseAsync(sku);
        var suggestion = close0["suggestion"]!;
        Assert.Equal($"{sku}@{Iso(start.AddDays(1))}", (string?)suggestion["id"]);
        Assert.Equal(48, (double)suggestion["units"]!);
        Assert.Equal(45, (double)suggestion["rawUnits"]!);
        Assert.Equal(15, (double)suggestion["inventoryPosition"]!);
        Assert.Equal("open", (string?)suggestion["status"]);
        Assert.Equal(Iso(start.AddDays(1)), (string?)(await GetSkuAsync(sku))["suggestion"]!["forDate"]);

        // accepting on day 1 places it: on order 48, due at the start of day 1 + lead time 2 = day 3
        var (acceptStatus, accepted, _) = await PostAsync(Host.Writer, $"/api/v1/orders/{suggestion["id"]}/accept");
        Assert.Equal(HttpStatusCode.OK, acceptStatus);
        Assert.Equal("accepted", (string?)accepted!["status"]);
        Assert.Equal(Iso(start.AddDays(3)), (string?)accepted["expectedArrival"]);
        var afterAccept = await GetSkuAsync(sku);
        Assert.Equal(48, (double)afterAccept["onOrder"]!);
        Assert.Equal([0, 0, 48], afterAccept["dueIn"]!.AsArray().Select(d => (double)d!["units"]!));
        Assert.Null(afterAccept["suggestion"]);

        // accepting again changes nothing
        var (againStatus, again, _) = await PostAsync(Host.Writer, $"/api/v1/orders/{suggestion["id"]}/accept");
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal(48, (double)(await GetSkuAsync(sku))["onOrder"]!);
        Assert.Equal("accepted", (string?)again!["status"]);

        // day 1: 5 sold -> 10 on hand, position 58 > 20: no order. day 2: 4 sold -> 6 on hand, position 54: none
        await SaleAsync(sku, "d1", 5);
        Assert.Null((await CloseAsync(sku))["suggestion"]);
        await SaleAsync(sku, "d2", 4);
        Assert.Null((await CloseAsync(sku))["suggestion"]);

        // day 3: the 48 arrive with a receipt of 3 -> 6 + 51 = 57 on hand, nothing on order
        var (receiptStatus, _, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/receipts", Event("r3", 3));
        Assert.Equal(HttpStatusCode.OK, receiptStatus);
        var day3 = (await CloseAsync(sku))["closed"]![0]!;
        Assert.Equal(Iso(start.AddDays(3)), (string?)day3["date"]);
        Assert.Equal(51, (double)day3["received"]!);
        Assert.Equal(3, (double)day3["receipts"]!);
        Assert.Equal(57, (double)day3["onHand"]!);
        Assert.Equal(0, (double)day3["onOrder"]!);

        var view = await GetSkuAsync(sku);
        Assert.Equal(4, view["daysClosed"]!.GetValue<int>());
        Assert.Equal([35, 5, 4, 0], view["days"]!.AsArray().Select(d => (double)d!["sales"]!));
        Assert.Equal(Iso(start.AddDays(4)), (string?)view["openDate"]);
    }

    [Fact]
    public async Task Receipts_serve_backorders_first_and_lost_sales_are_not_backordered()
    {
        var backordered = NewSku("bo");
        var never = new JsonObject { ["name"] = "sS", ["parameters"] = new JsonObject { ["s"] = -100, ["S"] = 0 } };
        await DefineAsync(backordered, Definition(d => { d["initialOnHand"] = 10; d["policy"] = never.DeepClone(); }));

        // 14 wanted with 10 on hand: 10 filled, 4 backordered; next day 6 arrive: 4 go to the backorders, then 1 is sold
        await SaleAsync(backordered, "a", 14);
        var day0 = (await CloseAsync(backordered))["closed"]![0]!;
        Assert.Equal(10, (double)day0["filled"]!);
        Assert.Equal(4, (double)day0["shortage"]!);
        Assert.Equal(4, (double)day0["backorders"]!);
        Assert.Equal(0, (double)day0["onHand"]!);
        await PostAsync(Host.Writer, $"/api/v1/skus/{backordered}/receipts", Event("b", 6));
        await SaleAsync(backordered, "c", 1);
        var day1 = (await CloseAsync(backordered))["closed"]![0]!;
        Assert.Equal(0, (double)day1["backorders"]!);
        Assert.Equal(6 - 4 - 1, (double)day1["onHand"]!);

        var lost = NewSku("lost");
        await DefineAsync(lost, Definition(d => { d["initialOnHand"] = 10; d["fulfilment"] = "lostSales"; d["policy"] = never.DeepClone(); }));
        await SaleAsync(lost, "a", 14);
        var lostDay = (await CloseAsync(lost))["closed"]![0]!;
        Assert.Equal(4, (double)lostDay["shortage"]!);
        Assert.Equal(0, (double)lostDay["backorders"]!);
        Assert.Equal(4, (double)(await GetSkuAsync(lost))["metrics"]!["unitsLost"]!);
    }

    /// <summary>
    /// Review period 2, on hand 5, lost sales, a policy that never orders: days 0-1 sell 1 + 1 (3 left), days 2-3 sell 1
    /// and then 2 of 5 (a stockout), days 4-5 sell nothing. Three review cycles, one with a stockout: 2/3.
    /// </summary>
    [Fact]
    public async Task The_cycle_service_level_counts_review_cycles_as_a_replay_does()
    {
        var sku = NewSku("cycles");
        var never = new JsonObject { ["name"] = "sS", ["parameters"] = new JsonObject { ["s"] = -100, ["S"] = 0 } };
        await DefineAsync(sku, Definition(d => { d["initialOnHand"] = 5; d["fulfilment"] = "lostSales"; d["reviewPeriodDays"] = 2; d["policy"] = never; }));
        double[] sales = [1, 1, 1, 5, 0, 0];
        for (var d = 0; d < sales.Length; d++)
        {
            if (sales[d] > 0)
            {
                await SaleAsync(sku, $"s{d}", sales[d]);
            }

            await CloseAsync(sku);
        }

        var metrics = (await GetSkuAsync(sku))["metrics"]!;
        Assert.Equal(3, (int)metrics["cycles"]!);
        Assert.Equal(1, (int)metrics["cyclesWithStockout"]!);
        Assert.Equal(2.0 / 3, (double)metrics["cycleServiceLevel"]!, 12);
        Assert.Equal(1, (int)metrics["stockoutDays"]!);
    }

    [Fact]
    public async Task Bad_event_fields_get_400_naming_each_field()
    {
        var sku = NewSku("bad");
        await DefineAsync(sku, Definition());

        var (s1, p1, t1) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", new JsonObject { ["units"] = -2 });
        Assert.Equal(HttpStatusCode.BadRequest, s1);
        Assert.Equal("application/problem+json", t1?.MediaType);
        Assert.Equal(["eventId", "units"], ErrorFields(p1));

        var (s2, p2, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", RawJson("""{"eventId":"x","units":"NaN"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, s2);
        Assert.Equal(["units"], ErrorFields(p2));

        var (s3, p3, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", RawJson("""{"eventId":"x","units":1,"date":"2025-13-01"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, s3);
        Assert.Equal(["date"], ErrorFields(p3));

        var (s4, p4, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", RawJson("""{"eventId":"x","unit":1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, s4);
        Assert.Equal(["unit"], ErrorFields(p4));

        var (s5, p5, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", RawJson("""{"eventId":"x","units":1"""));
        Assert.Equal(HttpStatusCode.BadRequest, s5);
        Assert.NotEmpty(ErrorFields(p5));

        var (s6, p6, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event("far", 1, Today.AddDays(30)));
        Assert.Equal(HttpStatusCode.BadRequest, s6);
        Assert.Equal(["date"], ErrorFields(p6));

        var (s8, p8, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event("early", 1, Today.AddDays(-20)));
        Assert.Equal(HttpStatusCode.BadRequest, s8);
        Assert.Equal(["date"], ErrorFields(p8));

        var (s7, p7, _) = await PostAsync(Host.Writer, "/api/v1/skus/not%20a%20sku/sales", Event("x", 1));
        Assert.Equal(HttpStatusCode.BadRequest, s7);
        Assert.Equal(["sku"], ErrorFields(p7));

        // nothing was booked by any of them
        Assert.Equal(0, (double)(await GetSkuAsync(sku))["pendingSales"]!);
    }

    [Fact]
    public async Task Bad_master_data_gets_400_naming_each_field()
    {
        var sku = NewSku("md");
        var (s1, p1, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d =>
        {
            d.Remove("leadTimeDays");
            d["policy"] = new JsonObject { ["parameters"] = new JsonObject() };
        }).ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, s1);
        Assert.Equal(["leadTimeDays", "policy.name"], ErrorFields(p1));

        var (s2, p2, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d =>
        {
            d["casePack"] = -1;
            d["costs"]!["holdingPerUnitDay"] = -0.5;
            d["leadTimeDays"] = 400;
        }).ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, s2);
        Assert.Equal(["casePack", "costs.holdingPerUnitDay", "leadTimeDays"], ErrorFields(p2));

        var (s3, p3, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d => d["policy"]!["name"] = "no-such-policy").ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, s3);
        Assert.Equal(["policy.name"], ErrorFields(p3));

        var (s4, p4, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d => d["policy"]!["parameters"]!["Q"] = 5).ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, s4);
        Assert.Equal(["policy.parameters"], ErrorFields(p4));

        var (s5, p5, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d => d["fulfilment"] = "sometimes").ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, s5);
        Assert.Equal(["fulfilment"], ErrorFields(p5));

        // none of them created the SKU
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}")).Status);
    }

    // ---- strict JSON: a body that could mean two things is refused, a bad body is told in full, nothing is booked ----

    [Fact]
    public async Task A_key_given_twice_is_refused_and_neither_value_is_booked()
    {
        var sku = NewSku("dup");
        await DefineAsync(sku, Definition());

        var (status, problem, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", RawJson("""{"eventId":"u20","eventId":"u21","units":1}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["eventId"], ErrorFields(problem));
        Assert.Equal("is given more than once; give each field once.", (string?)problem!["errors"]!["eventId"]![0]);
        Assert.Equal(0, (double)(await GetSkuAsync(sku))["pendingSales"]!);
        Assert.Equal("applied", (string?)(await SaleAsync(sku, "u21", 1))["status"]); // u21 was not applied before
    }

    [Fact]
    public async Task Field_names_are_case_sensitive()
    {
        var sku = NewSku("case");
        await DefineAsync(sku, Definition());

        var (status, problem, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", RawJson("""{"eventId":"c1","units":2,"Units":400}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["Units"], ErrorFields(problem));
        Assert.Equal("is not a field of this request (field names are case-sensitive).", (string?)problem!["errors"]!["Units"]![0]);
        Assert.Equal(0, (double)(await GetSkuAsync(sku))["pendingSales"]!);
    }

    [Fact]
    public async Task A_truncated_or_malformed_body_is_reported_as_such_not_as_a_wrong_type()
    {
        var sku = NewSku("cut");
        await DefineAsync(sku, Definition());

        var (s1, p1, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", RawJson("""{"eventId":"x","units":1"""));
        Assert.Equal(HttpStatusCode.BadRequest, s1);
        Assert.Equal(["body"], ErrorFields(p1));
        Assert.Equal("is truncated: the JSON ends before its last value or object is complete.", (string?)p1!["errors"]!["body"]![0]);

        var (s2, p2, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", RawJson("""{"eventId":"x",,"units":1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, s2);
        Assert.Equal(["body"], ErrorFields(p2));
        Assert.Equal("is not well-formed JSON (line 1, byte 16).", (string?)p2!["errors"]!["body"]![0]);

        Assert.Equal(0, (double)(await GetSkuAsync(sku))["pendingSales"]!);
    }

    [Fact]
    public async Task Every_field_error_is_reported_at_once_and_an_enum_error_lists_the_allowed_values()
    {
        var sku = NewSku("all");
        var (status, problem, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d =>
        {
            d["leadTimeDays"] = "two";
            d["unitCost"] = "cheap";
            d["fulfilment"] = "sometimes";
            d["costs"]!["fixedPerOrder"] = true;
            d["history"] = new JsonArray(1, "x", 3);
        }).ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["costs.fixedPerOrder", "fulfilment", "history[1]", "leadTimeDays", "unitCost"], ErrorFields(problem));
        var errors = problem!["errors"]!;
        Assert.Equal("must be one of 'lostSales', 'backorders'.", (string?)errors["fulfilment"]![0]);
        Assert.Equal("must be a whole JSON number.", (string?)errors["leadTimeDays"]![0]);
        Assert.Equal("must be a finite JSON number.", (string?)errors["unitCost"]![0]);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}")).Status);
    }

    [Fact]
    public async Task Unknown_sku_gets_404_problem()
    {
        var sku = NewSku("ghost");
        var get = await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}");
        Assert.Equal(HttpStatusCode.NotFound, get.Status);
        Assert.Equal("application/problem+json", get.Type?.MediaType);
        Assert.Equal(404, (int)get.Body!["status"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event("x", 1))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/close-day")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}/forecast")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(Host.Writer, $"/api/v1/orders/{sku}@2025-01-01/accept")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(Host.Writer, "/api/v1/orders/no-date/accept")).Status);
    }

    [Fact]
    public async Task Conflicting_changes_get_409_naming_the_field()
    {
        var sku = NewSku("conflict");
        await DefineAsync(sku, Definition());
        await SaleAsync(sku, "d0", 35);
        var suggestion = (await CloseAsync(sku))["suggestion"]!;
        await PostAsync(Host.Writer, $"/api/v1/orders/{suggestion["id"]}/accept");

        // 48 units on order: the lead time may not change
        var (s1, p1, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d => d["leadTimeDays"] = 5).ToJsonString()));
        Assert.Equal(HttpStatusCode.Conflict, s1);
        Assert.Equal(["leadTimeDays"], ErrorFields(p1));

        // the initial stock and the start day only shape the creation
        var (s2, p2, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d => { d["initialOnHand"] = 80; d["startDate"] = Iso(Today); }).ToJsonString()));
        Assert.Equal(HttpStatusCode.Conflict, s2);
        Assert.Equal(["initialOnHand", "startDate"], ErrorFields(p2));

        // the same master data again is 200, a new price is 200 and shows
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition().ToJsonString()))).Status);
        var (s3, changed, _) = await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson(Definition(d => { d["unitPrice"] = 120; d["category"] = "coats"; }).ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Equal("coats", (string?)changed!["category"]);
        Assert.Equal(48, (double)changed["onOrder"]!);

        // a sale for a closed day, an id reused with other units, a day that has not begun
        var (s4, p4, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event("late", 1, Today.AddDays(-10)));
        Assert.Equal(HttpStatusCode.Conflict, s4);
        Assert.Equal("Day closed", (string?)p4!["title"]);
        var (s5, _, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", Event("d0", 36));
        Assert.Equal(HttpStatusCode.Conflict, s5);
        var (s6, _, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/close-day", new JsonObject { ["date"] = Iso(Today.AddDays(2)) });
        Assert.Equal(HttpStatusCode.Conflict, s6);

        // closing a day that is already closed changes nothing
        var (s7, again, _) = await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/close-day", new JsonObject { ["date"] = Iso(Today.AddDays(-10)) });
        Assert.Equal(HttpStatusCode.OK, s7);
        Assert.Equal("alreadyClosed", (string?)again!["status"]);
        Assert.Equal(1, (await GetSkuAsync(sku))["daysClosed"]!.GetValue<int>());
    }

    [Fact]
    public async Task Oversized_body_gets_413_problem()
    {
        var sku = NewSku("big");
        await DefineAsync(sku, Definition());
        var padding = new string(' ', 1_100_000);

        // as clients do for large bodies, ask before sending it (else the server's early answer may meet a half-sent body)
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/skus/{sku}/sales") { Content = RawJson("{\"eventId\":\"x\",\"units\":1}" + padding) };
        request.Headers.ExpectContinue = true;
        using var response = await Host.Writer.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(413, (int)problem["status"]!);
        Assert.Equal(0, (double)(await GetSkuAsync(sku))["pendingSales"]!);
    }

    [Fact]
    public async Task Writes_need_a_write_key_and_reads_are_open()
    {
        var sku = NewSku("keys");
        var definition = RawJson(Definition().ToJsonString());
        using var wrong = Host.Client("not-a-key-of-this-host");
        using var reader = Host.Client(LiveHost.ReadKey);

        var none = await PutAsync(Host.Anonymous, $"/api/v1/skus/{sku}", RawJson(Definition().ToJsonString()));
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal("application/problem+json", none.Type?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PutAsync(wrong, $"/api/v1/skus/{sku}", RawJson(Definition().ToJsonString()))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(reader, $"/api/v1/skus/{sku}", definition)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}")).Status);

        await DefineAsync(sku, Definition());
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Host.Anonymous, $"/api/v1/skus/{sku}/sales", Event("x", 1))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(reader, $"/api/v1/skus/{sku}/sales", Event("x", 1))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Host.Anonymous, $"/api/v1/skus/{sku}/close-day")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Host.Anonymous, "/api/v1/sales:batch", new JsonObject())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Host.Anonymous, $"/api/v1/orders/{sku}@2025-01-01/accept")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Host.Anonymous, "/api/v1/replays", new JsonObject())).Status);

        // reads: open without a key, fine with either key, refused with a key that is not valid
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(reader, $"/api/v1/skus/{sku}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(wrong, $"/api/v1/skus/{sku}")).Status);

        // none of the refused writes was applied
        Assert.Equal(0, (double)(await GetSkuAsync(sku))["pendingSales"]!);
    }

    [Fact]
    public async Task Batch_applies_each_item_as_a_single_post_would()
    {
        var a = NewSku("batch-a");
        var b = NewSku("batch-b");
        await DefineAsync(a, Definition());
        await DefineAsync(b, Definition());
        await SaleAsync(b, "old", 2);

        var body = new JsonObject
        {
            ["sales"] = new JsonArray(
                new JsonObject { ["sku"] = a, ["eventId"] = "1", ["units"] = 5 },
                new JsonObject { ["sku"] = b, ["eventId"] = "1", ["units"] = 7 },
                new JsonObject { ["sku"] = a, ["eventId"] = "1", ["units"] = 5 },
                new JsonObject { ["sku"] = b, ["eventId"] = "old", ["units"] = 2 },
                new JsonObject { ["sku"] = "missing-" + a, ["eventId"] = "1", ["units"] = 1 },
                new JsonObject { ["sku"] = a, ["eventId"] = "2", ["units"] = 0 },
                new JsonObject { ["sku"] = a, ["eventId"] = "3", ["units"] = 1.5 }),
        };
        var (status, result, _) = await PostAsync(Host.Writer, "/api/v1/sales:batch", body);
        Assert.Equal(HttpStatusCode.OK, status);
        var items = result!["results"]!.AsArray();
        Assert.Equal(["applied", "applied", "duplicate", "duplicate", "unknownSku", "invalid", "applied"], items.Select(i => (string?)i!["status"]));
        Assert.Equal([200, 200, 200, 200, 404, 400, 200], items.Select(i => (int)i!["httpStatus"]!));
        Assert.Equal(["units"], items[5]!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(3, (int)result["applied"]!);
        Assert.Equal(2, (int)result["duplicates"]!);
        Assert.Equal(2, (int)result["failed"]!);
        Assert.Equal(5 + 1.5, (double)(await GetSkuAsync(a))["pendingSales"]!);
        Assert.Equal(2 + 7, (double)(await GetSkuAsync(b))["pendingSales"]!);

        var (emptyStatus, empty, _) = await PostAsync(Host.Writer, "/api/v1/sales:batch", new JsonObject { ["sales"] = new JsonArray() });
        Assert.Equal(HttpStatusCode.BadRequest, emptyStatus);
        Assert.Equal(["sales"], ErrorFields(empty));
    }

    [Fact]
    public async Task Order_book_pages_open_orders_and_accepting_moves_them()
    {
        var skus = new[] { NewSku("book"), NewSku("book"), NewSku("book") };
        var ids = new List<string>();
        foreach (var sku in skus)
        {
            await DefineAsync(sku, Definition());
            await SaleAsync(sku, "d0", 40);
            ids.Add((string)(await CloseAsync(sku))["suggestion"]!["id"]!);
        }

        var seen = new List<string>();
        var (firstStatus, first, _) = await GetAsync(Host.Anonymous, "/api/v1/orders?status=open&page=1&pageSize=2");
        Assert.Equal(HttpStatusCode.OK, firstStatus);
        var total = (int)first!["total"]!;
        Assert.True(total >= 3, $"total {total}");
        for (var page = 1; (page - 1) * 2 < total; page++)
        {
            var (_, body, _) = await GetAsync(Host.Anonymous, $"/api/v1/orders?status=open&page={page}&pageSize=2");
            var orders = body!["orders"]!.AsArray();
            Assert.True(orders.Count <= 2);
            seen.AddRange(orders.Select(o => (string)o!["id"]!));
        }

        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(ids, id => Assert.Contains(id, seen));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Host.Writer, $"/api/v1/orders/{ids[0]}/accept")).Status);
        var (_, open, _) = await GetAsync(Host.Anonymous, "/api/v1/orders?status=open&pageSize=200");
        Assert.DoesNotContain(ids[0], open!["orders"]!.AsArray().Select(o => (string)o!["id"]!));
        Assert.Equal(total - 1, (int)open["total"]!);
        var (_, accepted, _) = await GetAsync(Host.Anonymous, "/api/v1/orders?status=accepted&pageSize=200");
        Assert.Contains(ids[0], accepted!["orders"]!.AsArray().Select(o => (string)o!["id"]!));

        // the next close supersedes an open suggestion: it leaves the book and can no longer be accepted
        await SaleAsync(skus[1], "d1", 1);
        var next = (await CloseAsync(skus[1]))["suggestion"]!;
        var (_, afterClose, _) = await GetAsync(Host.Anonymous, "/api/v1/orders?status=open&pageSize=200");
        var openIds = afterClose!["orders"]!.AsArray().Select(o => (string)o!["id"]!).ToList();
        Assert.DoesNotContain(ids[1], openIds);
        Assert.Contains((string)next["id"]!, openIds);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(Host.Writer, $"/api/v1/orders/{ids[1]}/accept")).Status);

        var (badStatus, bad, _) = await GetAsync(Host.Anonymous, "/api/v1/orders?status=closed&page=0&pageSize=1000");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal(["page", "pageSize", "status"], ErrorFields(bad));
    }

    [Fact]
    public async Task Forecast_repeats_the_last_week_under_seasonal_naive()
    {
        var sku = NewSku("fc");
        double[] week = [3, 5, 8, 13, 21, 34, 55];
        await DefineAsync(sku, Definition(d => d["history"] = new JsonArray([.. week.Concat(week).Select(v => (JsonNode)v)])));

        var (status, forecast, _) = await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}/forecast?horizon=7");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("seasonal-naive", (string?)forecast!["forecaster"]);
        Assert.Equal(14, (int)forecast["historyDays"]!);
        Assert.Equal([0.1, 0.5, 0.9], forecast["levels"]!.AsArray().Select(l => (double)l!));
        var days = forecast["days"]!.AsArray();
        Assert.Equal(week, days.Select(d => (double)d!["mean"]!));
        Assert.Equal(Iso(Today.AddDays(-10)), (string?)days[0]!["date"]);
        Assert.All(days, d =>
        {
            var q = d!["quantiles"]!.AsArray().Select(v => (double)v!).ToArray();
            Assert.True(q[0] <= q[1] && q[1] <= q[2], string.Join(", ", q));
        });

        Assert.Equal(["horizon"], ErrorFields((await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}/forecast?horizon=0")).Body));
        Assert.Equal(["horizon"], ErrorFields((await GetAsync(Host.Anonymous, $"/api/v1/skus/{sku}/forecast?horizon=abc")).Body));

        var empty = NewSku("fc-empty");
        await DefineAsync(empty, Definition());
        Assert.Equal(HttpStatusCode.Conflict, (await GetAsync(Host.Anonymous, $"/api/v1/skus/{empty}/forecast")).Status);

        // the day close stores a forecast starting on the new open day, over at least lead time + review period
        var stored = (await CloseAsync(sku))["sku"]!["forecast"]!;
        Assert.Equal(Iso(Today.AddDays(-9)), (string?)stored["start"]);
        Assert.Equal(14, stored["days"]!.AsArray().Count);
    }

    [Fact]
    public async Task Defining_a_sku_registers_a_daily_close_reminder_that_closes_every_day_before_today()
    {
        var sku = NewSku("remind");
        await DefineAsync(sku, Definition(d => d["startDate"] = Iso(Today.AddDays(-3))));
        var grain = Host.Grains.GetGrain<ILiveSkuGrain>(SkuKeys.Live(sku));
        var table = (IReminderTable)Host.Services.GetService(typeof(IReminderTable))!;
        var entry = await table.ReadRow(grain.GetGrainId(), LiveSkuGrain.CloseReminder);
        Assert.NotNull(entry);
        Assert.Equal(TimeSpan.FromDays(1), entry.Period);

        await SaleAsync(sku, "d0", 2, Today.AddDays(-3));
        await SaleAsync(sku, "d2", 5, Today.AddDays(-1));
        await SaleAsync(sku, "today", 1, Today);

        // what the reminder service calls once a day
        await grain.AsReference<IRemindable>().ReceiveReminder(LiveSkuGrain.CloseReminder, new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(1), DateTime.UtcNow));

        var view = await GetSkuAsync(sku);
        Assert.Equal(3, view["daysClosed"]!.GetValue<int>());
        Assert.Equal(Iso(Today), (string?)view["openDate"]);
        Assert.Equal([2, 0, 5], view["days"]!.AsArray().Select(d => (double)d!["sales"]!));
        Assert.Equal(1, (double)view["pendingSales"]!);
        Assert.Equal(50 - 7, (double)view["onHand"]!);
    }
}
