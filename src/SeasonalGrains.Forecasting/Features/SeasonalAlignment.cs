using System.Text.Json.Serialization;

namespace SeasonalGrains.Forecasting.Features;

/// <summary>
/// Where the seasonal index looks for "the same time a year earlier" (<see cref="FeatureSchema.SeasonalAlignment"/>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SeasonalAlignment>))]
public enum SeasonalAlignment
{
    /// <summary>52, 104 and 156 weeks back: the same weekday.</summary>
    [JsonStringEnumMemberName("date")]
    Date,

    /// <summary>
    /// As <see cref="Date"/>, except within <see cref="FeatureSchema.HolidayAlignmentReach"/> days of a holiday whose date
    /// moves against the 52-week lag (Spring Festival, Easter, Thanksgiving): there the same number of days from that
    /// holiday's occurrence of the earlier year.
    /// </summary>
    [JsonStringEnumMemberName("holidays")]
    Holidays,
}
