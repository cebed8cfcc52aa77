namespace SeasonalGrains.Simulation.Replay;

/// <summary>A policy of a run as the driver names it: its label (unique in the run) and catalog name.</summary>
public sealed record ReplayPolicy(string Label, string Name);

/// <summary>
/// The SKUs of a replay as <see cref="ReplayDriver"/> reads them: batch by batch, in the ordinal order of their names
/// (the order of per-sku.csv and of the summed totals), so a run holds only the batches it is replaying, not every
/// SKU's days. <see cref="Of"/> serves an input already in memory; the bench generates each batch when it is read.
/// </summary>
public abstract class ReplaySkuSource
{
    /// <summary>SKUs of the run.</summary>
    public abstract int Skus { get; }

    /// <summary>Days replayed per SKU.</summary>
    public abstract int Days { get; }

    /// <summary>Days from each window day to the next holiday (shared by every SKU); null without a calendar.</summary>
    public abstract int[]? DaysToNextHoliday { get; }

    /// <summary>The run's policies, in the order they run.</summary>
    public abstract IReadOnlyList<ReplayPolicy> Policies { get; }

    public long SkuDays => (long)Skus * Days;

    /// <summary>
    /// The SKUs at positions [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of the name
    /// order, as an input of those SKUs only (days and, per policy, setups; same days and holidays as the run).
    /// </summary>
    public abstract ReplayInput Read(int first, int count);

    /// <summary>An input in memory, read in the order of its SKU names (its arrays are shared, not copied).</summary>
    public static ReplaySkuSource Of(ReplayInput input) => new InMemory(input);

    /// <summary>The positions 0..n-1 ordered by the ordinal order of <paramref name="nameOf"/>(position).</summary>
    public static int[] NameOrder(int n, Func<int, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(nameOf);
        var names = new string[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            names[i] = nameOf(i);
            order[i] = i;
        }

        Array.Sort(names, order, StringComparer.Ordinal);
        return order;
    }

    /// <summary>The SKUs of <paramref name="input"/> at <paramref name="positions"/> (in that order): its arrays shared, not copied.</summary>
    public static ReplayInput Subset(ReplayInput input, IReadOnlyList<int> positions)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(positions);
        T[] Pick<T>(IReadOnlyList<T> all) => [.. positions.Select(i => all[i])];
        return input with
        {
            Skus = Pick(input.Skus),
            Units = Pick(input.Units),
            Price = input.Price is null ? null : Pick(input.Price),
            Promo = input.Promo is null ? null : Pick(input.Promo),
            Policies = [.. input.Policies.Select(p => p with { Setups = Pick(p.Setups) })],
            Censoring = null,
        };
    }

    private sealed class InMemory(ReplayInput input) : ReplaySkuSource
    {
        private readonly int[] _order = NameOrder(input.Skus.Count, i => input.Skus[i].Sku);

        public override int Skus => input.Skus.Count;

        public override int Days => input.Days;

        public override int[]? DaysToNextHoliday => input.DaysToNextHoliday;

        public override IReadOnlyList<ReplayPolicy> Policies { get; } = [.. input.Policies.Select(p => new ReplayPolicy(p.Label, p.Name))];

        public override ReplayInput Read(int first, int count) => Subset(input, new ArraySegment<int>(_order, first, count));
    }
}

/// <summary>
/// Receives a run's SKU results while it runs: per policy (in run order), each SKU's result once, in the ordinal order
/// of SKU names. Calls come one at a time.
/// </summary>
public interface IReplayResultSink
{
    void Add(ReplayPolicy policy, SkuInfo sku, SkuResult result);
}
