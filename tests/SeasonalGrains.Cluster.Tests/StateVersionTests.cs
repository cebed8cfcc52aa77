using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using SeasonalGrains.Abstractions;
using SeasonalGrains.Grains.State;
using SeasonalGrains.Simulation.Hosting;
using SeasonalGrains.Storage;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// Stored state survives new versions of its records: aliases and ids on every stored type, and a record written by
/// version 1 of <see cref="SkuState"/> (before <see cref="SkuState.SavedAt"/> was added) still loads.
/// </summary>
/// <remarks>
/// Fixtures/skustate-v1.bin holds the bytes (Orleans serializer) of the state version 1 of the SKU grain wrote for
/// <see cref="Setup"/> after running days 0-29 of <see cref="Demand"/> with a 60-day window and state written every
/// chunk. It was captured once from that version and must never be regenerated.
/// </remarks>
[Collection(PostgresDatabaseFixture.Collection)]
public sealed class StateVersionTests(PostgresDatabaseFixture postgres)
{
    private const string FixtureKey = "fixture/sS/frozen";

    private static readonly double[] Demand = [.. Enumerable.Range(0, 60).Select(d => (double)((d * 7) % 9))];

    private static readonly SkuSetup Setup = new()
    {
        Sku = "frozen",
        Terms = new SkuTermsSpec { LeadTimeDays = 2, InitialOnHand = 12, UnitCost = 3, UnitPrice = 7 },
        Costs = new CostRatesSpec { HoldingPerUnitDay = 0.01, ShortagePerUnit = 4, FixedPerOrder = 1 },
        Policy = new PolicySpec { Name = "sS", Parameters = [new PolicyParameter("s", 10), new PolicyParameter("S", 25)] },
        WindowDays = 60,
        StateWrites = StateWrites.EveryChunk,
    };

    [Fact]
    public void Every_type_stored_in_grain_state_has_an_alias_and_every_settable_property_an_id()
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([typeof(SkuState), typeof(ReplayState)]);
        var problems = new List<string>();
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            type = Nullable.GetUnderlyingType(type) ?? (type.IsArray ? type.GetElementType()! : type);
            if (type.IsArray)
            {
                pending.Push(type);
                continue;
            }

            if (type.Namespace?.StartsWith("SeasonalGrains", StringComparison.Ordinal) != true || !seen.Add(type))
            {
                continue;
            }

            if (type.GetCustomAttribute<AliasAttribute>() is null)
            {
                problems.Add($"{type.Name} has no [Alias]");
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
            {
                if (property.GetCustomAttribute<IdAttribute>() is null)
                {
                    problems.Add($"{type.Name}.{property.Name} has no [Id]");
                }

                pending.Push(property.PropertyType);
            }
        }

        Assert.Empty(problems);
        Assert.Contains(typeof(SkuSetup), seen);
        Assert.Contains(typeof(LedgerSnapshot), seen);
        Assert.Contains(typeof(ReplayPlan), seen);
        Assert.Contains(typeof(StateWrites), seen);
    }

    [Fact]
    public void A_record_written_by_version_1_of_the_sku_state_reads_with_the_new_field_empty()
    {
        using var services = new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(SkuState).Assembly).AddAssembly(typeof(SkuSetup).Assembly))
            .BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var state = serializer.Deserialize<SkuState>(File.ReadAllBytes(FixturePath))!;

        Assert.Equal(1, state.Version);
        Assert.Equal(2, SkuState.CurrentVersion);
        Assert.Null(state.SavedAt);
        Assert.False(state.Closed);
        Assert.Equal("frozen", state.Setup!.Sku);
        Assert.Equal(Setup.Terms, state.Setup!.Terms);
        Assert.Equal(Setup.Costs, state.Setup.Costs);
        Assert.Equal([new PolicyParameter("s", 10), new PolicyParameter("S", 25)], state.Setup.Policy.Parameters);
        Assert.Equal((60, StateWrites.EveryChunk), (state.Setup.WindowDays, state.Setup.StateWrites));
        Assert.Equal(30, state.Ledger!.Day);
        Assert.Equal(Demand[2..30], state.Window!.Units); // the feature window keeps the last 28 days
    }

    [Fact]
    public async Task A_sku_grain_resumes_from_a_version_1_row_in_postgres_as_if_never_interrupted()
    {
        var database = await postgres.CreateDatabaseAsync("v1state");
        await new DatabaseMigrator().MigrateAsync(database);
        var storage = new StorageOptions { Provider = StorageOptions.PostgresProvider, ConnectionString = database };
        await using var silo = await EmbeddedSilo.StartAsync(EmbeddedSilo.PrivateOptions(storage));

        // a row for the grain, then its payload replaced by the bytes version 1 wrote
        var old = silo.Grains.GetGrain<ISkuGrain>(FixtureKey);
        await old.Configure(Setup);
        await silo.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("UPDATE orleans_grain_state SET payload = @payload WHERE grain_id_extension = @key", connection);
            update.Parameters.AddWithValue("payload", await File.ReadAllBytesAsync(FixturePath));
            update.Parameters.AddWithValue("key", FixtureKey);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var loaded = await old.GetStatus();
        var resumed = await old.RunDays(new DemandChunk { Sku = "frozen", StartDay = 30, Units = Demand[30..] });
        var straight = silo.Grains.GetGrain<ISkuGrain>("fixture/sS-straight/frozen");
        await straight.Start(Setup with { StateWrites = StateWrites.Never }, new DemandChunk { Sku = "frozen", StartDay = 0, Units = Demand[..30] });
        var expected = await straight.RunDays(new DemandChunk { Sku = "frozen", StartDay = 30, Units = Demand[30..] });

        Assert.True(loaded.Configured);
        Assert.Equal(30, loaded.Day);
        Assert.Equal(Demand[..30].Sum(), loaded.Metrics!.UnitsDemanded);
        Assert.Equal(expected!.Metrics, resumed!.Metrics);
        Assert.Equal(Demand.Sum(), resumed.Metrics.UnitsDemanded);
    }

    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "skustate-v1.bin");
}
