using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using static SeasonalGrains.Host.Tests.Http;

namespace SeasonalGrains.Host.Tests;

/// <summary>The live API's rules with grain state in memory.</summary>
[Collection(InMemoryHostFixture.Collection)]
public sealed class InMemoryLiveApiTests(InMemoryHostFixture fixture) : LiveApiContract(fixture);

/// <summary>The live API's rules with grain state and reminders in PostgreSQL, and what must survive a restart.</summary>
[Collection(PostgresHostFixture.Collection)]
public sealed class PostgresLiveApiTests(PostgresHostFixture fixture) : LiveApiContract(fixture)
{
    [Fact]
    public async Task Sales_suggestions_and_remembered_ids_survive_a_host_restart()
    {
        var sku = NewSku("restart");
        await DefineAsync(sku, Definition());
        await SaleAsync(sku, "d0", 35);
        var suggestion = (string)(await CloseAsync(sku))["suggestion"]!["id"]!;
        await SaleAsync(sku, "d1-a", 4);

        await fixture.RestartAsync();

        // a retry of an event applied before the restart is still a duplicate, and nothing was lost
        Assert.Equal("duplicate", (string?)(await SaleAsync(sku, "d1-a", 4))["status"]);
        var view = await GetSkuAsync(sku);
        Assert.Equal(15, (double)view["onHand"]!);
        Assert.Equal(4, (double)view["pendingSales"]!);
        Assert.Equal(suggestion, (string?)view["suggestion"]!["id"]);

        // the order book came back from PostgreSQL too, and the suggestion can still be accepted
        var (_, open, _) = await GetAsync(Host.Anonymous, "/api/v1/orders?status=open&pageSize=200");
        Assert.Contains(suggestion, open!["orders"]!.AsArray().Select(o => (string)o!["id"]!));
        var (status, accepted, _) = await PostAsync(Host.Writer, $"/api/v1/orders/{suggestion}/accept");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(48, (double)accepted!["units"]!);
        Assert.Equal(48, (double)(await GetSkuAsync(sku))["onOrder"]!);
    }
}

/// <summary>What only needs one storage: replays, the API description, metrics.</summary>
[Collection(InMemoryHostFixture.Collection)]
public sealed class HostServiceTests(InMemoryHostFixture fixture)
{
    private LiveHost Host => fixture.Host;

