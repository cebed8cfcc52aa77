using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Grains.Live;
using static SeasonalGrains.Simulation.Tests.CliReplayTests;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>
/// A tiny model (1 x 8 LSTM, 2 epochs) trained by <c>seasonal train</c> on a generated down-jackets dataset (4 SKUs, one
/// year), shared by the tests of the CLI collection (the host that serves it to live SKUs, the model registry).
/// </summary>
public sealed class TinyLiveModel : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("seasonal-live-lstm-").FullName;

    public string Data => Path.Combine(Root, "data");

    public string Model => Path.Combine(Root, "models", "tiny");

    public Dataset Dataset { get; private set; } = null!;

    private Task<string>? _retrained;

    /// <summary>A second model of the same data and size (seed 4, other weights, so another fingerprint), trained on first use.</summary>
    public Task<string> RetrainedAsync() => _retrained ??= TrainAsync("tiny-2", seed: 4);

    private async Task<string> TrainAsync(string name, int seed)
    {
        var folder = Path.Combine(Root, "models", name);
        var train = await Run(["train", "--dataset", Data, "--out", folder, "--epochs", "2", "--hidden", "8", "--layers", "1", "--seed", seed.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(train.Code == 0, train.Output + train.Error);
        return folder;
    }

    public async Task InitializeAsync()
    {
        var generate = await Run(["generate", "--preset", "down-jackets", "--skus", "4", "--years", "1", "--seed", "3", "--out", Data]);
        Assert.True(generate.Code == 0, generate.Error);
        await TrainAsync("tiny", seed: 3);
        Dataset = DatasetReader.Read(Data);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The host with <c>Live:Forecaster=lstm</c> and <c>Live:Model</c>: live SKUs forecast with the model through the silo's batcher.</summary>
[Collection(CliCollection.Name)]
public sealed class LiveLstmHostTests(TinyLiveModel tiny)
{

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task A_SKU_of_the_models_categories_defined_with_history_forecasts_with_the_lstm_and_names_its_model_version()
    {
        await using var host = await StartAsync(new() { ["Live:Forecaster"] = "lstm", ["Live:Model"] = tiny.Model });
        var source = tiny.Dataset.Skus[0];
        var units = tiny.Dataset.Series[0].Units;
        var history = units[^60..];
        await DefineAsync(host, "live-1", source.Category, source.Region, source.UnitPrice, history);
        var closed = await host.Writer.PostAsync("/api/v1/skus/live-1/close-day", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        var forecast = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/skus/live-1/forecast?horizon=14");
        var view = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/skus/live-1");

        // the version is the folder's name and the first 12 hex digits of SHA-256(model.json bytes, then weights.bin bytes)
        var bytes = File.ReadAllBytes(Path.Combine(tiny.Model, LstmModel.MetadataFile)).Concat(File.ReadAllBytes(Path.Combine(tiny.Model, LstmModel.WeightsFile))).ToArray();
        var version = "tiny@" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
        Assert.Equal("lstm", (string?)forecast!["forecaster"]);
        Assert.Equal(version, (string?)forecast["modelVersion"]);
        Assert.Null(forecast["fallbackReason"]);
        Assert.Equal(61, (int)forecast["historyDays"]!); // 60 seeded days + the closed day (no sales: 0 units)
        Assert.Equal("lstm", (string?)view!["forecaster"]);
        Assert.Equal(version, (string?)view["modelVersion"]);
        Assert.Equal(version, (string?)view["forecast"]!["modelVersion"]);

        // the same numbers as the model's own forecaster over the SKU's window laid out as a dataset
        using var model = LstmModel.Load(tiny.Model);
        var window = new LiveFeatureWindow
        {
            Sku = "live-1",
            Category = source.Category,
            Region = source.Region,
            UnitPrice = source.UnitPrice,
            Origin = Today.AddDays(1),
            Units = [.. history, 0],
        };
        var expected = new LstmForecaster(model).Forecast(new ForecastRequest(window.ToDataset(model.Horizon, model.Schema.EventColumns), 61, 14, [0.1, 0.5, 0.9]))[0];
        var days = forecast["days"]!.AsArray();
        Assert.Equal(14, days.Count);
        for (var h = 0; h < 14; h++)
        {
            Assert.Equal(expected.Mean[h], (double)days[h]!["mean"]!, 9);
            Assert.Equal(expected.Quantiles[h][1], (double)days[h]!["quantiles"]![1]!, 9);
        }
    }

    [Fact]
    public async Task Posted_prices_promotions_calendar_and_weather_reach_the_lstms_window()
    {
        await using var host = await StartAsync(new() { ["Live:Forecaster"] = "lstm", ["Live:Model"] = tiny.Model });
        var source = tiny.Dataset.Skus[0];
        var history = tiny.Dataset.Series[0].Units[^60..];
        await DefineAsync(host, "plain", source.Category, source.Region, source.UnitPrice, history);
        await DefineAsync(host, "promoted", source.Category, source.Region, source.UnitPrice, history);
        var region = Uri.EscapeDataString(source.Region);
        for (var h = 0; h < 7; h++)
        {
            var day = Today.AddDays(h).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await PostOkAsync(host, "/api/v1/skus/promoted/prices", new JsonObject { ["eventId"] = $"p{h}", ["date"] = day, ["price"] = source.UnitPrice * 0.7, ["promo"] = true });
        }

        var yesterday = Today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await PostOkAsync(host, "/api/v1/calendar", new JsonObject { ["eventId"] = "c1", ["date"] = Today.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["holiday"] = "Christmas" });
        await PostOkAsync(host, $"/api/v1/weather/{region}", new JsonObject { ["eventId"] = "w1", ["date"] = yesterday, ["tempC"] = -12.0, ["humidity"] = 90.0, ["precipMm"] = 8.0 });

        var plain = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/skus/plain/forecast?horizon=14");
        var promoted = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/skus/promoted/forecast?horizon=14");

        using var model = LstmModel.Load(tiny.Model);
        var calendar = new Abstractions.Live.LiveCalendarDay { Date = Today.AddDays(2), Holiday = "Christmas" };
        var weather = new Abstractions.Live.LiveWeatherDay { Date = Today.AddDays(-1), TempC = -12, Humidity = 90, PrecipMm = 8 };
        var window = new LiveFeatureWindow
        {
            Sku = "promoted",
            Category = source.Category,
            Region = source.Region,
            UnitPrice = source.UnitPrice,
            Origin = Today,
            Units = history,
            Prices = [.. Enumerable.Range(0, 7).Select(h => new Abstractions.Live.LivePriceDay { Date = Today.AddDays(h), Price = source.UnitPrice * 0.7, Promo = true })],
            Calendar = [calendar],
            Weather = [weather],
        };
        var expected = new LstmForecaster(model).Forecast(new ForecastRequest(window.ToDataset(model.Horizon, model.Schema.EventColumns), 60, 14, [0.1, 0.5, 0.9]))[0];
        var promotedMeans = promoted!["days"]!.AsArray().Select(d => (double)d!["mean"]!).ToArray();
        var plainMeans = plain!["days"]!.AsArray().Select(d => (double)d!["mean"]!).ToArray();
        Assert.Equal(expected.Mean, promotedMeans);
        Assert.NotEqual(plainMeans, promotedMeans);
    }

    [Fact]
    public async Task A_SKU_the_model_cannot_serve_falls_back_to_the_named_baseline_and_says_why()
    {
        await using var host = await StartAsync(new() { ["Live:Forecaster"] = "lstm", ["Live:Model"] = tiny.Model });
        var source = tiny.Dataset.Skus[0];
        var history = tiny.Dataset.Series[0].Units[^60..];
        await DefineAsync(host, "other-category", "garden-furniture", source.Region, source.UnitPrice, history);
        await DefineAsync(host, "short-history", source.Category, source.Region, source.UnitPrice, history[^10..]);
        await DefineAsync(host, "live-2", source.Category, source.Region, source.UnitPrice, history);

        var other = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/skus/other-category/forecast?horizon=7");
        var brief = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/skus/short-history/forecast?horizon=7");
        var beyond = await host.Writer.GetFromJsonAsync<JsonObject>("/api/v1/skus/live-2/forecast?horizon=29");

        Assert.Equal("seasonal-naive", (string?)other!["forecaster"]);
        Assert.Null(other["modelVersion"]);
        Assert.Contains("was not trained on category 'garden-furniture'", (string?)other["fallbackReason"], StringComparison.Ordinal);
        Assert.Equal("seasonal-naive", (string?)brief!["forecaster"]);
        Assert.Contains("has 10 days of history; the model tiny@", (string?)brief["fallbackReason"], StringComparison.Ordinal);
        Assert.EndsWith("reads 28", (string?)brief["fallbackReason"], StringComparison.Ordinal);
        Assert.EndsWith("forecasts 28 days; 29 were asked for", (string?)beyond!["fallbackReason"], StringComparison.Ordinal);

        // seasonal-naive repeats the last week: day h is the units of history day 60 - 7 + (h mod 7)
        var days = other["days"]!.AsArray();
        for (var h = 0; h < 7; h++)
        {
            Assert.Equal(history[53 + h], (double)days[h]!["mean"]!);
        }
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("no-weights")]
    public async Task A_model_folder_that_does_not_load_stops_the_host_at_start_naming_the_command_that_makes_one(string folder)
    {
        var path = Path.Combine(tiny.Root, folder);
        if (folder == "no-weights")
        {
            Directory.CreateDirectory(path);
            File.Copy(Path.Combine(tiny.Model, LstmModel.MetadataFile), Path.Combine(path, LstmModel.MetadataFile), overwrite: true);
        }

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(new() { ["Live:Forecaster"] = "lstm", ["Live:Model"] = path }));

        var message = SeasonalGrains.Host.Hosting.StartupErrors.Explain(failure);
        Assert.StartsWith($"invalid settings: Live:Model: the model folder '{path}' does not load: '{path}' is not an LSTM model folder: it needs model.json and weights.bin.", message, StringComparison.Ordinal);
        Assert.EndsWith("Make one with `seasonal train --dataset DIR --out DIR`.", message, StringComparison.Ordinal);
    }

    private static async Task PostOkAsync(LiveHost host, string path, JsonObject body)
    {
        using var response = await host.Writer.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    internal static async Task DefineAsync(LiveHost host, string sku, string category, string region, double unitPrice, double[] history)
    {
        var body = new JsonObject
        {
            ["category"] = category,
            ["region"] = region,
            ["unitCost"] = 40,
            ["unitPrice"] = unitPrice,
            ["leadTimeDays"] = 2,
            ["initialOnHand"] = 50,
            ["startDate"] = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["history"] = new JsonArray([.. history.Select(u => (JsonNode?)JsonValue.Create(u))]),
            ["policy"] = new JsonObject { ["name"] = "forecast-order-up-to" },
            ["costs"] = new JsonObject { ["holdingPerUnitDay"] = 0.1, ["shortagePerUnit"] = 2, ["fixedPerOrder"] = 10 },
        };
        using var response = await host.Writer.PutAsync($"/api/v1/skus/{sku}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"PUT {sku}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    internal static Task<LiveHost> StartAsync(Dictionary<string, string> settings) =>
        LiveHost.StartAsync(new Dictionary<string, string>(settings) { ["Storage:Provider"] = "memory" });
}
