using SeasonalGrains.Simulation.Hosting;

namespace SeasonalGrains.Simulation.Tests;

/// <summary>One in-process silo, configured like every other, shared by the tests of the collection.</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    private EmbeddedSilo? _silo;

    public IGrainFactory Grains => _silo?.Grains ?? throw new InvalidOperationException("The silo has not started.");

    public IServiceProvider Services => _silo?.Services ?? throw new InvalidOperationException("The silo has not started.");

    public async Task InitializeAsync() => _silo = await EmbeddedSilo.StartAsync();

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}