    [Fact]
    public async Task Replay_of_a_scenario_file_runs_to_per_policy_results()
    {
        var (status, started, _) = await PostAsync(Host.Writer, "/api/v1/replays", new JsonObject { ["scenarioPath"] = "steady/scenario.json" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = (string)started!["id"]!;
        var replay = await FinishedReplayAsync(id, TimeSpan.FromSeconds(120));
        Assert.True((string?)replay["state"] == "succeeded", replay.ToJsonString());
        Assert.Equal(1.0, (double)replay["fraction"]!);
        var results = replay["results"]!;
        Assert.Equal(50, (int)results["skus"]!);
        Assert.Equal(365, (int)results["days"]!);
        Assert.Equal(["base-stock", "sS", "RS"], results["policies"]!.AsArray().Select(p => (string?)p!["label"]));
        Assert.All(results["policies"]!.AsArray(), p =>
        {
            var fill = (double)p!["fillRate"]!;
            Assert.InRange(fill, 0.5, 1.0);
            Assert.True((double)p["unitsDemanded"]! > 0);
        });
        Assert.True(File.Exists(Path.Combine(fixture.ReplayOutput, id, "summary.json")));

        // the resource names paths relative to the scenario and output folders, never the server's folders
        Assert.Equal("steady/scenario.json", (string?)replay["scenarioPath"]);
        Assert.Equal(id, (string?)replay["outDir"]);
        Assert.Equal(id, (string?)replay["detail"]);
        Assert.DoesNotContain(Repository.Root, replay.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.ReplayOutput, replay.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_replay_of_forecast_policies_succeeds_and_writes_what_the_command_line_replay_writes()
    {
        var scenario = Path.Combine(Repository.Root, "simulations", "steady", "forecast.json");
        var (status, started, _) = await PostAsync(Host.Writer, "/api/v1/replays", new JsonObject { ["scenarioPath"] = "steady/forecast.json" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = (string)started!["id"]!;
        var replay = await FinishedReplayAsync(id, TimeSpan.FromSeconds(180));
        Assert.True((string?)replay["state"] == "succeeded", replay.ToJsonString());
        Assert.Equal(
            ["sS", "forecast-order-up-to:seasonal-naive", "forecast-lookahead:seasonal-naive"],
            replay["results"]!["policies"]!.AsArray().Select(p => (string?)p!["label"]));

        // the same scenario through the command line's path (an embedded silo in this process): the same per-SKU results
        var outDir = Directory.CreateTempSubdirectory("seasonalgrains-cli-replay-").FullName;
        try
        {
            await using var silo = await SeasonalGrains.Simulation.Hosting.EmbeddedSilo.StartAsync();
            var forecasts = silo.Services.GetRequiredService<SeasonalGrains.Grains.Forecasting.ReplayForecastService>();
            var (_, written) = await SeasonalGrains.Simulation.Replay.ReplayRunner.RunAsync(
                new SeasonalGrains.Simulation.Replay.ReplayRequest { ScenarioPath = scenario, OutDir = outDir }, silo.Grains, forecasts);
            Assert.Equal(
                File.ReadAllText(Path.Combine(written, "per-sku.csv")),
                File.ReadAllText(Path.Combine(fixture.ReplayOutput, id, "per-sku.csv")));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    /// <summary>Polls a replay until it is no longer running (or the time is up) and returns its last state.</summary>
    private async Task<JsonNode> FinishedReplayAsync(string id, TimeSpan within)
    {
        JsonNode? replay = null;
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            (_, replay, _) = await GetAsync(Host.Anonymous, $"/api/v1/replays/{id}");
            if ((string?)replay!["state"] != "running")
            {
                break;
            }

            await Task.Delay(250);
        }

        return replay!;
    }

    [Fact]
    public async Task Replay_requests_outside_the_scenario_folder_or_of_missing_files_get_400()
    {
        var (s1, p1, _) = await PostAsync(Host.Writer, "/api/v1/replays", new JsonObject { ["scenarioPath"] = "../../etc/passwd" });
        Assert.Equal(HttpStatusCode.BadRequest, s1);
        Assert.Equal(["scenarioPath"], ErrorFields(p1));
        var (s2, p2, _) = await PostAsync(Host.Writer, "/api/v1/replays", new JsonObject { ["scenarioPath"] = "steady/missing.json" });
        Assert.Equal(HttpStatusCode.BadRequest, s2);
        Assert.Equal(["scenarioPath"], ErrorFields(p2));
        var (s3, p3, _) = await PostAsync(Host.Writer, "/api/v1/replays", new JsonObject { ["scenarioPath"] = "steady/scenario.json", ["policies"] = new JsonArray("nope") });
        Assert.Equal(HttpStatusCode.BadRequest, s3);
        Assert.Equal(["policies"], ErrorFields(p3));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(Host.Anonymous, "/api/v1/replays/unknown")).Status);
    }

    [Fact]
    public async Task OpenApi_document_reference_page_and_metrics_are_served()
    {
        var (status, document, _) = await GetAsync(Host.Anonymous, "/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, status);
        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in new[] { "/api/v1/skus/{sku}", "/api/v1/skus/{sku}/sales", "/api/v1/skus/{sku}/receipts", "/api/v1/sales:batch", "/api/v1/skus/{sku}/close-day", "/api/v1/skus/{sku}/forecast", "/api/v1/orders", "/api/v1/orders/{id}/accept", "/api/v1/replays", "/api/v1/replays/{id}" })
        {
            Assert.Contains(path, paths);
        }

        Assert.Equal("PostSale", (string?)document["paths"]!["/api/v1/skus/{sku}/sales"]!["post"]!["operationId"]);

        var scalar = await Host.Anonymous.GetStringAsync("/scalar/");
        Assert.Contains("scalar.js", scalar, StringComparison.Ordinal);
        using var script = await Host.Anonymous.GetAsync("/scalar/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);

        var sku = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        await PutAsync(Host.Writer, $"/api/v1/skus/{sku}", RawJson("""{"leadTimeDays":1,"policy":{"name":"base-stock","parameters":{"S":5}}}"""));
        await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/sales", new JsonObject { ["eventId"] = "m1", ["units"] = 2 });
        await PostAsync(Host.Writer, $"/api/v1/skus/{sku}/close-day");
        var metrics = await Host.Anonymous.GetStringAsync("/metrics");
        Assert.Contains("seasonal_live_days_closed_total", metrics, StringComparison.Ordinal);
        Assert.Contains("seasonal_live_events_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("outcome=\"applied\"", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(LiveHost.WriteKey, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unexpected_routes_and_errors_answer_with_problem_details()
    {
        var (status, problem, type) = await GetAsync(Host.Anonymous, "/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", type?.MediaType);
        Assert.Equal(404, (int)problem!["status"]!);

        using var text = new StringContent("units=3", System.Text.Encoding.UTF8, "text/plain");
        var (mediaStatus, mediaProblem, _) = await SendAsync(Host.Writer, HttpMethod.Post, "/api/v1/skus/x1/sales", text);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, mediaStatus);
        Assert.DoesNotContain("   at ", mediaProblem!.ToJsonString(), StringComparison.Ordinal);
    }
}
