using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Abstractions.Live;
using SeasonalGrains.Data.Io;
using SeasonalGrains.TestSupport;
using Xunit.Abstractions;
using static SeasonalGrains.Cluster.Tests.CliRuns;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// Shadow scoring across a silo's death: two <c>seasonal serve</c> silos on PostgreSQL shadow-forecast with the registry's
/// challenger, the silo holding more of the SKUs is killed with SIGKILL, and the days closed on the survivor go on being
/// scored: every SKU's scored days are each closed day once, with one score per version, and the totals count each
/// SKU-day once; the challenger is then promoted and forecasts come from it.
/// </summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class FeedbackFailoverTests(PostgresDatabaseFixture postgres, ITestOutputHelper log) : IDisposable
{
    private const int Skus = 8;
    private const string Key = "feedback-failover-write-key-0123";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-feedback-failover-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_silo_killed_while_SKUs_shadow_a_challenger_loses_no_scored_day_and_counts_none_twice()
    {
        var data = Path.Combine(_root, "data");
        await Ok("generate", "--preset", "down-jackets", "--skus", "4", "--years", "1", "--seed", "3", "--out", data);
        await Ok("train", "--dataset", data, "--out", Path.Combine(_root, "v1"), "--epochs", "2", "--hidden", "8", "--layers", "1", "--seed", "3");
        await Ok("train", "--dataset", data, "--out", Path.Combine(_root, "v2"), "--epochs", "2", "--hidden", "8", "--layers", "1", "--seed", "4");
        var source = DatasetReader.Read(data);
        var (database, clusterId) = await SiloCluster.CreateAsync(postgres, "shadowfail");
        await Ok("models", "add", "--path", Path.Combine(_root, "v1"), "--name", "jackets", "--storage", "postgres", "--connection", database);
        await Ok("models", "add", "--path", Path.Combine(_root, "v2"), "--name", "jackets", "--storage", "postgres", "--connection", database);

        var environment = new Dictionary<string, string>
        {
            ["Api__Keys__0__Name"] = "feedback-failover",
            ["Api__Keys__0__Key"] = Key,
            ["Api__Keys__0__Role"] = "write",
        };
        var silos = new[] { new SiloPorts(), new SiloPorts() };
        var processes = silos.Select((s, i) => SiloCluster.StartSilo(database, clusterId, s, environment,
            "Live:Forecaster=lstm", "Live:Registry:Provider=postgres", "Live:Registry:PollInterval=00:00:00.500",
            $"Live:Registry:CacheFolder={Path.Combine(_root, $"cache-{i}")}")).ToArray();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", Key);
            await Task.WhenAll(silos.Zip(processes).Select(p => SiloCluster.WaitReadyAsync(http, p.First, p.Second, Patience)));
            foreach (var silo in silos)
            {
                await WaitAsync(async () => (string?)(await GetAsync(http, silo, "models"))["shadowing"] == "jackets@2", "both silos shadow-forecast with jackets@2");
            }

            var start = Today.AddDays(-10);
            var skus = Enumerable.Range(0, Skus).Select(i => $"sf-{i}").ToArray();
            for (var i = 0; i < Skus; i++)
            {
                var s = i % 4;
                var body = new JsonObject
                {
                    ["category"] = source.Skus[s].Category,
                    ["region"] = source.Skus[s].Region,
                    ["unitCost"] = 4,
                    ["unitPrice"] = source.Skus[s].UnitPrice,
                    ["leadTimeDays"] = 1,
                    ["initialOnHand"] = 50,
                    ["startDate"] = LiveHostProcess.Day(start),
                    ["history"] = new JsonArray([.. source.Series[s].Units[..300].Select(u => (JsonNode?)JsonValue.Create(u))]),
                    ["policy"] = new JsonObject { ["name"] = "base-stock" },
                };
                using var put = await http.PutAsync(Url(silos[i % 2], $"skus/{skus[i]}"), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            }

            // three days closed through both silos
            for (var d = 0; d < 3; d++)
            {
                await CloseAllAsync(http, i => silos[i % 2], skus, start.AddDays(d), source);
            }

            using (var client = await SiloCluster.StartClientAsync(database, clusterId))
            {
                var grains = client.Services.GetRequiredService<IClusterClient>();
                var management = grains.GetGrain<IManagementGrain>(0);
                var placement = await Task.WhenAll(skus.Select(async s => (await management.GetActivationAddress(grains.GetGrain<ILiveSkuGrain>(SkuKeys.Live(s))))!));
                var v = placement.Count(a => a.Endpoint.Port == silos[0].Silo) * 2 >= Skus ? 0 : 1;
                log.WriteLine($"{placement.Count(a => a.Endpoint.Port == silos[v].Silo)} of {Skus} SKUs live on the silo killed");
                processes[v].Kill();
                var clock = Stopwatch.StartNew();
                while ((await management.GetHosts(onlyActive: true)).Count != 1)
                {
                    Assert.True(clock.Elapsed < Patience, "the killed silo was not declared dead");
                    await Task.Delay(500);
                }

                // three more days, all through the survivor
                var survivor = silos[1 - v];
                for (var d = 3; d < 6; d++)
                {
                    await CloseAllAsync(http, _ => survivor, skus, start.AddDays(d), source);
                }

                // every SKU: days 1-5 scored (day 0 had no forecast before it), each once, each by both versions
                var expectedDays = Enumerable.Range(1, 5).Select(d => LiveHostProcess.Day(start.AddDays(d))).ToList();
                foreach (var sku in skus)
                {
                    var view = await GetAsync(http, survivor, $"skus/{sku}");
                    var scored = view["shadow"]!["scoredDays"]!.AsArray();
                    Assert.Equal(expectedDays, scored.Select(s => (string?)s!["date"]));
                    Assert.All(scored, s => Assert.Equal(["jackets@1", "jackets@2"], s!["scores"]!.AsArray().Select(v => (string?)v!["version"])));
                    Assert.Equal(5, (int)view["shadow"]!["days"]!);
                }

                var scores = await GetAsync(http, survivor, "models/scores");
                Assert.Equal((Skus, Skus * 5), ((int)scores["skus"]!, (int)scores["days"]!));

                using var promote = await http.PostAsJsonAsync(Url(survivor, "models/promote"), new { minDays = Skus * 5, force = true });
                var promoted = JsonNode.Parse(await promote.Content.ReadAsStringAsync())!;
                Assert.True(promote.StatusCode == HttpStatusCode.OK, promoted.ToJsonString());
                Assert.Equal(("jackets@2", "jackets@1"), ((string?)promoted["promoted"], (string?)promoted["previous"]));
                Assert.Equal(Skus * 5, (int)promoted["scores"]!["days"]!);
                await WaitAsync(async () => (string?)(await GetAsync(http, survivor, $"skus/{skus[0]}/forecast?horizon=14"))["modelVersion"] == "jackets@2", "forecasts come from jackets@2");
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                log.WriteLine($"--- silo process {process.Id}\n{string.Join('\n', process.Output.Split('\n').TakeLast(30))}");
                await process.DisposeAsync();
            }
        }
    }

    /// <summary>Books each SKU's sales of the day (the generated data's) and closes the day; a 503 is sent again unchanged, as a client would.</summary>
    private static async Task CloseAllAsync(HttpClient http, Func<int, SiloPorts> silo, string[] skus, DateOnly day, SeasonalGrains.Data.Model.Dataset source)
    {
        for (var i = 0; i < skus.Length; i++)
        {
            var units = Math.Round(source.Series[i % 4].Units[300 + day.DayNumber - Today.AddDays(-10).DayNumber], 6);
            if (units > 0)
            {
                await SendAsync(http, Url(silo(i), $"skus/{skus[i]}/sales"), new { eventId = $"s-{LiveHostProcess.Day(day)}", units, date = LiveHostProcess.Day(day) });
            }

            await SendAsync(http, Url(silo(i), $"skus/{skus[i]}/close-day"), new { date = LiveHostProcess.Day(day) });
        }
    }

    private static async Task SendAsync(HttpClient http, Uri url, object body)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.PostAsJsonAsync(url, body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && clock.Elapsed < Patience, $"POST {url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(500);
        }
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, SiloPorts silo, string path) =>
        JsonNode.Parse(await http.GetStringAsync(Url(silo, path)))!;

    private static Uri Url(SiloPorts silo, string path) => new($"http://127.0.0.1:{silo.Http.ToString(CultureInfo.InvariantCulture)}/api/v1/{path}");

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Patience, $"timed out waiting until {what}");
            await Task.Delay(200);
        }
    }

    private static async Task Ok(params string[] args)
    {
        var (code, output, error) = await RunInProcess(args);
        Assert.True(code == 0, $"seasonal {string.Join(' ', args)}: {code}\n{output}\n{error}");
    }
}
