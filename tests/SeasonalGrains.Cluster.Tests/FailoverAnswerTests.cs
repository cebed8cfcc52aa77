using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Abstractions.Live;
using SeasonalGrains.TestSupport;
using Xunit.Abstractions;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// What an HTTP client sees while a dead silo's grains move: two <c>seasonal serve</c> processes with the host's own
/// membership defaults, one killed with SIGKILL, sales posted on to its SKUs through the survivor's API. Every answer
/// is 2xx, or 503 with Retry-After (never 500), and comes within <see cref="Bound"/>; the 503s sent again with their
/// event ids leave every sale counted exactly once.
/// </summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class FailoverAnswerTests(PostgresDatabaseFixture postgres, ITestOutputHelper log)
{
    private const int Skus = 20;
    private const string Key = "failover-tests-write-key-0123";

    /// <summary>Every answer within this: Api:RequestTimeout (5 s by default) and room for a busy two-core machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>Sales go on this long after the kill (the host's defaults declare a dead silo within about 2-5 s).</summary>
    private static readonly TimeSpan Posting = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task While_a_killed_silos_grains_move_the_survivor_answers_2xx_or_503_with_Retry_After_in_bounded_time_and_counts_each_sale_once()
    {
        var (database, clusterId) = await SiloCluster.CreateAsync(postgres, "failover");
        var environment = new Dictionary<string, string>
        {
            ["Api__Keys__0__Name"] = "failover-tests",
            ["Api__Keys__0__Key"] = Key,
            ["Api__Keys__0__Role"] = "write",
        };
        var silos = new[] { new SiloPorts(), new SiloPorts() };
        var processes = silos.Select(s => SiloCluster.StartSilo(database, clusterId, s, environment)).ToArray(); // no Clustering:Membership settings
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", Key);
            await Task.WhenAll(silos.Zip(processes).Select(p => SiloCluster.WaitReadyAsync(http, p.First, p.Second, Patience)));

            // each SKU defined through one silo or the other, so the grains spread over both
            var skus = Enumerable.Range(0, Skus).Select(i => $"fo-{i:00}").ToArray();
            await Task.WhenAll(skus.Select(async (sku, i) =>
            {
                using var put = await http.PutAsJsonAsync(Url(silos[i % 2], $"skus/{sku}"), new { unitCost = 3, unitPrice = 7, leadTimeDays = 2, initialOnHand = 1000, policy = new { name = "sS", parameters = new Dictionary<string, double> { ["s"] = 10, ["S"] = 30 } } });
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            }));

            using var client = await SiloCluster.StartClientAsync(database, clusterId);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var management = grains.GetGrain<IManagementGrain>(0);
            var placement = await Task.WhenAll(skus.Select(async s => (await management.GetActivationAddress(grains.GetGrain<ILiveSkuGrain>(SkuKeys.Live(s))))!));
            var v = placement.Count(a => a.Endpoint.Port == silos[0].Silo) * 2 >= Skus ? 0 : 1; // the silo with more of the grains
            var (victim, survivor) = (silos[v], silos[1 - v]);
            var moved = skus.Where((_, i) => placement[i].Endpoint.Port == victim.Silo).ToArray();
            log.WriteLine($"{moved.Length} of {Skus} SKUs live on the silo to be killed");
            Assert.NotEmpty(moved);

            var answers = new ConcurrentBag<Answer>();
            var clock = Stopwatch.StartNew();
            processes[v].Kill();
            await Task.WhenAll(moved.Select(async sku =>
            {
                for (var n = 0; clock.Elapsed < Posting; n++)
                {
                    var answer = await PostSaleAsync(http, survivor, sku, $"{sku}-{n}", clock);
                    answers.Add(answer);
                    if (answer.Status == HttpStatusCode.ServiceUnavailable)
                    {
                        await Task.Delay(250);
                    }
                }
            }));

            var unavailable = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
            log.WriteLine($"{answers.Count} posts in {Posting.TotalSeconds:0} s after the kill: " +
                string.Join(", ", answers.GroupBy(a => (int)a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}")) +
                $"; slowest {answers.Max(a => a.Took).TotalSeconds:0.00} s; last 503 {(unavailable.Count == 0 ? "none" : $"{unavailable.Max(a => a.At).TotalSeconds:0.0} s")} after the kill");
            Assert.All(answers, a => Assert.True(
                a.Status == HttpStatusCode.OK || (a.Status == HttpStatusCode.ServiceUnavailable && a.RetryAfter),
                $"{a.EventId}: {(int)a.Status} (Retry-After: {a.RetryAfter}) {a.Body}"));
            Assert.All(answers, a => Assert.True(a.Took < Bound, $"{a.EventId} answered after {a.Took.TotalSeconds:0.0} s"));
            Assert.All(moved, sku => Assert.Contains(answers, a => a.Sku == sku && a.Status == HttpStatusCode.OK)); // each came back

            // the 503s sent again with the same event ids (after their Retry-After) until acknowledged, all at once as their
            // posters would: one after another, a hundred of them would take longer than the patience on their own
            await Task.Delay(TimeSpan.FromSeconds(2));
            await Task.WhenAll(unavailable.Select(async first =>
            {
                var answer = first;
                while (answer.Status != HttpStatusCode.OK)
                {
                    Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable && answer.RetryAfter && clock.Elapsed < Patience, $"{answer.EventId}: {(int)answer.Status} {answer.Body}");
                    await Task.Delay(250);
                    answer = await PostSaleAsync(http, survivor, first.Sku, first.EventId, clock);
                }
            }));

            // one unit per event id: the open day's sales of each SKU are its number of event ids, each counted once
            foreach (var sku in moved)
            {
                var view = await http.GetFromJsonAsync<JsonElement>(Url(survivor, $"skus/{sku}"));
                var ids = answers.Where(a => a.Sku == sku).Select(a => a.EventId).Distinct().Count();
                Assert.Equal(ids, view.GetProperty("pendingSales").GetDouble());
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                log.WriteLine($"--- silo process {process.Id}\n{string.Join('\n', process.Output.Split('\n').TakeLast(60))}");
                await process.DisposeAsync();
            }
        }
    }

    private static async Task<Answer> PostSaleAsync(HttpClient http, SiloPorts silo, string sku, string eventId, Stopwatch clock)
    {
        var sent = clock.Elapsed;
        using var response = await http.PostAsJsonAsync(Url(silo, $"skus/{sku}/sales"), new { eventId, units = 1 });
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(sku, eventId, response.StatusCode, response.Headers.RetryAfter is not null, clock.Elapsed - sent, sent, body);
    }

    private static Uri Url(SiloPorts silo, string path) => new($"http://127.0.0.1:{silo.Http}/api/v1/{path}");

    private sealed record Answer(string Sku, string EventId, HttpStatusCode Status, bool RetryAfter, TimeSpan Took, TimeSpan At, string Body);
}
