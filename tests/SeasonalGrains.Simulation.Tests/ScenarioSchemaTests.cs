using System.Text.Json;
using Json.Schema;
using SeasonalGrains.Simulation.Scenarios;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>simulations/scenario.schema.json: every shipped scenario names it and meets it, and it refuses what the loader refuses by key.</summary>
public sealed class ScenarioSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFile(Path.Combine(TestData.RepositoryRoot(), "simulations", "scenario.schema.json")));

    [Theory]
    [MemberData(nameof(ShippedScenarioTests.ShippedScenarios), MemberType = typeof(ShippedScenarioTests))]
    public void Every_shipped_scenario_names_the_schema_and_meets_it(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepositoryRoot(), "simulations", file)));

        Assert.Equal("../scenario.schema.json", document.RootElement.GetProperty("$schema").GetString());
        Assert.Empty(Problems(document.RootElement));
    }

    [Theory]
    [InlineData("\"reviewPeriod\": 7", "reviewPeriod")] // a misspelt key
    [InlineData("\"fulfilment\": \"lost\"", "/fulfilment")]
    [InlineData("\"tuning\": { \"scope\": \"region\" }", "/tuning/scope")]
    [InlineData("\"forecasters\": { \"lstm\": { \"model\": \"m\", \"precision\": \"fp16\" } }", "/forecasters/lstm/precision")]
    [InlineData("\"forecasters\": { \"lstm\": { \"model\": \"m\", \"scaling\": \"log\" } }", "/forecasters/lstm/scaling")]
    public void The_schema_refuses_what_the_loader_refuses_under_the_same_key(string member, string where)
    {
        var json = $$"""{ "name": "x", "dataset": "d", "window": { "lastDays": 7 }, "policies": [ { "name": "sS" } ], {{member}} }""";
        using var document = JsonDocument.Parse(json);

        Assert.Contains(Problems(document.RootElement), p => p.Contains(where, StringComparison.Ordinal));
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(json, "/x/scenario.json"));
    }

    [Fact]
    public void A_minimal_scenario_meets_the_schema_and_loads_with_its_schema_key()
    {
        const string json = """{ "$schema": "../scenario.schema.json", "name": "x", "dataset": "d", "window": { "lastDays": 7 }, "policies": [ { "name": "sS" } ] }""";
        using var document = JsonDocument.Parse(json);

        Assert.Empty(Problems(document.RootElement));
        Assert.Equal("x", ScenarioLoader.Parse(json, "/x/scenario.json").Name);
    }

    /// <summary>Each failed check as "instance location: message" (additional properties name the key in the message).</summary>
    private static List<string> Problems(JsonElement instance)
    {
        var results = Schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var problems = new List<string>();
        foreach (var detail in (results.Details ?? []).Prepend(results))
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                problems.Add($"{detail.InstanceLocation}: {keyword}: {message}");
            }
        }

        return problems.Count > 0 ? problems : ["invalid (no message)"];
    }
}
