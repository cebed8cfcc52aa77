using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Storage.Tests;

[Collection(OrleansClusterFixture.Collection)]
public sealed class SiloRestartTests(OrleansClusterFixture cluster)
{
    [Fact]
    public async Task State_survives_a_silo_restart()
    {
        var connectionString = await cluster.Server.CreateDatabaseAsync("restart");
        try
        {
            await new DatabaseMigrator().MigrateAsync(connectionString);
            var clustering = OrleansClusterFixture.NewClustering(connectionString);

            using (var first = await OrleansClusterFixture.StartSiloAsync(connectionString, clustering))
            {
                var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("restart");
                await grain.Add(40, "before");
                await grain.Add(2, "before restart");
                await first.StopAsync();
            }

            using var second = await OrleansClusterFixture.StartSiloAsync(connectionString, clustering);
            var again = second.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("restart");

            Assert.Equal(new CounterState { Value = 42, Note = "before restart" }, await again.Get());
            Assert.Equal("2", await again.GetETag());
            await second.StopAsync();
        }
        finally
        {
            await cluster.Server.DropDatabaseAsync(connectionString);
        }
    }
}
