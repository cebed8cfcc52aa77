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
