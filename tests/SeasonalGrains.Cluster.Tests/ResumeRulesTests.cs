using System.Text.Json;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Cli;
using SeasonalGrains.Simulation.Hosting;
using SeasonalGrains.Storage;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>The rules that make resuming safe: chunks are never run twice, and a run resumes only on the input it started with.</summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class ResumeRulesTests(PostgresDatabaseFixture postgres) : IDisposable
{
    private const string Scenario = """
        {
          "name": "rules",
          "dataset": "data",
          "generate": { "preset": "steady", "skus": 12, "years": 2, "seed": 9 },
          "window": { "lastDays": 90 },
          "policies": [ { "name": "sS" }, { "name": "rQ" } ]
        }
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-rules-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_chunk_sent_again_is_not_run_twice_and_the_closing_chunk_returns_the_result_again()
    {
        await using var silo = await EmbeddedSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ISkuGrain>(SkuKeys.Replay("again", "sS", "A"));
        var setup = new SkuSetup
        {
            Sku = "A",
            Terms = new SkuTermsSpec { LeadTimeDays = 1, InitialOnHand = 5 },
            Costs = new CostRatesSpec(),
            Policy = new PolicySpec { Name = "sS", Parameters = [new PolicyParameter("s", 2), new PolicyParameter("S", 6)] },
            WindowDays = 4,
        };
        DemandChunk Days(int start) => new() { Sku = "A", StartDay = start, Units = [1, 2] };

        Assert.Null(await grain.Start(setup, Days(0)));
        Assert.Null(await grain.RunDays(Days(0)));
        var closed = await grain.RunDays(Days(2));
        var again = await grain.RunDays(Days(2));
        var earlier = await grain.RunDays(Days(0));
        var status = await grain.GetStatus();

        Assert.Equal(4, status.Day);
        Assert.Equal(6, status.Metrics!.UnitsDemanded); // 1 + 2 + 1 + 2: each day once
        Assert.Equal(closed, again);
        Assert.Null(earlier);
        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.RunDays(new DemandChunk { Sku = "A", StartDay = 3, Units = [1, 1] }));
    }

    [Fact]
    public async Task A_finished_run_resumed_again_gives_the_same_results_and_a_changed_scenario_is_refused()
    {
        var database = await postgres.CreateDatabaseAsync("rules");
        await new DatabaseMigrator().MigrateAsync(database);
        var scenario = Path.Combine(_root, "scenario.json");
        await File.WriteAllTextAsync(scenario, Scenario);

        var first = await Run("replay", "--scenario", scenario, "--out", Path.Combine(_root, "first"), "--storage", "postgres", "--connection", database, "--chunk-days", "20");
        Assert.True(first.Code == 0, first.Error);
        var runId = first.Output.Split('\n').Single(l => l.StartsWith("Run id: ", StringComparison.Ordinal)).Split(' ')[2];
        var again = await Run("replay", "--resume", runId, "--out", Path.Combine(_root, "again"), "--storage", "postgres", "--connection", database);
        await File.WriteAllTextAsync(scenario, Scenario.Replace("\"lastDays\": 90", "\"lastDays\": 80", StringComparison.Ordinal));
        var changed = await Run("replay", "--resume", runId, "--out", Path.Combine(_root, "changed"), "--storage", "postgres", "--connection", database);

        Assert.True(again.Code == 0, again.Error);
        Assert.Contains("Resuming run " + runId + ": 10 of 10 batch chunks were checkpointed", again.Output, StringComparison.Ordinal); // 2 policies x 1 batch x 5 chunks (4 x 20 days + 10)
        Assert.Equal(Metrics(Path.Combine(_root, "first")), Metrics(Path.Combine(_root, "again")));
        Assert.Equal(SeasonalCli.BadInput, changed.Code);
        Assert.Contains("changed since run '" + runId + "' started", changed.Error, StringComparison.Ordinal);
    }

    /// <summary>summary.json's policy entries without their timing.</summary>
    private static string Metrics(string folder)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        return string.Join('\n', summary.RootElement.GetProperty("policies").EnumerateArray()
            .SelectMany(p => p.EnumerateObject().Where(m => m.Name != "seconds").Select(m => $"{m.Name}={m.Value}")));
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SeasonalCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
