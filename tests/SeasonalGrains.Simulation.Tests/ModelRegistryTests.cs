using System.Text.Json;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Grains.Live;
using SeasonalGrains.Grains.Live.Registry;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>The registry's rules on the folder and in-memory registries, with two tiny trained models (PostgreSQL: SeasonalGrains.Storage.Tests).</summary>
[Collection(CliCollection.Name)]
public sealed class ModelRegistryTests(TinyLiveModel tiny) : IDisposable
{
    private static readonly ModelVersionId Jackets1 = new("jackets", 1);
    private static readonly ModelVersionId Jackets2 = new("jackets", 2);

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-registry-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("folder")]
    [InlineData("memory")]
    public async Task Versions_are_numbered_per_name_the_first_becomes_active_and_rollback_walks_back_through_the_activations(string kind)
    {
        var registry = Create(kind);

        var first = await registry.AddAsync(tiny.Model, "jackets");
        var second = await registry.AddAsync(await tiny.RetrainedAsync(), "jackets");
        var other = await registry.AddAsync(tiny.Model); // named after its folder

        Assert.Equal([Jackets1, Jackets2, new ModelVersionId("tiny", 1)], new[] { first.Id, second.Id, other.Id });
        Assert.Equal(Jackets1, await registry.GetActiveAsync()); // the first version of the empty registry; later ones wait
        Assert.Equal(Jackets2, (await registry.ActivateAsync(Jackets2)).Id);
        Assert.Equal(Jackets2, await registry.GetActiveAsync());
        await registry.ActivateAsync(new ModelVersionId("tiny", 1));
        Assert.Equal(Jackets2, (await registry.RollbackAsync()).Id);
        Assert.Equal(Jackets1, (await registry.RollbackAsync()).Id);
        Assert.Equal(Jackets1, await registry.GetActiveAsync());
        var none = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.RollbackAsync());
        Assert.Equal(ModelRegistryFailure.NothingToRollBack, none.Failure);
        Assert.Equal("there is no previously active version to roll back to: jackets@1 is the only version activated.", none.Message);

        // the log keeps every activation, the rolled-back ones marked
        var log = (await registry.ReadAsync()).Activations;
        Assert.Equal(["jackets@1", "jackets@2", "tiny@1"], log.Select(a => a.Id.ToString()));
        Assert.Equal([false, true, true], log.Select(a => a.RolledBackAt is not null));
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("memory")]
    public async Task A_version_records_the_training_range_dataset_fingerprint_and_validation_figures_and_gives_back_its_files(string kind)
    {
        var registry = Create(kind);
        using var model = LstmModel.Load(tiny.Model);
        var metadata = model.Metadata;

        var added = await registry.AddAsync(tiny.Model, "jackets");
        var folder = await registry.MaterializeAsync(Jackets1);

        Assert.Equal(LiveModels.Fingerprint(tiny.Model), added.Fingerprint);
        Assert.Matches("^[0-9a-f]{12}$", added.Fingerprint);
        Assert.Equal(metadata.DatasetName, added.DatasetName);
        Assert.Equal(metadata.DatasetStart, added.DatasetStart);
        Assert.Equal(metadata.TrainEndDay, added.TrainEndDay);
        Assert.Equal(metadata.ValidationStartDay, added.ValidationStartDay);
        Assert.Equal(metadata.DatasetStart.AddDays(metadata.TrainEndDay - 1), added.TrainEnd);
        Assert.Equal(metadata.TrainingDataSha256, added.TrainingDataSha256);
        Assert.Matches("^[0-9a-f]{64}$", added.TrainingDataSha256);
        Assert.Equal(metadata.Validation.PinballLoss, added.ValidationPinball);
        Assert.Equal(metadata.Validation.MeanWape, added.ValidationMeanWape);
        Assert.Equal(metadata.Validation.Coverage, added.ValidationCoverage);
        Assert.Equal(metadata.Created, added.TrainedAt);
        Assert.Equal(JsonSerializer.Serialize(added), JsonSerializer.Serialize((await registry.ReadAsync()).Get(Jackets1))); // as stored

        // the three files of the model folder, byte for byte
        Assert.Equal(["model.json", "training.csv", "weights.bin"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in Directory.GetFiles(tiny.Model))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(folder, Path.GetFileName(file))));
        }
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("memory")]
    public async Task Unknown_versions_unloadable_folders_and_files_registered_twice_are_refused_and_change_nothing(string kind)
    {
        var registry = Create(kind);
        await registry.AddAsync(tiny.Model, "jackets");
        await registry.AddAsync(await tiny.RetrainedAsync(), "jackets");
        var broken = Path.Combine(_root, "broken");
        Directory.CreateDirectory(broken);
        File.Copy(Path.Combine(tiny.Model, LstmModel.MetadataFile), Path.Combine(broken, LstmModel.MetadataFile));

        var unknown = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.ActivateAsync(new ModelVersionId("jackets", 3)));
        var unloadable = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.AddAsync(broken, "jackets"));
        var missing = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.AddAsync(Path.Combine(_root, "nowhere")));
        var twice = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.AddAsync(tiny.Model, "jackets"));
        var badName = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.AddAsync(tiny.Model, "down jackets"));

        Assert.Equal(ModelRegistryFailure.UnknownVersion, unknown.Failure);
        Assert.Equal("there is no model version jackets@3; known versions: jackets@1, jackets@2.", unknown.Message);
        Assert.Equal(ModelRegistryFailure.InvalidModel, unloadable.Failure);
        Assert.Equal(
            $"the model folder '{broken}' does not load: '{broken}' is not an LSTM model folder: it needs model.json and weights.bin. Make one with `seasonal train --dataset DIR --out DIR`.",
            unloadable.Message);
        Assert.Equal($"the model folder '{Path.Combine(_root, "nowhere")}' does not exist. Make one with `seasonal train --dataset DIR --out DIR`.", missing.Message);
        Assert.Equal(ModelRegistryFailure.AlreadyRegistered, twice.Failure);
        Assert.Equal($"these model files (fingerprint {LiveModels.Fingerprint(tiny.Model)}) are already registered as jackets@1.", twice.Message);
        Assert.StartsWith("'down jackets' is not a model name", badName.Message, StringComparison.Ordinal);
        var book = await registry.ReadAsync();
        Assert.Equal([Jackets1, Jackets2], book.Versions.Select(v => v.Id));
        Assert.Equal(Jackets1, book.Active);
        Assert.Single(book.Activations);
    }

    [Fact]
    public async Task A_folder_registry_keeps_its_own_copy_that_another_process_reads_and_checks_against_the_fingerprint()
    {
        var source = Path.Combine(_root, "down-jackets");
        Directory.CreateDirectory(source);
        foreach (var file in Directory.GetFiles(tiny.Model))
        {
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)));
        }

        var registryRoot = Path.Combine(_root, "registry");
        var added = await new FolderModelRegistry(registryRoot).AddAsync(source);
        Directory.Delete(source, recursive: true);

        var again = new FolderModelRegistry(registryRoot); // a registry opened afresh on the same folder
        var folder = await again.MaterializeAsync(new ModelVersionId("down-jackets", 1));
        Assert.Equal(Path.Combine(registryRoot, "down-jackets", "1"), folder);
        Assert.Equal(added.Fingerprint, LiveModels.Fingerprint(folder));
        Assert.Equal(new ModelVersionId("down-jackets", 1), await again.GetActiveAsync());
        Assert.True(File.Exists(Path.Combine(registryRoot, FolderModelRegistry.IndexFile)));

        File.AppendAllText(Path.Combine(folder, LstmModel.MetadataFile), " ");
        var damaged = await Assert.ThrowsAsync<ModelRegistryException>(() => again.MaterializeAsync(new ModelVersionId("down-jackets", 1)));
        Assert.Equal(ModelRegistryFailure.Damaged, damaged.Failure);
        Assert.StartsWith($"the files of down-jackets@1 do not match its fingerprint {added.Fingerprint} (they hash to ", damaged.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("down-jackets@2", "down-jackets", 2)]
    [InlineData("a.b_c@10", "a.b_c", 10)]
    public void Model_versions_are_read_as_name_at_version(string text, string name, int version)
    {
        Assert.True(ModelVersionId.TryParse(text, out var id, out _));
        Assert.Equal(new ModelVersionId(name, version), id);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("down-jackets", "'down-jackets' is not NAME@VERSION (e.g. down-jackets@2)")]
    [InlineData("down-jackets@0", "'down-jackets@0' is not NAME@VERSION: the version is a whole number from 1")]
    [InlineData("down-jackets@v2", "'down-jackets@v2' is not NAME@VERSION: the version is a whole number from 1")]
    [InlineData("@2", "a model name is required")]
    public void Anything_else_is_refused_with_the_reason(string text, string problem)
    {
        Assert.False(ModelVersionId.TryParse(text, out _, out var reason));
        Assert.Equal(problem, reason);
    }

    private ModelRegistry Create(string kind) => kind == "folder"
        ? new FolderModelRegistry(Path.Combine(_root, "registry"))
        : new MemoryModelRegistry(Path.Combine(_root, "cache"));
}
