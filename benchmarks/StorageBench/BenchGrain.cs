namespace StorageBench;

[GenerateSerializer, Immutable, Alias("StorageBench.BenchState")]
public sealed record BenchState
{
    [Id(0)]
    public int Writes { get; init; }

    [Id(1)]
    public float[] Window { get; init; } = [];
}

[Alias("StorageBench.IBenchGrain")]
public interface IBenchGrain : IGrainWithStringKey
{
    [Alias("Write")]
    Task Write(int windowLength);
}

public sealed class BenchGrain([PersistentState("bench", Program.StorageName)] IPersistentState<BenchState> state) : Grain, IBenchGrain
{
    public async Task Write(int windowLength)
    {
        var window = state.State.Window.Length == windowLength ? (float[])state.State.Window.Clone() : new float[windowLength];
        window[state.State.Writes % windowLength] = state.State.Writes;
        state.State = new BenchState { Writes = state.State.Writes + 1, Window = window };
        await state.WriteStateAsync();
    }
}
