using SeasonalGrains.Data.Generation;
using SeasonalGrains.Forecasting.Features;
using SeasonalGrains.Forecasting.Lstm;
using SeasonalGrains.Grains.Live;
using SeasonalGrains.Grains.Live.Registry;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Storage.Tests;

/// <summary>
/// The model registry in PostgreSQL (migration 0005) on the real test server: two registries on one database stand for
/// two silos (or a silo and a CLI). The models are small untrained LSTMs, each seed its own weights and fingerprint.
/// </summary>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class PostgresModelRegistryTests(PostgresDatabaseFixture postgres) : IDisposable
{
    private static readonly ModelVersionId Jackets1 = new("jackets", 1);
    private static readonly ModelVersionId Jackets2 = new("jackets", 2);

    private readonly string _root = Directory.CreateTempSubdirectory("seasonal-pg-registry-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Two_registries_on_one_database_see_the_same_versions_and_active_version_and_each_caches_the_files()
    {
        var database = await MigratedDatabaseAsync("registry");
        var a = new PostgresModelRegistry(database, Path.Combine(_root, "cache-a"));
        var b = new PostgresModelRegistry(database, Path.Combine(_root, "cache-b"));
        var first = ModelFolder(seed: 1);
        var second = ModelFolder(seed: 2);

        Assert.Equal(Jackets1, (await a.AddAsync(first, "jackets")).Id);
        Assert.Equal(Jackets2, (await b.AddAsync(second, "jackets")).Id);
        Assert.Equal(Jackets1, await b.GetActiveAsync()); // the first version of the empty registry
        await b.ActivateAsync(Jackets2);
        Assert.Equal(Jackets2, await a.GetActiveAsync());

        var cached = await a.MaterializeAsync(Jackets2);
        Assert.Equal(Path.Combine(_root, "cache-a", "jackets", $"2-{LiveModels.Fingerprint(second)}"), cached);
        foreach (var file in Directory.GetFiles(second))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(cached, Path.GetFileName(file))));
        }

        var version = (await b.ReadAsync()).Get(Jackets2);
        Assert.Equal(LiveModels.Fingerprint(second), version.Fingerprint);
        Assert.Equal("(none)", version.DatasetName);
        Assert.Null(version.ValidationPinball); // an untrained model has no validation figures
        Assert.Null(version.TrainEnd);

        Assert.Equal(Jackets1, (await a.RollbackAsync()).Id);
        Assert.Equal(Jackets1, await b.GetActiveAsync());
        var none = await Assert.ThrowsAsync<ModelRegistryException>(() => b.RollbackAsync());
        Assert.Equal("there is no previously active version to roll back to: jackets@1 is the only version activated.", none.Message);
        var unknown = await Assert.ThrowsAsync<ModelRegistryException>(() => a.ActivateAsync(new ModelVersionId("jackets", 3)));
        Assert.Equal("there is no model version jackets@3; known versions: jackets@1, jackets@2.", unknown.Message);
        Assert.Equal(["jackets@1", "jackets@2"], (await b.ReadAsync()).Activations.Select(x => x.Id.ToString()));
    }

    [Fact]
    public async Task Concurrent_adds_and_activations_from_two_registries_apply_one_at_a_time()
    {
        var database = await MigratedDatabaseAsync("race");
        ModelRegistry[] registries = [new PostgresModelRegistry(database, Path.Combine(_root, "a")), new PostgresModelRegistry(database, Path.Combine(_root, "b"))];
        var folders = Enumerable.Range(1, 6).Select(seed => ModelFolder(seed)).ToList();

        var added = await Task.WhenAll(folders.Select((folder, i) => Task.Run(() => registries[i % 2].AddAsync(folder, "race"))));
        var activations = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => registries[i % 2].ActivateAsync(new ModelVersionId("race", 1 + (i % 6))))));

        Assert.Equal([1, 2, 3, 4, 5, 6], added.Select(v => v.Version).Order());
        Assert.Equal(12, activations.Length);
        var book = await registries[0].ReadAsync();
        Assert.Equal(6, book.Versions.Count);
        var log = book.Activations;
        Assert.Equal(Enumerable.Range(1, log.Count).Select(n => (long)n), log.Select(x => x.Sequence)); // no gap, no duplicate
        Assert.All(log.Zip(log.Skip(1)), pair => Assert.NotEqual(pair.First.Id, pair.Second.Id)); // an activation of the active version adds nothing
        Assert.Equal(log[^1].Id, await registries[1].GetActiveAsync());
    }

    [Fact]
    public async Task An_unmigrated_database_is_refused_asking_for_db_migrate()
    {
        var database = await postgres.CreateDatabaseAsync("unmigrated");
        var registry = new PostgresModelRegistry(database, Path.Combine(_root, "cache"));

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.GetActiveAsync());

        Assert.Equal(ModelRegistryFailure.Unavailable, error.Failure);
        Assert.StartsWith("the model registry in the database '", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("has no registry tables: run `seasonal db migrate`.", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> MigratedDatabaseAsync(string prefix)
    {
        var database = await postgres.CreateDatabaseAsync(prefix);
        await new DatabaseMigrator().MigrateAsync(database);
        return database;
    }

    /// <summary>A small untrained model (window 14, horizon 7) saved in a folder of its own.</summary>
    private string ModelFolder(int seed)
    {
        var dataset = SeasonGenerator.Generate(new GeneratorOptions { Preset = SeasonPresets.DownJackets, Skus = 2, Years = 1, Seed = 5 }).Dataset;
        using var model = LstmModel.Untrained(
            FeatureSchema.Fit(dataset, window: 14, horizon: 7, fitEndDay: 300),
            new LstmOptions { Window = 14, Horizon = 7, HiddenSize = 8, Layers = 1, FutureHidden = 4, Seed = seed });
        var folder = Path.Combine(_root, $"model-{seed}");
        model.Save(folder);
        return folder;
    }
}
