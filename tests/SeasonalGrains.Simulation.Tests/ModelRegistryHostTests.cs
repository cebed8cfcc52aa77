using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Grains.Live;
using SeasonalGrains.Grains.Live.Registry;
using static SeasonalGrains.Simulation.Tests.CliReplayTests;
using static SeasonalGrains.Simulation.Tests.LiveLstmHostTests;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>The host with a model registry (<c>Live:Registry</c>): its endpoints, and live SKUs forecasting with the active version.</summary>
[Collection(CliCollection.Name)]
public sealed class ModelRegistryHostTests(TinyLiveModel tiny) : IDisposable
{
    private const string ReadKey = "model-registry-read-key-0123456789";

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-registry-host-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Activating_version_2_and_rolling_back_switch_the_version_a_live_SKU_forecasts_with()
    {
        var retrained = await tiny.RetrainedAsync();
        await using var host = await StartAsync(Settings(new() { ["Live:Model"] = tiny.Model, ["Live:Registry:Provider"] = "memory" }));
        await DefineLiveSkuAsync(host);

        var empty = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/models");
        Assert.Null((string?)empty!["active"]);
        Assert.Equal("tiny@" + LiveModels.Fingerprint(tiny.Model), (string?)empty["serving"]); // Live:Model until a version is active
        Assert.Empty(empty["versions"]!.AsArray());

        var (status1, first, location1) = await PostAsync(host, "/api/v1/models", new JsonObject { ["path"] = "models/tiny", ["name"] = "jackets" });
        Assert.Equal(HttpStatusCode.Created, status1);
        Assert.Equal("/api/v1/models/jackets@1", location1);
        Assert.Equal("jackets@1", (string?)first!["model"]);
        Assert.True((bool)first["active"]!);
        Assert.Equal(LiveModels.Fingerprint(tiny.Model), (string?)first["fingerprint"]);
        var onFirst = await ForecastAsync(host);
        Assert.Equal("jackets@1", (string?)onFirst["modelVersion"]);

        var (status2, second, _) = await PostAsync(host, "/api/v1/models", new JsonObject { ["path"] = Path.GetRelativePath(tiny.Root, retrained), ["name"] = "jackets" });
        Assert.Equal(HttpStatusCode.Created, status2);
        Assert.Equal("jackets@2", (string?)second!["model"]);
        Assert.False((bool)second["active"]!);
        Assert.Equal("jackets@1", (string?)(await ForecastAsync(host))["modelVersion"]);

        var (activated, list, _) = await PostAsync(host, "/api/v1/models/activate", new JsonObject { ["model"] = "jackets@2" });
        Assert.Equal(HttpStatusCode.OK, activated);
        Assert.Equal(("jackets@2", "jackets@2"), ((string?)list!["active"], (string?)list["serving"]));
        Assert.Equal([false, true], list["versions"]!.AsArray().Select(v => (bool)v!["active"]!));
        var onSecond = await ForecastAsync(host);
        Assert.Equal("jackets@2", (string?)onSecond["modelVersion"]);
        Assert.NotEqual(Means(onFirst), Means(onSecond)); // other weights, other numbers

        var (rolledBack, afterRollback, _) = await PostAsync(host, "/api/v1/models/rollback", null);
        Assert.Equal(HttpStatusCode.OK, rolledBack);
        Assert.Equal(("jackets@1", "jackets@1"), ((string?)afterRollback!["active"], (string?)afterRollback["serving"]));
        var again = await ForecastAsync(host);
        Assert.Equal("jackets@1", (string?)again["modelVersion"]);
        Assert.Equal(Means(onFirst), Means(again));

        var (nothing, problem, _) = await PostAsync(host, "/api/v1/models/rollback", null);
        Assert.Equal(HttpStatusCode.Conflict, nothing);
        Assert.Equal("There is no previously active version to roll back to: jackets@1 is the only version activated.", (string?)problem!["detail"]);
    }

