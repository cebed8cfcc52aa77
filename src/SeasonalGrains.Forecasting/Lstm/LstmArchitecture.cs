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
    /// <summary>Floats per horizon day of a forecast: the quantiles, then the mean.</summary>
    [JsonIgnore]
    public int OutputsPerDay => Quantiles + 1;
}
