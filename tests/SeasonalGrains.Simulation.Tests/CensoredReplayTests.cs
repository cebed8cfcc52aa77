using System.Text.Json;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Simulation.Replay;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>Replays of a dataset whose demand.csv says which days were out of stock.</summary>
[Collection(CliCollection.Name)]
public sealed class CensoredReplayTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-censored-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Policy_statistics_skip_the_out_of_stock_days_of_the_history()
    {
        // history 10, 2, 10, 2, 12 with days 1 and 3 out of stock: in stock 10, 10, 12, mean 32 / 3 = 10.667;
        // squares about the mean 0.444 + 0.444 + 1.778 = 2.667, sd sqrt(2.667 / 2) = 1.155 (all five days: mean 7.2)
        var series = new SkuSeries("A", [10, 2, 10, 2, 12, 5, 5], Censored: [false, true, false, true, false, false, false]);
        var window = new ReplayWindow(TestData.Start.AddDays(5), TestData.Start.AddDays(6), 5, 2, 0);

        var stats = ReplayInputBuilder.HistoryStatistics(series, window);

        Assert.Equal(3, stats.Days);
        Assert.Equal(10.667, stats.Mean, 3);
        Assert.Equal(1.155, stats.StandardDeviation, 3);
        Assert.Equal(7.2, ReplayInputBuilder.HistoryStatistics(series with { Censored = null }, window).Mean, 12);
    }

    [Fact]
    public async Task A_replay_reports_the_censored_sku_days_of_its_window_and_history()
    {
        // 2 SKUs x 120 days; SKU 0 out of stock every 10th day (days 0, 10, ..., 110), SKU 1 never.
        // The window is the last 30 days (90..119): days 90, 100, 110 = 3 SKU-days of 60; the history
        // (0..89) holds days 0, 10, ..., 80 = 9 SKU-days of 180.
        var dataset = TestData.Small(skus: 2, days: 120);
        dataset = dataset with
        {
            Series = [
                dataset.Series[0] with { Censored = [.. Enumerable.Range(0, 120).Select(d => d % 10 == 0)] },
                dataset.Series[1] with { Censored = new bool[120] },
            ],
        };
        DatasetWriter.Write(dataset, Path.Combine(_root, "data"));
        var scenario = Path.Combine(_root, "scenario.json");
        File.WriteAllText(scenario, """
            {
              "name": "censored",
              "dataset": "data",
              "window": { "lastDays": 30 },
              "policies": [ { "name": "sS" } ],
              "traceSkus": []
            }
            """);
        var outDir = Path.Combine(_root, "run");

        var (code, output, error) = await CliReplayTests.Run("replay", "--scenario", scenario, "--out", outDir);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        var printed = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "); // the console may wrap long lines
        Assert.Contains("Out of stock in the dataset: 3 of 60 SKU-days of the window", printed);
        Assert.Contains("9 of 180 of the history", printed);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var censored = summary.RootElement.GetProperty("censoredSkuDays");
        Assert.Equal(3, censored.GetProperty("window").GetInt64());
        Assert.Equal(60, censored.GetProperty("windowSkuDays").GetInt64());
        Assert.Equal(9, censored.GetProperty("history").GetInt64());
        Assert.Equal(180, censored.GetProperty("historySkuDays").GetInt64());
    }
}
