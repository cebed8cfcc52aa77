using System.Text.Json;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.Domain.Inventory;
using static SeasonalGrains.Simulation.Tests.CliReplayTests;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>The domain limits at the CLI's doors: dataset files and scenario parameters out of bounds exit 2 and write nothing.</summary>
[Collection(CliCollection.Name)]
public sealed class CliLimitsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-cli-limits-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Huge_units_on_a_history_day_exit_2_naming_file_and_line_and_validate_refuses_them()
    {
        var data = WriteDataset(TestData.Small(skus: 2, days: 60));
        SetUnits(data, row: 2, "1e160"); // line 3, a history day (the window is the last 20 days)
        var outDir = Path.Combine(_root, "run");

        var (code, _, error) = await Run("replay", "--scenario", WriteScenario("""{ "name": "huge", "dataset": "data", "window": { "lastDays": 20 }, "policies": [ { "name": "sS" } ] }"""), "--out", outDir);
        var (validateCode, _, validateError) = await Run("validate", "--dataset", data);

        Assert.True(code == 2, $"exit {code}\n{error}");
        Assert.Contains("demand.csv:3:units: 1e160 is out of range: must be 0 or a number of units from 0.000001 to 1000000000", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(2, validateCode);
        Assert.Contains("demand.csv:3:units: 1e160 is out of range", validateError);
    }

    [Fact]
    public async Task Units_of_1e308_or_5e_324_on_a_window_day_exit_2_instead_of_printing_Infinity()
    {
        var data = WriteDataset(TestData.Small(skus: 2, days: 60));
        SetUnits(data, row: 55, "1e308");
        SetUnits(data, row: 56, "5e-324");

        var (code, output, error) = await Run("replay", "--scenario", WriteScenario("""{ "name": "huge", "dataset": "data", "window": { "lastDays": 20 }, "policies": [ { "name": "sS" } ] }"""), "--out", Path.Combine(_root, "run"));

        Assert.Equal(2, code);
        Assert.Contains("demand.csv:56:units: 1e308 is out of range", error);
        Assert.Contains("demand.csv:57:units: 5e-324 is out of range", error);
        Assert.DoesNotContain("Infinity", output);
    }

    [Theory]
    [InlineData("""{ "s": 10, "S": 1e308 }""", "policies[0].parameters.S: must be a finite number from -1000000000 to 1000000000 (got 1E+308)")]
    [InlineData("""{ "s": -5, "S": -1 }""", "policies[0].parameters: S is an order-up-to level and must be >= 0 (got -1)")]
    public async Task Out_of_bounds_policy_parameters_exit_2_naming_the_key(string parameters, string expected)
    {
        WriteDataset(TestData.Small(skus: 2, days: 60));
        var scenario = WriteScenario($$"""{ "name": "params", "dataset": "data", "window": { "lastDays": 20 }, "policies": [ { "name": "sS", "parameters": {{parameters}} } ] }""");
        var outDir = Path.Combine(_root, "run");

        var (code, _, error) = await Run("replay", "--scenario", scenario, "--out", outDir);

        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_replay_with_units_at_the_maximum_on_every_day_finishes_with_finite_figures()
    {
        var dataset = TestData.Small(skus: 2, days: 730);
        foreach (var series in dataset.Series)
        {
            Array.Fill(series.Units, DomainLimits.MaxUnits);
        }

        WriteDataset(dataset);
        var scenario = WriteScenario("""
            {
              "name": "max", "dataset": "data", "window": { "lastDays": 365 }, "fulfilment": "backorders",
              "costs": { "holding": { "perUnitDay": 1000000000 }, "shortage": { "perUnit": 1000000000 }, "fixedPerOrder": 1000000000, "purchaseCost": true },
              "policies": [ { "name": "sS" }, { "name": "base-stock", "parameters": { "S": 1000000000 } } ]
            }
            """);
        var outDir = Path.Combine(_root, "run");

        var (code, output, error) = await Run("replay", "--scenario", scenario, "--out", outDir);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.DoesNotContain("Infinity", output);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        foreach (var policy in summary.RootElement.GetProperty("policies").EnumerateArray())
        {
            // 2 SKUs x 365 days x 1e9 units
            Assert.Equal(7.3e11, policy.GetProperty("unitsDemanded").GetDouble());
            foreach (var key in new[] { "totalCost", "holdingCost", "shortageCost", "orderingCost" })
            {
                var value = policy.GetProperty(key);
                Assert.True(value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()), $"{key} = {value}");
            }
        }
    }

    private string WriteDataset(Dataset dataset)
    {
        var data = Path.Combine(_root, "data");
        DatasetWriter.Write(dataset, data);
        return data;
    }

    private string WriteScenario(string json)
    {
        var path = Path.Combine(_root, "scenario.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Sets the units of data row <paramref name="row"/> of demand.csv (row 1 is on line 2).</summary>
    private static void SetUnits(string data, int row, string units)
    {
        var demand = Path.Combine(data, DatasetFiles.Demand);
        var rows = File.ReadAllLines(demand);
        var fields = rows[row].Split(',');
        fields[Array.IndexOf(rows[0].Split(','), "units")] = units;
        rows[row] = string.Join(',', fields);
        File.WriteAllLines(demand, rows);
    }
}
