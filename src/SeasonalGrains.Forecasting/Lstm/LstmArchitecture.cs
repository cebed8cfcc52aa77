using System.Text.Json.Serialization;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>Everything needed to rebuild <see cref="QuantileLstm"/> before loading its weights.</summary>
public sealed record LstmArchitecture(
    int PastFeatures,
    int KnownFeatures,
    int Window,
    int Horizon,
    int Quantiles,
    int Categories,
    int Regions,
    int CategoryEmbedding,
    int RegionEmbedding,
    int HiddenSize,
    int Layers,
    double Dropout,
    int FutureHidden,
    int DecoderHidden,
    int PositionEmbedding)
{
    /// <summary>
    /// Whether the network has the interval head: quantiles of total demand over horizon days 1..h, for every h
    /// (see <see cref="QuantileLstm"/>). Models written before it existed have none.
    /// </summary>
    public bool IntervalHead { get; init; }

    /// <summary>Floats per horizon day of a forecast: the quantiles, the mean, then (with the interval head) the interval quantiles.</summary>
    [JsonIgnore]
    public int OutputsPerDay => Quantiles + 1 + (IntervalHead ? Quantiles : 0);

    /// <summary>Floats in one SKU's encoder state: h then c, each [Layers, HiddenSize].</summary>
    [JsonIgnore]
    public int StateLength => 2 * Layers * HiddenSize;
}
