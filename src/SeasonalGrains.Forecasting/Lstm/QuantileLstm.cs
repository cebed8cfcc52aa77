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
/// <para>
/// With <see cref="LstmArchitecture.IntervalHead"/>, a third head gives the quantiles of total demand over
/// horizon days 1..h for every h, trained with the pinball loss on those sums: per day and level it predicts a
/// non-negative increment, non-decreasing in the level (softplus increments summed over the levels); summing the
/// increments over the days gives sums' quantiles that grow with h and never cross. Output: after the mean,
/// the Q interval quantiles of days 1..h+1 in row h.
/// </para>
/// <para>
/// <see cref="Step"/> runs the encoder one day from a given state (h, c) and forecasts from the day after:
/// a caller that keeps each SKU's state feeds one new day per call instead of re-reading the window.
/// From a zero state, <see cref="Step"/> over the window's days gives <see cref="Increments"/>'s output.
/// </para>
/// <para>
/// Inference (<see cref="Increments"/>, <see cref="Step"/>) stops before the head's cumulative sums, which
/// <see cref="Finish"/> does per SKU in a loop; <see cref="forward"/> gives the finished output in one graph, for
/// training and validation.
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
    private readonly Linear? _intervalHead;
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

        // initialisation draws from libtorch's process-wide generator: a network made while a training in another
        // thread draws its dropout masks (a model loading, say) would shift that training's draws
        lock (TorchRuntime.RandomGate)
        {
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
            if (architecture.IntervalHead)
            {
                _intervalHead = nn.Linear(architecture.DecoderHidden, architecture.Quantiles);
            }
        }

        RegisterComponents();
    }

    public LstmArchitecture Architecture { get; }

    public override Tensor forward(Tensor past, Tensor future, Tensor category, Tensor region)
    {
        var (last, statics) = Encode(past, category, region);
        return TrainingHead(last, future, statics);
    }

    /// <summary>The encoder over the window from a zero state: the top layer's last hidden state, and the SKUs' static embeddings.</summary>
    private (Tensor Last, Tensor Statics) Encode(Tensor past, Tensor category, Tensor region)
    {
        var statics = Statics(category, region);
        var perStep = statics.unsqueeze(1).expand(past.shape[0], past.shape[1], statics.shape[1]);
        var (_, hidden, _) = _encoder.call(cat([past, perStep], 2), null);
        return (hidden.select(0, hidden.shape[0] - 1), statics);
    }

    /// <summary>
    /// One encoder day: <paramref name="row"/> [N, PastFeatures] is the day's past row, <paramref name="hidden"/>
    /// and <paramref name="cell"/> [Layers, N, HiddenSize] the state before it. Returns the state after it and,
    /// when <paramref name="future"/> [F, Horizon, KnownFeatures] is given, the forecast of the first F of the N rows
    /// (F &lt;= N) from the next day, for its first <paramref name="days"/> horizon days, as increments
    /// ([F x days, <see cref="LstmArchitecture.OutputsPerDay"/>], see <see cref="IncrementsHead"/>; <see cref="Finish"/> sums
    /// them); otherwise Output is null. The other rows only advance their state.
    /// </summary>
    public (Tensor? Output, Tensor Hidden, Tensor Cell) Step(Tensor row, Tensor hidden, Tensor cell, Tensor? future, Tensor category, Tensor region, long days)
    {
        if (days < 1 || days > _horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, $"Forecast days must be within 1..{_horizon}.");
        }

        var statics = Statics(category, region);
        var (_, h, c) = _encoder.call(cat([row, statics], 1).unsqueeze(1), (hidden, cell));
        Tensor? output = null;
        if (future is not null)
        {
            var f = future.shape[0];
            var last = h.select(0, h.shape[0] - 1);
            output = f == row.shape[0]
                ? IncrementsHead(last, future, statics, days)
                : IncrementsHead(last.narrow(0, 0, f), future, statics.narrow(0, 0, f), days);
        }

        return (output, h, c);
    }

    private Tensor Statics(Tensor category, Tensor region) => cat([_category.call(category), _region.call(region)], 1);

    /// <summary>
    /// Runs the encoder over the window and returns the head's increments (<see cref="IncrementsHead"/>), for
    /// <see cref="Finish"/> to turn into forecasts: the inference path, in eval mode.
    /// </summary>
    public Tensor Increments(Tensor past, Tensor future, Tensor category, Tensor region)
    {
        var (last, statics) = Encode(past, category, region);
        return IncrementsHead(last, future, statics, _horizon);
    }

    /// <summary>Makes <see cref="LstmModel.Predict"/> run <see cref="forward"/> (the training form of the head) instead of the increments; for the test that compares the two forms.</summary>
    internal bool ReferenceHead { get; set; }

    /// <summary>
    /// Turns one SKU's increments (<paramref name="days"/> x <see cref="LstmArchitecture.OutputsPerDay"/>, see
    /// <see cref="IncrementsHead"/>) into its forecast in units, in <see cref="forward"/>'s layout: the cumulative
    /// sums over levels and days, calibrated by <paramref name="calibration"/> when given (in scaled units), then
    /// times <paramref name="scale"/> and clamped at zero. With <paramref name="counts"/> (demand in whole units, see
    /// <see cref="Features.FeatureSchema.IntegerQuantiles"/>) each daily and interval quantile q becomes the whole number nearest
    /// to it, ceil(q - 0.5): the discrete quantile of the curve read with a continuity correction (P(Y &lt;= m) at m + 0.5).
    /// The mean is left as it is.
    /// </summary>
    public static void Finish(
        ReadOnlySpan<float> increments,
        Span<float> output,
        int days,
        int quantiles,
        bool interval,
        float scale,
        LstmCalibrationMap? calibration = null,
        bool counts = false)
    {
        var perDay = quantiles + 1 + (interval ? quantiles : 0);
        if (increments.Length < days * perDay || output.Length < days * perDay)
        {
            throw new ArgumentException($"{days} days of {perDay} floats need {days * perDay} increments and outputs; got {increments.Length} and {output.Length}.");
        }

        Span<float> sums = stackalloc float[interval ? quantiles : 0];
        Span<float> raw = stackalloc float[calibration is null ? 0 : quantiles];
        var finite = true;
        for (var d = 0; d < days; d++)
        {
            var row = increments.Slice(d * perDay, perDay);
            var target = output.Slice(d * perDay, perDay);
            var level = row[0];
            if (calibration is null)
            {
                target[0] = Math.Max(0f, level * scale);
                for (var k = 1; k < quantiles; k++)
                {
                    level += row[k];
                    target[k] = Math.Max(0f, level * scale);
                }
            }
            else
            {
                raw[0] = level;
                for (var k = 1; k < quantiles; k++)
                {
                    level += row[k];
                    raw[k] = level;
                }

                calibration.Daily(d, raw, target, scale);
            }

            if (counts)
            {
                ToWholeUnits(target[..quantiles]);
            }

            target[quantiles] = Math.Max(0f, row[quantiles] * scale);
            finite &= float.IsFinite(level) && float.IsFinite(row[quantiles]);
            if (!interval)
            {
                continue;
            }

            var increment = 0f;
            for (var k = 0; k < quantiles; k++)
            {
                increment += row[quantiles + 1 + k];
                sums[k] += increment;
            }

            finite &= float.IsFinite(sums[quantiles - 1]);
            var intervalTarget = target.Slice(quantiles + 1, quantiles);
            if (calibration is null)
            {
                for (var k = 0; k < quantiles; k++)
                {
                    intervalTarget[k] = Math.Max(0f, sums[k] * scale);
                }
            }
            else
            {
                // sums of more days are never smaller: each stays at least the previous day's
                var before = d > 0 ? output.Slice(((d - 1) * perDay) + quantiles + 1, quantiles) : default;
                calibration.Interval(d, sums, intervalTarget, scale, before);
            }

            if (counts)
            {
                ToWholeUnits(intervalTarget);
            }
        }

        // the levels are non-decreasing sums, so the last of each is the largest: one check per kind and day
        if (!finite || !float.IsFinite(scale))
        {
            throw new InvalidOperationException("The network's forecast is not finite (NaN or infinity): its weights or inputs are broken.");
        }
    }

    /// <summary>Each value v (non-negative, non-decreasing) becomes ceil(v - 0.5), which keeps the order.</summary>
    private static void ToWholeUnits(Span<float> values)
    {
        foreach (ref var v in values)
        {
            v = MathF.Max(0f, MathF.Ceiling(v - 0.5f));
        }
    }

    /// <summary>
    /// Calibrates finished outputs in scaled units (<see cref="forward"/>'s layout, <paramref name="days"/> rows) in
    /// place, as <see cref="Finish"/> does (floored at 0, scale 1): daily quantiles per day, interval quantiles per
    /// day and non-decreasing in the day.
    /// </summary>
    public static void Calibrate(Span<float> output, int days, int quantiles, bool interval, LstmCalibrationMap calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var perDay = quantiles + 1 + (interval ? quantiles : 0);
        Span<float> raw = stackalloc float[quantiles];
        for (var d = 0; d < days; d++)
        {
            var target = output.Slice(d * perDay, perDay);
            target[..quantiles].CopyTo(raw);
            calibration.Daily(d, raw, target);
            if (!interval)
            {
                continue;
            }

            var sums = target.Slice(quantiles + 1, quantiles);
            sums.CopyTo(raw);
            calibration.Interval(d, raw, sums, 1f, d > 0 ? output.Slice(((d - 1) * perDay) + quantiles + 1, quantiles) : default);
        }
    }

    /// <summary>
    /// The head in eval mode, with the same weights, up to its last sums: the decoder's first layer is split by
    /// input block, so the shared code and the position embeddings go through it once per SKU and once per day
    /// instead of once per SKU-day; the three heads run as one matrix product; only the first
    /// <paramref name="days"/> horizon days are decoded. Returns [N x days, <see cref="LstmArchitecture.OutputsPerDay"/>]: per
    /// day the lowest quantile, the Q - 1 softplus increments to the next levels, the mean, and (interval head)
    /// the Q per-level softplus increments of the day's contribution to the interval sums. <see cref="Finish"/>
    /// sums them (a few additions per SKU-day, cheaper in a loop than as tensor calls) into
    /// <see cref="TrainingHead"/>'s output, up to rounding.
    /// </summary>
    private Tensor IncrementsHead(Tensor last, Tensor future, Tensor statics, long days)
    {
        var n = last.shape[0];
        var rows = n * days;
        var futureCode = _future.call(future.reshape(n, -1));
        var shared = _trunk.call(cat([last, futureCode, statics], 1));
        var a = Architecture;
        var layer = (Linear)_decoder[0];
        var weight = layer.weight!;

        // two-dimensional products throughout: [SKU-days, features] x [features, outputs] runs as one matrix
        // product, where three-dimensional inputs go through slower batched paths
        var sharedPart = nn.functional.linear(shared, weight.narrow(1, 0, a.HiddenSize), layer.bias);
        var positions = _position.call(HeldScalars.Range(days, last.device));
        var positionPart = nn.functional.linear(positions, weight.narrow(1, a.HiddenSize + a.KnownFeatures, a.PositionEmbedding));
        var perDayBias = sharedPart.unsqueeze(1).add(positionPart.unsqueeze(0), HeldScalars.One).reshape(rows, -1);
        var dayInputs = (days == _horizon ? future : future.narrow(1, 0, days)).reshape(rows, a.KnownFeatures);
        var decoded = addmm(perDayBias, dayInputs, weight.narrow(1, a.HiddenSize, a.KnownFeatures).t(), 1, 1).relu_();

        Tensor[] weights = _intervalHead is null
            ? [_quantileHead.weight!, _meanHead.weight!]
            : [_quantileHead.weight!, _meanHead.weight!, _intervalHead.weight!];
        Tensor[] biases = _intervalHead is null
            ? [_quantileHead.bias!, _meanHead.bias!]
            : [_quantileHead.bias!, _meanHead.bias!, _intervalHead.bias!];
        var raw = addmm(cat(biases, 0), decoded, cat(weights, 0).t(), 1, 1);
        var positive = HeldScalars.Softplus(raw);
        positive.narrow(1, 0, 1).copy_(raw.narrow(1, 0, 1)); // the lowest quantile is not an increment
        return positive;
    }

    private Tensor TrainingHead(Tensor last, Tensor future, Tensor statics)
    {
        var n = last.shape[0];
        var futureCode = _future.call(future.reshape(n, -1));
        var shared = _trunk.call(cat([last, futureCode, statics], 1));

        var positions = _position.call(HeldScalars.Range(_horizon, last.device));
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
            : cat([raw.narrow(2, 0, 1), HeldScalars.Softplus(raw.narrow(2, 1, _quantiles - 1))], 2).cumsum(2);
        var mean = HeldScalars.Softplus(_meanHead.call(decoded.detach()));
        if (_intervalHead is null)
        {
            return cat([quantiles, mean], 2);
        }

        var increments = HeldScalars.Softplus(_intervalHead.call(decoded)).cumsum(2);
        return cat([quantiles, mean, increments.cumsum(1)], 2);
    }
}
