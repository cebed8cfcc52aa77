namespace SeasonalGrains.Grains;

/// <summary>End-of-day figures of every day of a season, in arrays sized once for the window.</summary>
internal sealed class TraceRecorder
{
    private readonly double[] _demand;
    private readonly double[] _onHand;
    private readonly double[] _onOrder;
    private readonly double[] _backorders;
    private readonly double[] _ordered;
    private readonly double[] _received;
    private readonly double[] _shortage;

    public TraceRecorder(int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        _demand = new double[days];
        _onHand = new double[days];
        _onOrder = new double[days];
        _backorders = new double[days];
        _ordered = new double[days];
        _received = new double[days];
        _shortage = new double[days];
    }

    public void Record(int day, in DayOutcome outcome)
    {
        _demand[day] = outcome.Demand;
        _onHand[day] = outcome.OnHand;
        _onOrder[day] = outcome.OnOrder;
        _backorders[day] = outcome.Backorders;
        _ordered[day] = outcome.Ordered;
        _received[day] = outcome.Received;
        _shortage[day] = outcome.Shortage;
    }

    /// <summary>A copy of the figures so far (days not yet run are 0).</summary>
    public DailyTrace Snapshot() => new()
    {
        Demand = (double[])_demand.Clone(),
        OnHand = (double[])_onHand.Clone(),
        OnOrder = (double[])_onOrder.Clone(),
        Backorders = (double[])_backorders.Clone(),
        Ordered = (double[])_ordered.Clone(),
        Received = (double[])_received.Clone(),
        Shortage = (double[])_shortage.Clone(),
    };

    public void Load(DailyTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        Copy(trace.Demand, _demand);
        Copy(trace.OnHand, _onHand);
        Copy(trace.OnOrder, _onOrder);
        Copy(trace.Backorders, _backorders);
        Copy(trace.Ordered, _ordered);
        Copy(trace.Received, _received);
        Copy(trace.Shortage, _shortage);
    }

    private static void Copy(double[] from, double[] to) => Array.Copy(from, to, Math.Min(from.Length, to.Length));
}
