using SeasonalGrains.Cli;
using static SeasonalGrains.Simulation.Tests.CliReplayTests;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>The one rule of every command that writes a folder: <c>--out</c> is checked before any work; a non-empty folder needs <c>--force</c> and is then replaced whole.</summary>
[Collection(CliCollection.Name)]
public sealed class OutputFolderCliTests : IDisposable
{
    private const string TinyScenario = """
        {
          "name": "tiny",
          "dataset": "data-generated",
          "generate": { "preset": "steady", "skus": 3, "years": 1, "seed": 3 },
          "window": { "lastDays": 30 },
          "policies": [ { "name": "sS" } ],
          "traceSkus": []
        }
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-out-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Replay_to_an_existing_file_is_refused_before_any_work_and_the_file_is_kept()
    {
        var scenario = Write("scenario.json", TinyScenario);
        var file = Write("results.txt", "keep me");

        var (code, _, error) = await Run("replay", "--scenario", scenario, "--out", file);

        Assert.Equal(2, code);
        Assert.Equal($"error: --out: '{file}' is an existing file; name a folder to write the results to. Nothing was written.", error.Trim());
        Assert.Equal("keep me", File.ReadAllText(file));
        Assert.False(Directory.Exists(Path.Combine(_root, "data-generated")), "the dataset was not even generated");
    }

    [Fact]
    public async Task Every_folder_writing_command_refuses_an_existing_file_as_out_before_reading_its_input()
    {
        var file = Write("taken", "keep me");
        var missing = Path.Combine(_root, "no-such-input");
        string[][] commands =
        [
            ["replay", "--scenario", missing, "--out", file],
            ["compare", "--scenario", missing, "--out", file],
            ["train", "--dataset", missing, "--out", file],
            ["backtest", "--dataset", missing, "--forecasters", "ets", "--out", file],
            ["generate", "--out", file],
            ["import", "m5", "--input", missing, "--out", file],
            ["import", "bike-sharing", "--input", missing, "--out", file],
        ];

        foreach (var args in commands)
        {
            var (code, _, error) = await Run(args);
            Assert.True(code == 2, $"{args[0]}: exit {code}\n{error}");
            Assert.StartsWith($"error: --out: '{file}' is an existing file", error, StringComparison.Ordinal);
        }

        Assert.Equal("keep me", File.ReadAllText(file));
        Assert.Equal(["taken"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_non_empty_out_folder_is_refused_without_force_and_replaced_whole_with_it()
    {
        var scenario = Write("scenario.json", TinyScenario);
        var outDir = Path.Combine(_root, "run");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "trace.csv"), "an old run's trace");

        var (refused, _, error) = await Run("replay", "--scenario", scenario, "--out", outDir);
        Assert.Equal(2, refused);
        Assert.Contains($"the folder '{outDir}' is not empty; name a new folder, or give --force to replace it whole.", error);
        Assert.Equal(["trace.csv"], Directory.GetFiles(outDir).Select(Path.GetFileName));

        var (code, output, error2) = await Run("replay", "--scenario", scenario, "--out", outDir, "--force");
        Assert.True(code == 0, $"exit {code}\n{output}\n{error2}");

        // the new run's files only: the old trace.csv did not survive beside the new summary, and no temporary folder is left
        Assert.Equal(["per-sku.csv", "summary.json"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["data-generated", "run", "scenario.json"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_empty_out_folder_is_written_without_force()
    {
        var scenario = Write("scenario.json", TinyScenario);
        var outDir = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;

        var (code, output, error) = await Run("replay", "--scenario", scenario, "--out", outDir);

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");
        Assert.Equal(["per-sku.csv", "summary.json"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        return path;
    }
}
