using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// Multi-horizon quantile LSTM. Inputs: past [N, Window, PastFeatures], future [N, Horizon, KnownFeatures],
/// category [N] and region [N] (int64 vocabulary indices). Output [N, Horizon, Quantiles + 1] in scaled units:
/// the quantiles in ascending level order, then the mean.
/// <para>
/// Category and region embeddings are appended to every past day and fed to a stacked LSTM; its last hidden
/// state, an MLP code of the flattened horizon covariates and the embeddings go through a shared layer. A
/// per-day decoder (the same weights for every horizon day, as in MQ-RNN's local MLP) reads the shared code,
/// that day's known covariates and a learned embedding of its position, so an effect tied to a calendar day
/// (a festival, a promo) lands on that day wherever it falls in the horizon. Two heads read the decoder: the
/// quantile head predicts the lowest quantile and softplus increments whose cumulative sum gives the others,
/// so quantiles never cross; the mean head (softplus, non-negative) reads the decoder detached from the graph:
/// its squared error trains the head alone and leaves the representation to the pinball loss.
/// </para>
/// </summary>
public sealed class QuantileLstm : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly Embedding _category;
    private readonly Embedding _region;
    private readonly LSTM _encoder;
    private readonly Sequential _future;
    private readonly Sequential _trunk;
    private readonly Embedding _position;
    private readonly Sequential _decoder;
    private readonly Linear _quantileHead;
    private readonly Linear _meanHead;
    private readonly long _horizon;
    private readonly long _quantiles;

    public QuantileLstm(LstmArchitecture architecture)
        : base(nameof(QuantileLstm))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        Architecture = architecture;
        _horizon = architecture.Horizon;
        _quantiles = architecture.Quantiles;
        var statics = architecture.CategoryEmbedding + architecture.RegionEmbedding;

        _category = nn.Embedding(architecture.Categories, architecture.CategoryEmbedding);
        _region = nn.Embedding(architecture.Regions, architecture.RegionEmbedding);
        _encoder = nn.LSTM(
            architecture.PastFeatures + statics,
            architecture.HiddenSize,
            numLayers: architecture.Layers,
            batchFirst: true,
            dropout: architecture.Layers > 1 ? architecture.Dropout : 0);
        _future = nn.Sequential(
            nn.Linear(architecture.Horizon * architecture.KnownFeatures, architecture.FutureHidden),
            nn.ReLU());
        _trunk = nn.Sequential(
            nn.Linear(architecture.HiddenSize + architecture.FutureHidden + statics, architecture.HiddenSize),
            nn.ReLU(),
            nn.Dropout(architecture.Dropout));
        _position = nn.Embedding(architecture.Horizon, architecture.PositionEmbedding);
        _decoder = nn.Sequential(
            nn.Linear(architecture.HiddenSize + architecture.KnownFeatures + architecture.PositionEmbedding, architecture.DecoderHidden),
            nn.ReLU());
        _quantileHead = nn.Linear(architecture.DecoderHidden, architecture.Quantiles);
        _meanHead = nn.Linear(architecture.DecoderHidden, 1);

        RegisterComponents();
    }

    public LstmArchitecture Architecture { get; }

    public override Tensor forward(Tensor past, Tensor future, Tensor category, Tensor region)
    {
        var n = past.shape[0];
        var steps = past.shape[1];
        var statics = cat([_category.call(category), _region.call(region)], 1);
        var perStep = statics.unsqueeze(1).expand(n, steps, statics.shape[1]);
        var (_, hidden, _) = _encoder.call(cat([past, perStep], 2), null);
        var last = hidden.select(0, hidden.shape[0] - 1);
        var futureCode = _future.call(future.reshape(n, -1));
        var shared = _trunk.call(cat([last, futureCode, statics], 1));

        var positions = _position.call(arange(_horizon, dtype: ScalarType.Int64, device: past.device));
        var perDay = cat(
            [
                shared.unsqueeze(1).expand(n, _horizon, shared.shape[1]),
                future,
                positions.unsqueeze(0).expand(n, _horizon, positions.shape[1]),
            ],
            2);
        var decoded = _decoder.call(perDay);
        var raw = _quantileHead.call(decoded);
        var quantiles = _quantiles == 1
            ? raw
            : cat([raw.narrow(2, 0, 1), nn.functional.softplus(raw.narrow(2, 1, _quantiles - 1))], 2).cumsum(2);
        var mean = nn.functional.softplus(_meanHead.call(decoded.detach()));
        return cat([quantiles, mean], 2);
    }
}
