using System.Globalization;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Grains.Live;
using static SeasonalGrains.Simulation.Tests.CliReplayTests;

namespace SeasonalGrains.Simulation.Tests;

/// <summary><c>seasonal models add/list/activate/rollback</c> on a registry folder.</summary>
[Collection(CliCollection.Name)]
public sealed class ModelsCliTests(TinyLiveModel tiny) : IDisposable
{
    private readonly string _registry = Path.Combine(Directory.CreateTempSubdirectory("seasonal-models-cli-").FullName, "registry");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_registry)!, recursive: true);

    [Fact]
    public async Task Add_list_activate_and_rollback_print_what_they_did_and_refusals_exit_2_changing_nothing()
    {
        var retrained = await tiny.RetrainedAsync();
        using var model = LstmModel.Load(tiny.Model);
        var metadata = model.Metadata;
        var first = LiveModels.Fingerprint(tiny.Model);
        var second = LiveModels.Fingerprint(retrained);

        var add1 = await Models("add", "--path", tiny.Model, "--name", "jackets");
        var add2 = await Models("add", "--path", retrained, "--name", "jackets");
        var list = await Models("list");

        Assert.Equal($"Added jackets@1 (fingerprint {first}) to the model registry folder {_registry}; it is the active version.", add1.Output.Trim());
        Assert.Equal($"Added jackets@2 (fingerprint {second}) to the model registry folder {_registry}.", add2.Output.Trim());
        var row1 = Row(list.Output, "jackets@1");
        var range = string.Create(CultureInfo.InvariantCulture, $"{metadata.DatasetStart:yyyy-MM-dd}..{metadata.DatasetStart.AddDays(metadata.TrainEndDay - 1):yyyy-MM-dd}");
        Assert.Contains("*", row1, StringComparison.Ordinal);
        Assert.Contains(range, row1, StringComparison.Ordinal);
        Assert.Contains(metadata.DatasetStart.AddDays(metadata.ValidationStartDay).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row1, StringComparison.Ordinal);
        Assert.Contains(metadata.TrainingDataSha256[..12], row1, StringComparison.Ordinal);
        Assert.Contains(first, row1, StringComparison.Ordinal);
        Assert.Contains(metadata.Validation.PinballLoss.ToString("0.0000", CultureInfo.InvariantCulture), row1, StringComparison.Ordinal);
        Assert.DoesNotContain("*", Row(list.Output, "jackets@2"), StringComparison.Ordinal);
        Assert.Contains(second, Row(list.Output, "jackets@2"), StringComparison.Ordinal);
        Assert.EndsWith("Active: jackets@1.", list.Output.Trim(), StringComparison.Ordinal);

        Assert.Equal("Activated jackets@2.", (await Models("activate", "jackets@2")).Output.Trim());
        Assert.EndsWith("Active: jackets@2.", (await Models("list")).Output.Trim(), StringComparison.Ordinal);

        var unknown = await Run(["models", "activate", "jackets@7", "--registry", _registry]);
        Assert.Equal((2, "error: there is no model version jackets@7; known versions: jackets@1, jackets@2. Nothing was changed."), (unknown.Code, unknown.Error.Trim()));

        Assert.Equal("Rolled back from jackets@2 to jackets@1.", (await Models("rollback")).Output.Trim());
        var nothing = await Run(["models", "rollback", "--registry", _registry]);
        Assert.Equal(
            (2, "error: there is no previously active version to roll back to: jackets@1 is the only version activated. Nothing was changed."),
            (nothing.Code, nothing.Error.Trim()));

        var broken = await Run(["models", "add", "--path", Path.Combine(tiny.Root, "data"), "--registry", _registry]);
        Assert.Equal(2, broken.Code);
        Assert.Contains("is not an LSTM model folder: it needs model.json and weights.bin. Make one with `seasonal train --dataset DIR --out DIR`. Nothing was changed.", broken.Error, StringComparison.Ordinal);
        Assert.EndsWith("Active: jackets@1.", (await Models("list")).Output.Trim(), StringComparison.Ordinal);
        Assert.Equal(["jackets"], Directory.GetDirectories(_registry).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Activate_reads_name_at_version_and_the_registry_is_either_a_folder_or_postgres()
    {
        var malformed = await Run(["models", "activate", "jackets", "--registry", _registry]);
        var both = await Run(["models", "list", "--registry", _registry, "--storage", "postgres", "--connection", "Host=127.0.0.1;Database=x"]);

        Assert.Equal((2, "error: 'jackets' is not NAME@VERSION (e.g. down-jackets@2)."), (malformed.Code, malformed.Error.Trim()));
        Assert.Equal(2, both.Code);
        Assert.Equal("error: --registry names a registry folder; with --storage postgres the registry is in the database: drop one of them.", both.Error.Trim());
        Assert.False(Directory.Exists(_registry));
    }

    private async Task<(int Code, string Output, string Error)> Models(params string[] args)
    {
        var run = await Run(["models", .. args, "--registry", _registry]);
        Assert.True(run.Code == 0, run.Output + run.Error);
        return run;
    }

    private static string Row(string output, string model) =>
        Assert.Single(output.Split('\n'), line => line.Contains(" " + model + " ", StringComparison.Ordinal));
}