    [Fact]
    public async Task A_version_that_forecasts_fewer_days_than_the_host_needs_is_not_activated()
    {
        // the tiny model's options with a 7-day horizon; the host forecasts 14 days (Live:ForecastHorizonDays)
        using var model = LstmModel.Load(tiny.Model);
        var shortFolder = Path.Combine(tiny.Root, "models", "tiny-7-days");
        if (!Directory.Exists(shortFolder))
        {
            using var trained = LstmTrainer.Train(tiny.Dataset, model.Metadata.Hyperparameters with { Horizon = 7, TrainEndDay = null, TimeBudget = null }).Model;
            trained.Save(shortFolder);
        }

        await using var host = await StartAsync(Settings(new() { ["Live:Model"] = tiny.Model, ["Live:Registry:Provider"] = "memory", ["Live:ForecastHorizonDays"] = "14" }));
        await PostAsync(host, "/api/v1/models", new JsonObject { ["path"] = "models/tiny", ["name"] = "jackets" });
        var (added, _, _) = await PostAsync(host, "/api/v1/models", new JsonObject { ["path"] = "models/tiny-7-days", ["name"] = "jackets" });

        var (status, problem, _) = await PostAsync(host, "/api/v1/models/activate", new JsonObject { ["model"] = "jackets@2" });
        var list = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/models");

        Assert.Equal(HttpStatusCode.Created, added);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(
            "jackets@2 forecasts 7 days, but this host's Live:ForecastHorizonDays is 14: its live SKUs could not forecast with it.",
            (string?)problem!["detail"]);
        Assert.Equal(("jackets@1", "jackets@1"), ((string?)list!["active"], (string?)list["serving"]));
        Assert.Equal([28, 7], list["versions"]!.AsArray().Select(v => (int)v!["horizonDays"]!));
    }

    [Fact]
    public async Task Bad_requests_get_problem_details_and_changes_need_a_write_key()
    {
        await using var host = await StartAsync(Settings(new() { ["Live:Model"] = tiny.Model, ["Live:Registry:Provider"] = "memory" }));
        await PostAsync(host, "/api/v1/models", new JsonObject { ["path"] = "models/tiny", ["name"] = "jackets" });
        Directory.CreateDirectory(Path.Combine(tiny.Root, "empty-model"));

        var unknown = await PostAsync(host, "/api/v1/models/activate", new JsonObject { ["model"] = "jackets@9" });
        var malformed = await PostAsync(host, "/api/v1/models/activate", new JsonObject { ["model"] = "jackets" });
        var outside = await PostAsync(host, "/api/v1/models", new JsonObject { ["path"] = "/etc" });
        var unloadable = await PostAsync(host, "/api/v1/models", new JsonObject { ["path"] = "empty-model" });
        var twice = await PostAsync(host, "/api/v1/models", new JsonObject { ["path"] = "models/tiny", ["name"] = "jackets" });
        var badName = await PostAsync(host, "/api/v1/models", new JsonObject { ["path"] = "models/tiny", ["name"] = "no spaces" });
        var one = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/models/jackets@1");

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("There is no model version jackets@9; known versions: jackets@1.", (string?)unknown.Body!["detail"]);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal("'jackets' is not NAME@VERSION (e.g. down-jackets@2).", (string?)malformed.Body!["errors"]!["model"]![0]);
        Assert.Equal(HttpStatusCode.BadRequest, outside.Status);
        Assert.Equal("must lie inside the server's model folder (Api:ModelRoot), symbolic links followed.", (string?)outside.Body!["errors"]!["path"]![0]);
        Assert.Equal(HttpStatusCode.BadRequest, unloadable.Status);
        Assert.Equal(
            "The model folder 'empty-model' does not load: 'empty-model' is not an LSTM model folder: it needs model.json and weights.bin. Make one with `seasonal train --dataset DIR --out DIR`.",
            (string?)unloadable.Body!["errors"]!["path"]![0]); // named relative to the model folder, never the server's own path
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badName.Status);
        Assert.StartsWith("'no spaces' is not a model name", (string?)badName.Body!["errors"]!["name"]![0], StringComparison.Ordinal);
        Assert.Equal("jackets@1", (string?)one!["model"]);
        Assert.Equal(LiveModels.Fingerprint(tiny.Model), (string?)one["fingerprint"]);

