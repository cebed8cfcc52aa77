using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Forecasting.Metrics;
using SeasonalGrains.TestSupport;
using Xunit.Abstractions;
using static SeasonalGrains.Cluster.Tests.CliRuns;
using static SeasonalGrains.Cluster.Tests.LiveHostProcess;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// The feedback loop end to end on a real PostgreSQL and a real host: live SKUs close days on version 1 of the registry,
/// their history is exported and version 2 trained on it and added (the challenger), every close then also forecasts with
/// it and scores both on the realised days, a promotion is refused while the challenger scores worse and made once it
/// scores better, and forecasts then come from version 2.
/// </summary>
/// <remarks>
/// The realised sales are chosen by the test from the two forecasts of each day (the value, among 0, the forecasts'
/// quantiles and a large one, that favours one version most), so which version is better is known; the test recomputes
/// every pinball loss from the forecasts the host showed and the day's sales, and the host's scores must equal those sums.
/// </remarks>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class FeedbackLoopTests(PostgresDatabaseFixture postgres, ITestOutputHelper log) : IDisposable
{
    private const int Skus = 4;

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-feedback-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Close_on_version_1_export_train_version_2_shadow_it_refuse_then_promote_it_and_forecast_with_it()
    {
        var data = Path.Combine(_root, "data");
        await Ok("generate", "--preset", "down-jackets", "--skus", Skus.ToString(CultureInfo.InvariantCulture), "--years", "1", "--seed", "3", "--out", data);
        await Ok("train", "--dataset", data, "--out", Path.Combine(_root, "v1"), "--epochs", "2", "--hidden", "8", "--layers", "1", "--seed", "3");
        var source = DatasetReader.Read(data);
        var database = await postgres.CreateDatabaseAsync("feedback");
        await Ok("db", "migrate", "--connection", database);
        await Ok("models", "add", "--path", Path.Combine(_root, "v1"), "--name", "jackets", "--storage", "postgres", "--connection", database);

        await using var host = await StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = database,
            ["Live:Forecaster"] = "lstm",
            ["Live:Registry:Provider"] = "postgres",
            ["Live:Registry:PollInterval"] = "00:00:00.200",
            ["Live:Registry:CacheFolder"] = Path.Combine(_root, "cache"),
        });
        var start = Today.AddDays(-40);
        for (var i = 0; i < Skus; i++)
        {
            await host.DefineAsync(Sku(i), source.Skus[i].Category, source.Skus[i].Region, start, source.Series[i].Units[..300], initialOnHand: 50, unitPrice: source.Skus[i].UnitPrice);
        }

        // two days on version 1 alone, with the generated data's next days as sales
        var day = start;
        for (var d = 0; d < 2; d++, day = day.AddDays(1))
        {
            await CloseWithSalesAsync(host, day, i => source.Series[i].Units[300 + d]);
        }

        var view = await host.GetAsync($"/api/v1/skus/{Sku(0)}");
        Assert.Equal("jackets@1", (string?)view["forecast"]!["modelVersion"]);
        // the first day had no forecast before it (a SKU forecasts at its closes); the second is scored by jackets@1 alone
        Assert.Equal([Day(start.AddDays(1))], view["shadow"]!["scoredDays"]!.AsArray().Select(s => (string?)s!["date"]));
        Assert.Equal(["jackets@1"], view["shadow"]!["scoredDays"]![0]!["scores"]!.AsArray().Select(s => (string?)s!["version"]));
        Assert.Null((string?)view["shadow"]!["challenger"]);

        // export the live history, train version 2 on it, add it: the challenger
        var exported = Path.Combine(_root, "exported");
        await Ok("export", "live", "--connection", database, "--out", exported);
        var export = DatasetReader.Read(exported);
        Assert.Equal((Skus, 302), (export.Skus.Count, export.Days));
        Assert.Equal(source.Series[0].Units[..302], export.Series[0].Units);
        await Ok("train", "--dataset", exported, "--out", Path.Combine(_root, "v2"), "--epochs", "2", "--hidden", "8", "--layers", "1", "--seed", "4");
        await Ok("models", "add", "--path", Path.Combine(_root, "v2"), "--name", "jackets", "--storage", "postgres", "--connection", database);
        await WaitAsync(async () => (string?)(await host.GetAsync("/api/v1/models"))["shadowing"] == "jackets@2", "the host shadow-forecasts with jackets@2");
        var models = await host.GetAsync("/api/v1/models");
        Assert.Equal(("jackets@1", "jackets@2"), ((string?)models["active"], (string?)models["challenger"]));

        // a day that makes the first shadow forecasts (scored at the next close)
        await CloseWithSalesAsync(host, day, i => source.Series[i].Units[302]);
        day = day.AddDays(1);

        // three days on which the active version is better: the promotion is refused, over HTTP and on the command line
        var expected = new List<(double Active, double Challenger)>();
        for (var d = 0; d < 3; d++, day = day.AddDays(1))
        {
            expected.AddRange(await CloseFavouringAsync(host, day, challenger: false));
        }

        var scores = await host.GetAsync("/api/v1/models/scores");
        AssertScores(scores, expected);
        var (negative, negativeProblem) = await host.PostAsync("/api/v1/models/promote", new { minDays = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, negative);
        Assert.Equal("must be 0-10000000.", (string?)negativeProblem!["errors"]!["minDays"]![0]);
        var (unknown, _) = await host.PostAsync("/api/v1/models/promote", new { minDays = 1, forced = true });
        Assert.Equal(HttpStatusCode.BadRequest, unknown); // fields are read strictly
        var (refused, problem) = await host.PostAsync("/api/v1/models/promote", new { minDays = 12 });
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("Challenger not promoted", (string?)problem!["title"]);
        Assert.StartsWith("Jackets@2 is not better than jackets@1. jackets@2 pinball ", (string?)problem["detail"], StringComparison.Ordinal);
        var cliRefused = await RunInProcess("models", "promote", "--storage", "postgres", "--connection", database, "--min-days", "12");
        Assert.Equal(2, cliRefused.Code);
        Assert.Contains("jackets@2 is not better than jackets@1", cliRefused.Error, StringComparison.Ordinal);
        var tooFew = await RunInProcess("models", "promote", "--storage", "postgres", "--connection", database);
        Assert.Equal(2, tooFew.Code);
        Assert.Contains("jackets@2 has 12 SKU-days scored beside jackets@1; a promotion needs at least 28.", tooFew.Error, StringComparison.Ordinal);

        // days on which the challenger is better, until its total is
        for (var d = 0; d < 25 && !(Mean(expected, c: true) < Mean(expected, c: false)); d++, day = day.AddDays(1))
        {
            expected.AddRange(await CloseFavouringAsync(host, day, challenger: true));
        }

        Assert.True(Mean(expected, c: true) < Mean(expected, c: false), "the challenger's total did not become better in 25 days");
        AssertScores(await host.GetAsync("/api/v1/models/scores"), expected);
        await WaitAsync(async () => (await host.Client.GetStringAsync("/metrics")).Contains("role=\"challenger\"", StringComparison.Ordinal), "/metrics shows the shadow gauges");
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("seasonal_live_shadow_pinball", StringComparison.Ordinal) && l.Contains("version=\"jackets@2\"", StringComparison.Ordinal));

        var promoted = await RunInProcess("models", "promote", "--storage", "postgres", "--connection", database, "--min-days", "12");
        log.WriteLine(promoted.Output + promoted.Error);
        Assert.True(promoted.Code == 0, promoted.Output + promoted.Error);
        Assert.Contains("Promoted jackets@2 over jackets@1: jackets@2 pinball ", promoted.Output, StringComparison.Ordinal);
        Assert.Contains(" lower, ", promoted.Output, StringComparison.Ordinal);
        Assert.Contains($"over {expected.Count} SKU-days of {Skus} SKU(s)", promoted.Output, StringComparison.Ordinal);

        await WaitAsync(async () => (string?)(await host.GetAsync($"/api/v1/skus/{Sku(0)}/forecast?horizon=14"))["modelVersion"] == "jackets@2", "forecasts come from jackets@2");
        var after = await host.GetAsync("/api/v1/models");
        Assert.Equal(("jackets@2", "jackets@2"), ((string?)after["active"], (string?)after["serving"]));
        Assert.Null((string?)after["challenger"]); // jackets@1 was active before: it stays for a rollback, not as a challenger
        Assert.Equal(["jackets@1", "jackets@2"], after["versions"]!.AsArray().Select(v => (string?)v!["model"]));
        await CloseWithSalesAsync(host, day, _ => 1);
        Assert.Equal("jackets@2", (string?)(await host.GetAsync($"/api/v1/skus/{Sku(1)}"))["forecast"]!["modelVersion"]);
    }

    private static string Sku(int i) => "S" + i.ToString(CultureInfo.InvariantCulture);

    private static double Mean(List<(double Active, double Challenger)> losses, bool c) => losses.Average(l => c ? l.Challenger : l.Active);

    /// <summary>The host's totals are the sums of the losses the test computed, over every SKU-day scored for both.</summary>
    private static void AssertScores(JsonNode scores, List<(double Active, double Challenger)> expected)
    {
        Assert.Equal(("jackets@1", "jackets@2"), ((string?)scores["active"], (string?)scores["challenger"]));
        Assert.Equal(expected.Count, (int)scores["days"]!);
        Assert.Equal(Skus, (int)scores["skus"]!);
        Assert.Equal(Mean(expected, c: false), (double)scores["activePinball"]!, 9);
        Assert.Equal(Mean(expected, c: true), (double)scores["challengerPinball"]!, 9);
    }

    private async Task CloseWithSalesAsync(LiveHostProcess host, DateOnly day, Func<int, double> units)
    {
        for (var i = 0; i < Skus; i++)
        {
            var u = Math.Round(units(i), 6);
            if (u > 0)
            {
                await host.PostOkAsync($"/api/v1/skus/{Sku(i)}/sales", new { eventId = $"s-{Day(day)}", units = u, date = Day(day) });
            }

            await host.CloseAsync(Sku(i), day);
        }
    }

    /// <summary>
    /// For each SKU: reads the two forecasts of <paramref name="day"/> (made at the previous close), sells the units that
    /// favour the chosen version most, closes the day and returns both losses as the test computes them.
    /// </summary>
    private async Task<List<(double Active, double Challenger)>> CloseFavouringAsync(LiveHostProcess host, DateOnly day, bool challenger)
    {
        var losses = new List<(double, double)>();
        for (var i = 0; i < Skus; i++)
        {
            var view = await host.GetAsync($"/api/v1/skus/{Sku(i)}");
            var (levels, active) = FirstDay(view["forecast"]!, day, "jackets@1");
            var (_, shadow) = FirstDay(view["shadow"]!["challengerForecast"]!, day, "jackets@2");
            var candidates = active.Concat(shadow).Select(q => Math.Max(0, Math.Round(q, 6))).Append(0).Append(Math.Round((active.Concat(shadow).Max() * 3) + 50, 6));
            var units = candidates.MaxBy(y => challenger ? Loss(y, active, levels) - Loss(y, shadow, levels) : Loss(y, shadow, levels) - Loss(y, active, levels));
            if (units > 0)
            {
                await host.PostOkAsync($"/api/v1/skus/{Sku(i)}/sales", new { eventId = $"f-{Day(day)}", units, date = Day(day) });
            }

            await host.CloseAsync(Sku(i), day);
            var closed = await host.GetAsync($"/api/v1/skus/{Sku(i)}");
            var actual = (double)closed["days"]!.AsArray()[^1]!["sales"]!;
            var scored = closed["shadow"]!["scoredDays"]!.AsArray()[^1]!;
            Assert.Equal(Day(day), (string?)scored["date"]);
            Assert.Equal(actual, (double)scored["actual"]!);
            var (la, lc) = (Loss(actual, active, levels), Loss(actual, shadow, levels));
            Assert.True(challenger ? lc < la : la < lc, $"{Sku(i)} {day}: the chosen sales {actual} do not favour the {(challenger ? "challenger" : "active version")} ({lc} against {la})");
            var got = scored["scores"]!.AsArray().Select(s => ((string?)s!["version"], (double)s["pinball"]!, (int)s["step"]!)).ToList();
            Assert.Equal(["jackets@1", "jackets@2"], got.Select(g => g.Item1)); // scored once per version
            Assert.Equal(la, got[0].Item2, 9);
            Assert.Equal(lc, got[1].Item2, 9);
            Assert.All(got, g => Assert.Equal(0, g.Item3)); // the forecasts made at the close before the day
            losses.Add((la, lc));
        }

        log.WriteLine($"{day}: favouring the {(challenger ? "challenger" : "active version")}: {string.Join("; ", losses.Select(l => $"{l.Item1:0.000} / {l.Item2:0.000}"))}");
        return losses;
    }

    private static (double[] Levels, double[] Quantiles) FirstDay(JsonNode forecast, DateOnly day, string version)
    {
        Assert.Equal(version, (string?)forecast["modelVersion"]);
        Assert.Equal(Day(day), (string?)forecast["start"]);
        var levels = forecast["levels"]!.AsArray().Select(l => (double)l!).ToArray();
        var quantiles = forecast["days"]!.AsArray()[0]!["quantiles"]!.AsArray().Select(q => (double)q!).ToArray();
        return (levels, quantiles);
    }

    /// <summary>The mean pinball loss over the levels: what the host scores a day with.</summary>
    private static double Loss(double actual, double[] quantiles, double[] levels) =>
        quantiles.Select((q, k) => ForecastMetrics.Pinball(actual, q, levels[k])).Average();

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    private static async Task Ok(params string[] args)
    {
        var (code, output, error) = await RunInProcess(args);
        Assert.True(code == 0, $"seasonal {string.Join(' ', args)}: {code}\n{output}\n{error}");
    }
}
