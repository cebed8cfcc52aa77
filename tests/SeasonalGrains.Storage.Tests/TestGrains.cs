namespace SeasonalGrains.Storage.Tests;

public static class TestStorage
{
    /// <summary>The grain storage the production silo configuration registers for SKU grains.</summary>
    public const string Name = StorageNames.Skus;
    public const string StateName = "counter";
}

[GenerateSerializer, Immutable, Alias("SeasonalGrains.Storage.Tests.CounterState")]
public sealed record CounterState
{
    [Id(0)]
    public int Value { get; init; }

    [Id(1)]
    public string Note { get; init; } = string.Empty;
}

[Alias("SeasonalGrains.Storage.Tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task<int> Add(int amount, string note);

    [Alias("Get")]
    Task<CounterState> Get();

    [Alias("GetETag")]
    Task<string?> GetETag();

    [Alias("Clear")]
    Task Clear();

    [Alias("Deactivate")]
    Task Deactivate();

    [Alias("GetActivationId")]
    Task<Guid> GetActivationId();

    [Alias("RegisterReminder")]
    Task RegisterReminder(string name, TimeSpan dueTime, TimeSpan period);

    [Alias("HasReminder")]
    Task<bool> HasReminder(string name);

    [Alias("RemoveReminder")]
    Task RemoveReminder(string name);
}

public sealed class CounterGrain(
    [PersistentState(TestStorage.StateName, TestStorage.Name)] IPersistentState<CounterState> state)
    : Grain, ICounterGrain, IRemindable
{
    private readonly Guid _activationId = Guid.NewGuid();

    public async Task<int> Add(int amount, string note)
    {
        state.State = state.State with { Value = state.State.Value + amount, Note = note };
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<CounterState> Get() => Task.FromResult(state.State);

    public Task<string?> GetETag() => Task.FromResult(state.Etag);

    public Task Clear() => state.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<Guid> GetActivationId() => Task.FromResult(_activationId);

    public async Task RegisterReminder(string name, TimeSpan dueTime, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<bool> HasReminder(string name) => await this.GetReminder(name) is not null;

    public async Task RemoveReminder(string name)
    {
        var reminder = await this.GetReminder(name)
            ?? throw new InvalidOperationException($"No reminder named {name}.");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
