using System.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace SeasonalGrains.Storage.Tests;

public sealed class ErrorTranslationTests
{
    private static readonly GrainId Grain = GrainId.Create("counter", "sku-1");

    [Fact]
    public async Task A_driver_exception_becomes_GrainStorageException_naming_provider_operation_state_and_grain()
    {
        var storage = Wrap(new NpgsqlException("Failed to connect to 127.0.0.1:5432"));

        var error = await Assert.ThrowsAsync<GrainStorageException>(() => storage.ReadStateAsync("counter", Grain, new GrainState<CounterState>()));

        Assert.Equal("Grain storage 'skus' could not read state 'counter' of grain counter/sku-1: Failed to connect to 127.0.0.1:5432", error.Message);
        Assert.Equal("read", error.Operation);
        Assert.Equal("counter/sku-1", error.GrainId);
        Assert.Null(error.SqlState);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task A_missing_result_column_is_a_database_failure_too()
    {
        var storage = Wrap(new DataException("Field 'NewGrainStateVersion' not found in data record."));

        var error = await Assert.ThrowsAsync<GrainStorageException>(() => storage.WriteStateAsync("counter", Grain, new GrainState<CounterState>()));

        Assert.EndsWith("Field 'NewGrainStateVersion' not found in data record.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_driver_exception_wrapped_in_another_is_still_translated()
    {
        var storage = Wrap(new InvalidOperationException("outer", new NpgsqlException("socket closed")));

        var error = await Assert.ThrowsAsync<GrainStorageException>(() => storage.ClearStateAsync("counter", Grain, new GrainState<CounterState>()));

        Assert.Equal("clear", error.Operation);
        Assert.EndsWith(": socket closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InconsistentStateException_passes_through_as_the_same_instance()
    {
        var conflict = new InconsistentStateException("Version conflict", "3", "2");
        var storage = Wrap(conflict);

        var thrown = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", Grain, new GrainState<CounterState>()));

        Assert.Same(conflict, thrown);
    }

    [Fact]
    public async Task Other_exceptions_pass_through_unchanged()
    {
        var bug = new InvalidOperationException("not a database problem");
        var storage = Wrap(bug);

        Assert.Same(bug, await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadStateAsync("counter", Grain, new GrainState<CounterState>())));
    }

    [Fact]
    public void GrainStorageException_survives_an_Orleans_serialization_round_trip()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var original = new GrainStorageException("Grain storage 'skus' could not write state 'sku': 42P01: relation does not exist")
        {
            ProviderName = "skus",
            Operation = "write",
            StateName = "sku",
            GrainId = "sku/a",
            SqlState = "42P01",
        };

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(original));

        var typed = Assert.IsType<GrainStorageException>(copy);
        Assert.Equal(original.Message, typed.Message);
        Assert.Equal(("skus", "write", "sku", "sku/a", "42P01"), (typed.ProviderName, typed.Operation, typed.StateName, typed.GrainId, typed.SqlState));
    }

    private static ErrorTranslatingGrainStorage Wrap(Exception toThrow) =>
        new("skus", new ThrowingStorage(toThrow), NullLogger<ErrorTranslatingGrainStorage>.Instance);

    private sealed class ThrowingStorage(Exception toThrow) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(toThrow);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(toThrow);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(toThrow);
    }
}
