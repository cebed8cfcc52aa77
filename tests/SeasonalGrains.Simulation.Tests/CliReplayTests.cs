using System.Text.Json;
using SeasonalGrains.Cli;
using SeasonalGrains.Data.Io;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>The <c>seasonal</c> command run in this process with captured output (each run starts its own embedded silo).</summary>
[Collection(CliCollection.Name)]
public sealed class CliReplayTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Replay_writes_a_summary_entry_per_policy_and_a_csv_row_per_sku_and_policy()
    {
        var scenario = WriteScenario("""
            {
              "name": "tiny",
              "dataset": "data-generated",
              "generate": { "preset": "steady", "skus": 5, "years": 1, "seed": 3 },
              "window": { "lastDays": 60 },
              "costs": { "fixedPerOrder": 5 },
              "policies": [ { "name": "sS" }, { "name": "base-stock" } ],
              "traceSkus": []
            }
            """);
        var outDir = Path.Combine(_root, "run");

        var (code, output, error) = await Run("replay", "--scenario", scenario, "--out", outDir, "--chunk-days", "20");

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.True(Directory.Exists(Path.Combine(_root, "data-generated")), "the generate block creates the dataset folder");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal("tiny", root.GetProperty("scenario").GetString());
        Assert.Equal(5, root.GetProperty("skus").GetInt32());
        Assert.Equal(60, root.GetProperty("days").GetInt32());
        Assert.Equal(60, root.GetProperty("window").GetProperty("days").GetInt32());
        Assert.Equal(2 * 5 * 60, root.GetProperty("skuDays").GetInt64());
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        var policies = root.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(["sS", "base-stock"], policies.Select(p => p.GetProperty("policy").GetString()));
        foreach (var key in new[] { "fillRate", "cycleServiceLevel", "turnover", "holdingCost", "shortageCost", "orderingCost", "totalCost", "costPerSkuDay", "unitsDemanded", "skuDays" })
        {
            Assert.All(policies, p => Assert.True(p.TryGetProperty(key, out _), $"summary policy entry lacks '{key}'"));
        }

        var first = policies[0];
        Assert.Equal(5 * 60, first.GetProperty("skuDays").GetInt64());
        Assert.Equal(
            first.GetProperty("totalCost").GetDouble() / (5 * 60),
            first.GetProperty("costPerSkuDay").GetDouble(),
            9);

        var lines = File.ReadAllLines(Path.Combine(outDir, "per-sku.csv"));
        Assert.StartsWith("policy,sku,category,region,days,skuDays,", lines[0]);
        Assert.Equal(1 + (2 * 5), lines.Length);
        Assert.Equal(5, lines.Count(l => l.StartsWith("sS,", StringComparison.Ordinal)));
        Assert.Equal(5, lines.Count(l => l.StartsWith("base-stock,", StringComparison.Ordinal)));
        Assert.Contains("sS", output);
        Assert.Empty(Directory.GetDirectories(_root, ".run.tmp-*"));
    }

    [Fact]
    public async Task A_broken_dataset_exits_with_code_2_lists_file_line_column_and_writes_nothing()
    {
        var data = Path.Combine(_root, "data");
        DatasetWriter.Write(TestData.Small(skus: 2, days: 60), data);
        var demand = Path.Combine(data, DatasetFiles.Demand);
        var rows = File.ReadAllLines(demand);
        var fields = rows[2].Split(',');
        fields[Array.IndexOf(rows[0].Split(','), "units")] = "abc";
        rows[2] = string.Join(',', fields);
        File.WriteAllLines(demand, rows);
        var scenario = WriteScenario("""
            { "name": "broken", "dataset": "data", "window": { "lastDays": 20 }, "policies": [ { "name": "sS" } ] }
            """);
        var outDir = Path.Combine(_root, "run");

        var (code, _, error) = await Run("replay", "--scenario", scenario, "--out", outDir);
        var (validateCode, _, validateError) = await Run("validate", "--dataset", data);

        Assert.Equal(2, code);
        Assert.Contains("demand.csv:3:units:", error);
        Assert.Contains("1 error(s)", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(2, validateCode);
        Assert.Contains("demand.csv:3:units:", validateError);
    }

    [Fact]
    public async Task A_bad_scenario_exits_with_code_2_and_names_the_key_without_a_stack_trace()
    {
        var scenario = WriteScenario("""
            { "name": "bad", "dataset": "data", "window": { "lastDays": 20 }, "costs": { "holding": { "perUnitDay": "high" } }, "policies": [ { "name": "sS" } ] }
            """);

        var (code, _, error) = await Run("replay", "--scenario", scenario);

        Assert.Equal(2, code);
        Assert.Contains("costs.holding.perUnitDay: must be a number", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Generate_and_import_write_dataset_folders_that_validate()
    {
        var generated = Path.Combine(_root, "gen");
        var imported = Path.Combine(_root, "bikes");
        var dayCsv = Path.Combine(_root, "day.csv");
        File.WriteAllLines(dayCsv,
        [
            "instant,dteday,season,yr,mnth,holiday,weekday,workingday,weathersit,temp,atemp,hum,windspeed,casual,registered,cnt",
            "1,2011-01-01,1,0,1,0,6,0,2,0.344167,0.363625,0.805833,0.160446,331,654,985",
            "2,2011-01-02,1,0,1,0,0,0,2,0.363478,0.353739,0.696087,0.248539,131,670,801",
            "3,2011-01-03,1,0,1,0,1,1,1,0.196364,0.189405,0.437273,0.248309,120,1229,1349",
        ]);

        var (genCode, genOut, _) = await Run("generate", "--preset", "summer", "--skus", "6", "--years", "1", "--seed", "5", "--out", generated);
        var (importCode, _, importError) = await Run("import", "bike-sharing", "--input", dayCsv, "--out", imported);
        var (validGen, validGenOut, _) = await Run("validate", "--dataset", generated);
        var (validBikes, validBikesOut, _) = await Run("validate", "--dataset", imported);

        Assert.Equal(0, genCode);
        Assert.Contains("6 SKUs x 365 days", genOut);
        Assert.True(importCode == 0, importError);
        Assert.Equal(0, validGen);
        Assert.Contains("valid. 6 SKUs, 365 days (2021-01-01..2021-12-31)", validGenOut);
        Assert.Equal(0, validBikes);
        Assert.Contains("valid. 1 SKUs, 3 days (2011-01-01..2011-01-03)", validBikesOut);
    }

    [Fact]
    public async Task Bench_replay_checks_the_grains_against_the_bare_loop_and_reports_what_the_grain_run_allocated()
    {
        var (code, output, error) = await Run("bench", "replay", "--skus", "60", "--days", "30", "--policy", "sS");

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        var grains = output.Split('\n').Single(l => l.StartsWith("│ through the grains", StringComparison.Ordinal)).Split('│', StringSplitOptions.TrimEntries);
        Assert.Equal("1,800", grains[2]); // 60 SKUs x 30 days
        Assert.Contains("Every SKU's metrics through the grains equal the bare loop's.", output);
        var allocation = System.Text.RegularExpressions.Regex.Match(
            output, @"the grain run allocated [\d,]+ MiB of managed memory \(([\d,]+) bytes per SKU-day\); collections: ([\d,]+) gen 0, ([\d,]+) gen 1, ([\d,]+) gen 2\.");
        Assert.True(allocation.Success, output);
        long Number(int group) => long.Parse(allocation.Groups[group].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Number(1) > 0, "the grain calls and their results allocate");

        // a collection of generation g also collects the younger ones, so the counts never rise with the generation
        Assert.True(Number(2) >= Number(3) && Number(3) >= Number(4), allocation.Value);
    }

    [Fact]
    public async Task An_unknown_option_exits_with_code_2()
    {
        var (code, _, error) = await Run("replay", "--scenario", "x.json", "--colour", "red");

        Assert.Equal(2, code);
        Assert.Contains("--colour", error);
    }

    [Fact]
    public async Task A_missing_model_names_the_command_that_trains_it_and_trainIfMissing_trains_it_on_first_use()
    {
        const string scenarioJson = """
            {
              "name": "tiny-lstm",
              "dataset": "data-generated",
              "generate": { "preset": "steady", "skus": 3, "years": 1, "seed": 3 },
              "window": { "lastDays": 30 },
              "costs": { "fixedPerOrder": 5 },
              "forecasters": { "lstm": { "model": "model-generated"TRAIN } },
              "policies": [ { "name": "forecast-lookahead:lstm" } ],
              "traceSkus": []
            }
            """;
        var scenario = WriteScenario(scenarioJson.Replace("TRAIN", "", StringComparison.Ordinal));
        var (code, _, error) = await Run("replay", "--scenario", scenario, "--out", Path.Combine(_root, "refused"));
        Assert.Equal(2, code);
        Assert.Contains($"seasonal train --dataset {Path.Combine(_root, "data-generated")} --out {Path.Combine(_root, "model-generated")} --train-end ", error);
        Assert.False(Directory.Exists(Path.Combine(_root, "refused")));

        scenario = WriteScenario(scenarioJson.Replace("TRAIN", ", \"trainIfMissing\": true", StringComparison.Ordinal));
        var outDir = Path.Combine(_root, "run");
        (code, var output, error) = await Run("replay", "--scenario", scenario, "--out", outDir);
        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.True(File.Exists(Path.Combine(_root, "model-generated", "model.json")), "the model is trained and kept");
        Assert.Equal(3, File.ReadAllLines(Path.Combine(outDir, "per-sku.csv")).Length - 1);

        // the kept model is used as it is the next time
        var written = File.GetLastWriteTimeUtc(Path.Combine(_root, "model-generated", "model.json"));
        (code, _, _) = await Run("replay", "--scenario", scenario, "--out", Path.Combine(_root, "again"));
        Assert.Equal(0, code);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(_root, "model-generated", "model.json")));
    }

    private string WriteScenario(string json)
    {
        var path = Path.Combine(_root, "scenario.json");
        File.WriteAllText(path, json);
        return path;
    }

    internal static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SeasonalCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

/// <summary>The tests that run the CLI in this process, one at a time; they share one tiny trained model (<see cref="TinyLiveModel"/>).</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<TinyLiveModel>
{
    public const string Name = "cli";
}
