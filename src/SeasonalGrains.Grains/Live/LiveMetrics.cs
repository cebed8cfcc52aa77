using System.Diagnostics.Metrics;

namespace SeasonalGrains.Grains.Live;

/// <summary>
/// Counters of live SKU grains (meter <see cref="MeterName"/>): days closed (through the API or the daily
/// reminder), suggestions made and orders accepted. Exported wherever the meter is listened to (the host's /metrics).
/// </summary>
public static class LiveMetrics
{
    public const string MeterName = "SeasonalGrains.Live";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> DaysClosed = Meter.CreateCounter<long>("seasonal.live.days_closed", "{day}", "SKU-days closed.");
    private static readonly Counter<long> Suggestions = Meter.CreateCounter<long>("seasonal.live.suggestions", "{order}", "Order suggestions made at day closes.");
    private static readonly Counter<long> AcceptedOrders = Meter.CreateCounter<long>("seasonal.live.orders_accepted", "{order}", "Order suggestions accepted.");

    private static ShadowTotals? _shadow;

    static LiveMetrics()
    {
        Meter.CreateObservableGauge("seasonal.live.shadow.pinball", () => Shadow(t => (t.ActivePinball, t.ChallengerPinball)), "{unit}",
            "Mean pinball loss over the SKU-days of the last 28 closed days scored for both the active version and the challenger, by version and role.");
        Meter.CreateObservableGauge("seasonal.live.shadow.mase", () => Shadow(t => (t.ActiveMase, t.ChallengerMase)), "1",
            "Mean over SKUs of the MASE on the same days (scaled by the seasonal naive, period 7), by version and role.");
        Meter.CreateObservableGauge("seasonal.live.shadow.scored_days", () => Shadow(t => (t.Days, t.Days)), "{day}",
            "SKU-days scored for both the active version and the challenger, by version and role.");
    }

    /// <summary>The shadow totals the gauges report (the silo's registry service refreshes them); null: none.</summary>
    public static ShadowTotals? ShadowTotals
    {
        get => Volatile.Read(ref _shadow);
        set => Volatile.Write(ref _shadow, value);
    }

    private static IEnumerable<Measurement<double>> Shadow(Func<ShadowTotals, (double Active, double Challenger)> select)
    {
        if (ShadowTotals is not { Days: > 0 } totals)
        {
            yield break;
        }

        var (active, challenger) = select(totals);
        if (double.IsFinite(active))
        {
            yield return new Measurement<double>(active, new KeyValuePair<string, object?>("version", totals.Active), new KeyValuePair<string, object?>("role", "active"));
        }

        if (double.IsFinite(challenger))
        {
            yield return new Measurement<double>(challenger, new KeyValuePair<string, object?>("version", totals.Challenger), new KeyValuePair<string, object?>("role", "challenger"));
        }
    }

    internal static void Closed(int days, bool suggested)
    {
        DaysClosed.Add(days);
        if (suggested)
        {
            Suggestions.Add(1);
        }
    }

    internal static void Accepted() => AcceptedOrders.Add(1);
}
