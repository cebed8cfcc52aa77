using System.Diagnostics.Metrics;

namespace SeasonalGrains.Host.Api;

/// <summary>
/// Metrics of the live API (meter <see cref="MeterName"/>, exported on <c>/metrics</c> with the HTTP server
/// metrics and the grains' <c>SeasonalGrains.Live</c> counters): events by kind and outcome, units booked.
/// </summary>
public sealed class ApiMetrics
{
    public const string MeterName = "SeasonalGrains.Api";

    private readonly Counter<long> _events;
    private readonly Counter<double> _units;

    public ApiMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _events = meter.CreateCounter<long>("seasonal.live.events", "{event}", "Sales and receipts posted, by kind and outcome.");
        _units = meter.CreateCounter<double>("seasonal.live.units", "{unit}", "Units of applied sales and receipts, by kind.");
    }

    public void Event(LiveEvent e, EventOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(outcome);
        var kind = e.Kind == LiveEventKind.Sale ? "sale" : "receipt";
        _events.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", ApiMapping.StatusName(outcome.Status)));
        if (outcome.Status == EventStatus.Applied)
        {
            _units.Add(e.Units, new KeyValuePair<string, object?>("kind", kind));
        }
    }
}