        using var anonymous = new HttpClient { BaseAddress = host.Writer.BaseAddress };
        using var reader = new HttpClient { BaseAddress = host.Writer.BaseAddress };
        reader.DefaultRequestHeaders.Add("X-Api-Key", ReadKey);
        var body = new StringContent("""{"model":"jackets@1"}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/models/activate", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/v1/models/rollback", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/v1/models")).StatusCode);
    }

    [Fact]
    public async Task A_host_on_a_folder_registry_serves_its_active_version_from_the_start_and_follows_an_activation_made_elsewhere()
    {
        var registry = Path.Combine(_root, "registry");
        Assert.Equal(0, (await Run(["models", "add", "--path", tiny.Model, "--name", "jackets", "--registry", registry])).Code);
        Assert.Equal(0, (await Run(["models", "add", "--path", await tiny.RetrainedAsync(), "--name", "jackets", "--registry", registry])).Code);
        await using var host = await StartAsync(Settings(new()
        {
            ["Live:Registry:Provider"] = "folder",
            ["Live:Registry:Folder"] = registry,
            ["Live:Registry:PollInterval"] = "00:00:00.200",
        }));
        await DefineLiveSkuAsync(host);
        Assert.Equal("jackets@1", (string?)(await ForecastAsync(host))["modelVersion"]); // no Live:Model: the registry's active version

        Assert.Equal(0, (await Run(["models", "activate", "jackets@2", "--registry", registry])).Code); // as another process would

        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? version;
        while ((version = (string?)(await ForecastAsync(host))["modelVersion"]) != "jackets@2" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal("jackets@2", version);
    }

    [Fact]
    public async Task A_registry_whose_active_version_cannot_be_served_or_that_has_none_stops_the_host_at_start()
    {
        var empty = Path.Combine(_root, "empty");
        var damaged = Path.Combine(_root, "damaged");
        Assert.Equal(0, (await Run(["models", "add", "--path", tiny.Model, "--name", "jackets", "--registry", damaged])).Code);
        File.AppendAllText(Path.Combine(damaged, "jackets", "1", LstmModel.WeightsFile), "x");

        var none = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(Settings(new() { ["Live:Registry:Provider"] = "folder", ["Live:Registry:Folder"] = empty })));
        var bad = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(Settings(new() { ["Live:Registry:Provider"] = "folder", ["Live:Registry:Folder"] = damaged })));
        var postgres = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(Settings(new() { ["Live:Registry:Provider"] = "postgres" })));

        Assert.Equal(
            $"invalid settings: Live:Registry: the model registry folder {empty} has no active version and Live:Model is not set: add a model with `seasonal models add --path DIR` (or set Live:Model).",
            SeasonalGrains.Host.Hosting.StartupErrors.Explain(none));
        Assert.StartsWith(
            $"invalid settings: Live:Registry: the active version jackets@1 of the model registry folder {damaged} cannot be served: the files of jackets@1 do not match its fingerprint {LiveModels.Fingerprint(tiny.Model)}",
            SeasonalGrains.Host.Hosting.StartupErrors.Explain(bad), StringComparison.Ordinal);
        Assert.Equal(
            "invalid settings: Live:Registry:Provider postgres keeps the registry in the storage database: it needs Storage:Provider=postgres.",
            SeasonalGrains.Host.Hosting.StartupErrors.Explain(postgres));
    }

    private Dictionary<string, string> Settings(Dictionary<string, string> settings)
    {
        settings["Live:Forecaster"] = "lstm";
        settings["Live:Registry:CacheFolder"] = Path.Combine(_root, "cache");
        settings["Api:ModelRoot"] = tiny.Root;
        settings["Api:Keys:1:Name"] = "tests-reader";
        settings["Api:Keys:1:Key"] = ReadKey;
        settings["Api:Keys:1:Role"] = "read";
        return settings;
    }

    private async Task DefineLiveSkuAsync(LiveHost host)
    {
        var source = tiny.Dataset.Skus[0];
        await DefineAsync(host, "live-1", source.Category, source.Region, source.UnitPrice, tiny.Dataset.Series[0].Units[^60..]);
    }

    private static async Task<JsonObject> ForecastAsync(LiveHost host) =>
        (await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/skus/live-1/forecast?horizon=14"))!;

    private static double[] Means(JsonObject forecast) => [.. forecast["days"]!.AsArray().Select(d => (double)d!["mean"]!)];

    private static async Task<(HttpStatusCode Status, JsonNode? Body, string? Location)> PostAsync(LiveHost host, string path, JsonObject? body)
    {
        using var response = await host.Writer.PostAsync(path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers.Location?.OriginalString);
    }
}
