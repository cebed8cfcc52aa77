using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Cli;
using SeasonalGrains.Grains.Forecasting;
using SeasonalGrains.Simulation.Compare;
using static SeasonalGrains.Simulation.Tests.CliReplayTests;

namespace SeasonalGrains.Simulation.Tests;

/// <summary><c>seasonal compare</c> end to end on small generated scenarios.</summary>
[Collection(CliCollection.Name)]
public sealed class CompareCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-compare-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Compare_writes_summary_with_confidence_intervals_per_sku_rows_and_the_season_report()
    {
        var scenario = Write("""
            {
              "name": "small-compare",
              "dataset": "data-generated",
              "generate": { "preset": "down-jackets", "skus": 6, "years": 2, "seed": 3, "start": "2022-04-01" },
              "window": { "start": "2024-01-01", "end": "2024-03-31" },
              "reviewPeriodDays": 7,
              "costs": { "holding": { "annualRate": 0.25 }, "fixedPerOrder": 20, "purchaseCost": true },
              "policies": [ { "name": "sS" } ]
            }
            """);
        var outDir = Path.Combine(_root, "run");

        var (code, output, error) = await Run(
            "compare", "--scenario", scenario, "--out", outDir, "--resamples", "300", "--baseline", "sS-tuned",
            "--policies", "sS,sS-tuned,rule,forecast-order-up-to:seasonal-naive,forecast-order-up-to:oracle");

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal("sS-tuned", root.GetProperty("baseline").GetString());
        Assert.Equal("2024-01-01", root.GetProperty("window").GetProperty("start").GetString());
        Assert.Equal(91, root.GetProperty("window").GetProperty("days").GetInt32());
        var policies = root.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(
            ["sS", "sS-tuned", "rule", "forecast-order-up-to:seasonal-naive", "forecast-order-up-to:oracle"],
            policies.Select(p => p.GetProperty("policy").GetString()));
        var baselineCost = policies[1].GetProperty("metrics").GetProperty("totalCost").GetDouble();
        foreach (var p in policies)
        {
            var cost = p.GetProperty("differences").GetProperty("totalCost");
            var estimate = cost.GetProperty("estimate").GetDouble();
            Assert.Equal(p.GetProperty("metrics").GetProperty("totalCost").GetDouble() - baselineCost, estimate, 6);
            Assert.Equal(0.95, cost.GetProperty("confidence").GetDouble());
            Assert.InRange(estimate, cost.GetProperty("lower").GetDouble(), cost.GetProperty("upper").GetDouble());
            foreach (var metric in new[] { "fillRate", "cycleServiceLevel", "stockoutDays", "lostUnits", "averageInventoryValue", "turnover", "leftoverValue" })
            {
                Assert.True(p.GetProperty("differences").TryGetProperty(metric, out var d) && d.TryGetProperty("lower", out _), $"{metric} has no interval");
            }
        }

        // the baseline against itself: every resample gives 0
        var self = policies[1].GetProperty("differences").GetProperty("totalCost");
        Assert.Equal((0.0, 0.0), (self.GetProperty("lower").GetDouble(), self.GetProperty("upper").GetDouble()));

        // forecast accuracy for forecast policies only: 13 reviews a SKU; intervals that end after the window do not count
        Assert.Equal(JsonValueKind.Null, policies[0].GetProperty("forecast").ValueKind);
        var oracle = policies[4].GetProperty("forecast");
        Assert.InRange(oracle.GetProperty("reviews").GetInt32(), 6, 6 * 13);
        Assert.InRange(oracle.GetProperty("intervalCoverage").GetDouble(), 0, 1);

        // the hindsight bound beside the policies (not one of them): no policy costs less, in either cost;
        // each policy's breakdown adds up to its total cost
        var hindsight = root.GetProperty("hindsight");
        Assert.Equal("hindsight", hindsight.GetProperty("policy").GetString());
        var bound = hindsight.GetProperty("totalCost").GetDouble();
        var operatingBound = hindsight.GetProperty("operatingCost").GetDouble();
        Assert.Equal(bound, hindsight.GetProperty("metrics").GetProperty("totalCost").GetDouble(), 6);
        Assert.Equal(operatingBound, hindsight.GetProperty("operatingCostPlanMetrics").GetProperty("operatingCost").GetDouble(), 6);
        foreach (var p in policies)
        {
            var m = p.GetProperty("metrics");
            var gap = p.GetProperty("gapToHindsight");
            Assert.Equal(m.GetProperty("totalCost").GetDouble() - bound, gap.GetProperty("totalCost").GetDouble(), 6);
            Assert.Equal(m.GetProperty("operatingCost").GetDouble() - operatingBound, gap.GetProperty("operatingCost").GetDouble(), 6);
            Assert.True(gap.GetProperty("totalCost").GetDouble() >= -1e-6, $"{p.GetProperty("policy")} costs less than hindsight");
            Assert.True(gap.GetProperty("operatingCost").GetDouble() >= -1e-6, $"{p.GetProperty("policy")} operates for less than hindsight");
            Assert.Equal(100 * gap.GetProperty("totalCost").GetDouble() / bound, gap.GetProperty("totalCostPercent").GetDouble(), 6);
            var b = p.GetProperty("costBreakdown");
            var parts = new[] { "holding", "shortage", "ordering", "purchaseMinusSalvage" }.Sum(k => b.GetProperty(k).GetDouble());
            Assert.Equal(m.GetProperty("totalCost").GetDouble(), parts, 6);
            Assert.Equal(m.GetProperty("unitsOrdered").GetDouble() / m.GetProperty("ordersPlaced").GetDouble(), b.GetProperty("meanOrderSize").GetDouble(), 6);
        }

        var tuning = Assert.Single(root.GetProperty("tuning").EnumerateArray());
        Assert.Equal("sS-tuned", tuning.GetProperty("policy").GetString());
        Assert.Equal("2022-04-01", tuning.GetProperty("trainingStart").GetString());
        Assert.Equal("2023-12-31", tuning.GetProperty("trainingEnd").GetString());
        Assert.Contains("lowest total cost", tuning.GetProperty("method").GetString());
        Assert.Equal(6, tuning.GetProperty("chosenPoints").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.NotEmpty(root.GetProperty("frontier").EnumerateArray());

        var lines = File.ReadAllLines(Path.Combine(outDir, "per-sku.csv"));
        Assert.Equal(1 + (5 * 6), lines.Length);
        Assert.EndsWith(",forecastIntervalMae,forecastIntervalCoverage", lines[0]);
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("sS-tuned <span class=\"tag\">baseline</span>", html);
        Assert.Contains("forecast-order-up-to:oracle", html);
        Assert.Contains("<svg", html);
        Assert.True(File.Exists(Path.Combine(outDir, "frontier.png")));
        Assert.Contains("sS-tuned (baseline)", output);
        Assert.Contains("Differences to sS-tuned", output);
        Assert.Contains("hindsight <span class=\"tag\">bound</span>", html);
        Assert.Contains("<section id=\"cost-breakdown\">", html);
        Assert.True(File.Exists(Path.Combine(outDir, "cost-breakdown.png")));
        Assert.Contains("Gap to hindsight", output);
        Assert.Contains("Where the cost comes from", output);
    }

    [Fact]
    public async Task Compare_rejects_an_unknown_forecaster_with_exit_code_2_naming_it()
    {
        var scenario = Write("""
            { "name": "x", "dataset": "data", "window": { "lastDays": 20 }, "policies": [ { "name": "sS" } ] }
            """);

        var (code, _, error) = await Run("compare", "--scenario", scenario, "--policies", "sS,forecast-order-up-to:prophet");

        Assert.Equal(2, code);
        Assert.Contains("--policies: 'forecast-order-up-to:prophet'", error);
        Assert.Contains("unknown forecaster 'prophet'", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task A_sweep_runs_each_policy_at_each_value_and_a_tuned_policy_once()
    {
        var scenario = Write("""
            {
              "name": "sweep",
              "dataset": "data-generated",
              "generate": { "preset": "down-jackets", "skus": 4, "years": 2, "seed": 9, "start": "2022-04-01" },
              "window": { "lastDays": 60 },
              "reviewPeriodDays": 7,
              "targetServiceLevel": 0.95,
              "sweep": { "targetServiceLevel": [0.8, 0.95] },
              "costs": { "fixedPerOrder": 20, "purchaseCost": true },
              "policies": [ { "name": "sS" }, { "name": "sS-tuned" }, { "name": "forecast-order-up-to:oracle" } ]
            }
            """);
        var request = new CompareRequest { ScenarioPath = scenario, Baseline = "sS", Bootstrap = new BootstrapOptions(Resamples: 200) };

        var prepared = CompareRunner.Prepare(request);

        Assert.Equal(
            ["sS@0.8", "sS@0.95", "sS-tuned", "forecast-order-up-to:oracle@0.8", "forecast-order-up-to:oracle@0.95"],
            prepared.Variants.Select(v => v.Label));
        Assert.Equal("sS@0.95", prepared.Baseline); // the baseline policy at the scenario's targetServiceLevel
        var setups = prepared.Input.Policies.Select(p => p.Setups[0].Policy).ToList();
        Assert.Equal([0.8, 0.95, 0.95, 0.8, 0.95], setups.Select(p => p.TargetServiceLevel));
        Assert.Equal(0.8, Assert.Single(setups[3].Parameters, p => p.Name == "serviceLevel").Value);

        await using var silo = await SeasonalGrains.Simulation.Hosting.EmbeddedSilo.StartAsync();
        var result = await CompareRunner.RunAsync(request, silo.Grains, silo.Services.GetRequiredService<ReplayForecastService>());

        Assert.Equal(5, result.Rows.Count);
        Assert.Equal(["0.8", "0.95"], result.Frontier.Where(p => p.Policy == "sS").Select(p => p.Label).Order());
        Assert.Equal(["0.8", "0.95"], result.Frontier.Where(p => p.Policy == "forecast-order-up-to:oracle").Select(p => p.Label).Order());
        Assert.Single(result.Frontier, p => p.Policy == "sS-tuned");

        // a lower service level derives a lower reorder point, so sS@0.8 holds less stock on average than sS@0.95
        Assert.True(result.VariantOf("sS@0.8").Metrics.Sum(m => m.AverageOnHandValue) < result.VariantOf("sS@0.95").Metrics.Sum(m => m.AverageOnHandValue));
    }

    [Fact]
    public async Task A_forecast_policy_tuned_on_all_of_a_short_history_starts_on_its_second_day()
    {
        // 60 days of history before the window, fewer than the 365 a forecast policy is tuned on: tuning starts at day 1,
        // the first day with a day of history before it, so it runs on 59 days (day 0 has nothing to forecast from)
        var scenario = Write("""
            {
              "name": "short-history",
              "dataset": "data-generated",
              "generate": { "preset": "down-jackets", "skus": 2, "years": 1, "seed": 4, "start": "2023-11-02" },
              "window": { "start": "2024-01-01", "end": "2024-02-29" },
              "reviewPeriodDays": 1,
              "costs": { "fixedPerOrder": 20 },
              "policies": [ { "name": "sS-tuned" }, { "name": "forecast-lookahead-tuned:ets" } ]
            }
            """);
        var request = new CompareRequest { ScenarioPath = scenario, Bootstrap = new BootstrapOptions(Resamples: 50) };
        var prepared = CompareRunner.Prepare(request);
        Assert.Equal(60, prepared.Window.HistoryDays);

        var reports = CompareRunner.Tune(prepared);

        var tuned = Assert.Single(reports, r => r.Label == "forecast-lookahead-tuned:ets");
        Assert.Equal(new DateOnly(2023, 11, 3), tuned.TrainingStart);
        Assert.Equal(new DateOnly(2023, 12, 31), tuned.TrainingEnd);
    }

    private string Write(string json)
    {
        var path = Path.Combine(_root, "scenario.json");
        File.WriteAllText(path, json);
        return path;
    }
}

/// <summary>The season report of a comparison with an lstm says which of its feature groups moved its forecasts most.</summary>
[Collection(CliCollection.Name)]
public sealed class CompareImportanceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-compare-importance-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_comparison_with_an_lstm_reports_its_feature_groups_by_permutation_importance()
    {
        var data = Path.Combine(_root, "data");
        var model = Path.Combine(_root, "model");
        Assert.Equal(0, (await Run("generate", "--preset", "steady", "--skus", "4", "--years", "2", "--seed", "3", "--out", data)).Code);
        var trained = await Run("train", "--dataset", data, "--out", model, "--train-end", "2022-10-01", "--epochs", "1", "--hidden", "8", "--layers", "1", "--seed", "3");
        Assert.True(trained.Code == 0, trained.Error);
        var scenario = Path.Combine(_root, "scenario.json");
        File.WriteAllText(scenario, """
            {
              "name": "importance",
              "dataset": "data",
              "window": { "start": "2022-10-01", "end": "2022-12-29" },
              "reviewPeriodDays": 7,
              "forecasters": { "lstm": { "model": "model" } },
              "policies": [ { "name": "sS" }, { "name": "forecast-order-up-to:lstm" } ]
            }
            """);
        var request = new CompareRequest { ScenarioPath = scenario, Bootstrap = new BootstrapOptions(Resamples: 100) };

        await using var silo = await SeasonalGrains.Simulation.Hosting.EmbeddedSilo.StartAsync();
        var result = await CompareRunner.RunAsync(request, silo.Grains, silo.Services.GetRequiredService<ReplayForecastService>());

        // 90 window days: origins on window days 0, 28 and 56 (84 + 28 > 90); 5 groups x (all SKUs + 4 SKUs)
        Assert.Equal(5 * (1 + 4), result.Importance.Count);
        var note = Assert.Single(CompareRunnerOutput.Report(result).Notes, n => n.StartsWith("What moved the lstm's forecasts", StringComparison.Ordinal));
        Assert.Contains("own-history", note);
        Assert.Contains("4 SKUs from origins every 28 days", note);
    }
}
