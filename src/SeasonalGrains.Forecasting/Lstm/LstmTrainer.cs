using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>One finished epoch.</summary>
/// <param name="TrainLoss">Mean pinball loss of the epoch's minibatches (scaled units, dropout on).</param>
/// <param name="ValidationLoss">Mean pinball loss on the validation windows (scaled units).</param>
/// <param name="Improved">True when this epoch has the lowest validation loss so far (its weights are kept).</param>
/// <param name="EstimatedRemaining">Mean epoch time x epochs left before <see cref="LstmOptions.MaxEpochs"/> or, with a time budget, the epochs that still fit into it: an upper bound, since early stopping may end sooner.</param>
public sealed record LstmEpochProgress(
    int Epoch,
    int MaxEpochs,
    double TrainLoss,
    double ValidationLoss,
    bool Improved,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining);

/// <summary>A trained model and the per-epoch history.</summary>
public sealed record LstmTrainingResult(LstmModel Model, IReadOnlyList<LstmEpochProgress> History);

/// <summary>
/// Trains one global <see cref="QuantileLstm"/> on windows of every SKU.
/// <para>
/// Days [0, TrainEnd) are used. The last <see cref="LstmOptions.ValidationFraction"/> of them (at least a
/// horizon) form the validation range, held out for a seeded sample of <see cref="LstmOptions.ValidationSkuFraction"/>
/// of the SKUs (all SKUs when there are fewer than <see cref="MinSkusForSkuSplit"/>): validation windows of those
/// SKUs have their whole horizon inside it and their training windows end their horizon before it; the other
/// SKUs train on windows up to TrainEnd, so the latest season is learnt. Scalers are fitted on the days before
/// the validation range. Each step draws a
/// minibatch of (SKU, origin) pairs uniformly with a seeded SplitMix64; Adam minimises the pinball loss
/// of all quantiles and horizon days plus <see cref="LstmOptions.MeanLossWeight"/> x the mean head's squared
/// error, plus (with the interval head) <see cref="LstmOptions.IntervalLossWeight"/> x the pinball loss of the
/// interval head on the sums of days 1..h, each divided by h. After each epoch the validation pinball loss decides early stopping (patience in epochs) and
/// an epoch without improvement multiplies the learning rate by <see cref="LstmOptions.PlateauDecay"/>; the
/// best epoch's weights are kept. With the same seed, data and thread count two runs give the same weights.
/// With <see cref="LstmOptions.Calibrate"/> the kept weights then forecast up to
/// <see cref="LstmOptions.CalibrationWindows"/> validation windows of the held-out SKUs, on which the split-conformal
/// <see cref="LstmCalibration"/> is fitted (it changes no weight).
/// </para>
/// <para>
/// Days a series marks out of stock (<see cref="SkuSeries.Censored"/>) carry no weight as targets: their pinball and
/// squared errors, and the interval head's sums over them, are left out of the losses, the validation figures and the
/// calibration. Inputs are unchanged. Without such a day before the training end the losses are the plain means.
/// </para>
/// <para>
/// The training-data hash is SHA-256 over, for days [0, TrainEnd): each SKU's id, category and region
/// (UTF-8, NUL-terminated) and its units, price (when present) and promo (when present, one byte a day);
/// each region's temperature, humidity and precipitation (regions in ordinal order); the calendar's holiday
/// names and event columns (ordinal order); a SKU with stock flags adds "censored" and one byte a day (1 out of stock).
/// Numbers are IEEE-754 doubles, little-endian.
/// </para>
/// Training runs one at a time per process, holding <see cref="TorchRuntime.RandomGate"/> (libtorch's seed, generator and
/// thread count are global).
/// </summary>
public static class LstmTrainer
{
    private const int ValidationChunk = 512;

    /// <summary>Fewer SKUs than this validate on all of them (a pure time split).</summary>
    public const int MinSkusForSkuSplit = 5;

    public static LstmTrainingResult Train(
        Dataset dataset,
        LstmOptions? options = null,
        Action<LstmEpochProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new LstmOptions();
        options.Validate();
        // the seed, the generator that initialisation and dropout draw from, and the thread count are libtorch's, one
        // per process: nothing else may draw from the generator between this training's seed and its last step
        lock (TorchRuntime.RandomGate)
        {
            using var threads = TorchRuntime.UseThreads(options.Threads);
            return new Run(dataset, options, progress, cancellationToken).Execute();
        }
    }

    /// <summary>
    /// Fits a new calibration of a trained model's weights on the data it was trained on: the same training days,
    /// held-out SKUs and validation range (from model.json), with <paramref name="mode"/> and
    /// <paramref name="calibrationDays"/> (null: the validation range). The weights do not change, so one training
    /// serves several calibrations. A dataset whose training days differ from the model's (training-data hash) is refused.
    /// </summary>
    public static LstmCalibration Recalibrate(
        Dataset dataset, LstmModel model, LstmCalibrationMode mode, int? calibrationDays, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(model);
        var metadata = model.Metadata;
        if (metadata.Quantiles.Count < 2)
        {
            throw new ArgumentException("Calibration needs a model of at least two quantile levels.", nameof(model));
        }

        if (dataset.Days < metadata.TrainEndDay || TrainingDataHash(dataset, metadata.TrainEndDay) != metadata.TrainingDataSha256)
        {
            throw new ArgumentException(
                $"The dataset '{dataset.Info.Name}' is not the data the model was trained on (its first {metadata.TrainEndDay} days do not have the training-data hash in model.json); calibrate on the dataset the model was trained on.",
                nameof(dataset));
        }

        var options = metadata.Hyperparameters with { Calibrate = true, CalibrationMode = mode, CalibrationDays = calibrationDays };
        options.Validate();
        lock (TorchRuntime.RandomGate)
        {
            using var threads = TorchRuntime.UseThreads(options.Threads);
            return new Run(dataset, options, null, cancellationToken).Recalibrate(model);
        }
    }

    /// <summary>SHA-256 (lower-case hex) of the training arrays of days [0, <paramref name="trainEnd"/>); see the class summary.</summary>
    public static string TrainingDataHash(Dataset dataset, int trainEnd)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegative(trainEnd);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Text(string value)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(value));
            hash.AppendData([0]);
        }

        void Numbers(double[] values)
        {
            var span = values.AsSpan(0, Math.Min(trainEnd, values.Length));
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("The training-data hash is defined on little-endian doubles.");
            }

            hash.AppendData(MemoryMarshal.AsBytes(span));
        }

        for (var s = 0; s < dataset.Skus.Count; s++)
        {
            var info = dataset.Skus[s];
            Text(info.Sku);
            Text(info.Category);
            Text(info.Region);
            var series = dataset.Series[s];
            Numbers(series.Units);
            if (series.Price is { } price)
            {
                Text("price");
                Numbers(price);
            }

            if (series.Promo is { } promo)
            {
                Text("promo");
                hash.AppendData([.. promo.Take(trainEnd).Select(p => p ? (byte)1 : (byte)0)]);
            }

            if (series.Censored is { } censored)
            {
                Text("censored");
                hash.AppendData([.. censored.Take(trainEnd).Select(c => c ? (byte)1 : (byte)0)]);
            }
        }

        if (dataset.Weather is { } weather)
        {
            foreach (var (region, w) in weather.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                Text(region);
                Numbers(w.TempC);
                Numbers(w.Humidity);
                Numbers(w.PrecipMm);
            }
        }

        if (dataset.Calendar is { } calendar)
        {
            Text("holidays");
            foreach (var name in calendar.Holiday.Take(trainEnd))
            {
                Text(name ?? string.Empty);
            }

            foreach (var (name, values) in calendar.Events.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                Text(name);
                Numbers(values);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// One SKU's feature rows, units and scale per origin (<see cref="SkuFeatureWriter.ScaleAt"/>): a window from
    /// origin o learns units / scale(o), so with level scaling its targets depend on the origin as well as the day.
    /// </summary>
    private sealed class SkuTable(float[] past, float[] known, double[] units, double[] scales, bool[]? censored, int category, int region)
    {
        /// <summary>True when <paramref name="day"/> was out of stock: its sales understate demand, so its target carries no weight.</summary>
        public bool Censored(int day) => censored is not null && censored[day];

        public float[] Past { get; } = past;

        public float[] Known { get; } = known;

        public int Category { get; } = category;

        public int Region { get; } = region;

        /// <summary>The training target of <paramref name="day"/> in a window from <paramref name="origin"/>: scaled units.</summary>
        public float Target(int origin, int day) => (float)(units[day] / scales[origin]);

        /// <summary>The scale of the window from <paramref name="origin"/>.</summary>
        public float Scale(int origin) => (float)scales[origin];
    }

    private sealed class Run(Dataset dataset, LstmOptions options, Action<LstmEpochProgress>? progress, CancellationToken cancellationToken)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private FeatureSchema _schema = null!;
        private SkuTable[] _tables = [];
        private int _window;
        private int _horizon;
        private int _pastWidth;
        private int _knownWidth;
        private int _quantiles;
        private float[] _levels = [];
        private int _heldOutCount;

        // some SKU-day before the training end is out of stock: the losses are masked (without any, the unmasked
        // losses run exactly as they always have)
        private bool _masked;

        public LstmTrainingResult Execute()
        {
            var trainEnd = options.TrainEndDay ?? dataset.Days;
            if (trainEnd < 1 || trainEnd > dataset.Days)
            {
                throw new ArgumentException($"LSTM options: TrainEndDay must be within 1..{dataset.Days}, got {trainEnd}.");
            }

            _window = options.Window;
            _horizon = options.Horizon;
            var validationDays = Math.Max(_horizon, (int)Math.Round(trainEnd * options.ValidationFraction));
            var validationStart = trainEnd - validationDays;
            var firstOrigin = options.MinHistoryDays;
            var lastTrainOrigin = validationStart - _horizon;
            if (lastTrainOrigin < firstOrigin || dataset.Skus.Count == 0)
            {
                throw new ArgumentException(
                    $"Too little data to train: {dataset.Skus.Count} SKUs and {trainEnd} days; with horizon {_horizon}, {options.MinHistoryDays} days of minimum history and {validationDays} validation days at least {firstOrigin + _horizon + validationDays} days are needed.",
                    nameof(dataset));
            }

            Adopt(FeatureSchema.Fit(dataset, _window, _horizon, validationStart, options.Scaling, options.SeasonalAlignment, options.IntegerQuantiles));
            BuildTables(trainEnd);

            var heldOut = HeldOutSkus(_tables.Length);
            var cumulative = new long[_tables.Length + 1];
            for (var s = 0; s < _tables.Length; s++)
            {
                var last = heldOut.Contains(s) ? lastTrainOrigin : trainEnd - _horizon;
                cumulative[s + 1] = cumulative[s] + (last - firstOrigin + 1);
            }

            var trainingWindows = cumulative[^1];
            _heldOutCount = heldOut.Length;
            var validation = ValidationPairs(heldOut, validationStart, trainEnd - _horizon, options.MaxValidationWindows);
            var (calibrationStart, calibration) = CalibrationPairs(heldOut, firstOrigin, validationStart, trainEnd);
            var steps = options.StepsPerEpoch
                ?? (int)Math.Clamp((trainingWindows + options.BatchSize - 1) / options.BatchSize, options.MinStepsPerEpoch, options.MaxStepsPerEpoch);

            var architecture = new LstmArchitecture(
                _pastWidth, _knownWidth, _window, _horizon, _quantiles,
                _schema.Categories.Count, _schema.Regions.Count,
                options.CategoryEmbedding, options.RegionEmbedding,
                options.HiddenSize, options.Layers, options.Dropout, options.FutureHidden,
                options.DecoderHidden, options.PositionEmbedding) { IntervalHead = options.IntervalHead };

            torch.manual_seed(options.Seed);
            var network = new QuantileLstm(architecture);
            try
            {
                return Fit(network, architecture, trainEnd, validationStart, firstOrigin, cumulative, steps, validation, calibration, calibrationStart);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        /// <summary>A new calibration of <paramref name="model"/>'s weights (see <see cref="LstmTrainer.Recalibrate"/>).</summary>
        public LstmCalibration Recalibrate(LstmModel model)
        {
            var metadata = model.Metadata;
            var trainEnd = metadata.TrainEndDay;
            Adopt(metadata.Schema);
            BuildTables(trainEnd);
            var (calibrationStart, pairs) = CalibrationPairs(HeldOutSkus(_tables.Length), options.MinHistoryDays, metadata.ValidationStartDay, trainEnd);
            return FitCalibration(model.Network, pairs, calibrationStart, trainEnd - _horizon);
        }

        /// <summary>The feature schema the tables are built with, and the shapes that follow from it and the options' levels.</summary>
        private void Adopt(FeatureSchema schema)
        {
            _schema = schema;
            _window = schema.Window;
            _horizon = schema.Horizon;
            _pastWidth = schema.PastFeatureCount;
            _knownWidth = schema.KnownFeatureCount;
            _quantiles = options.Quantiles.Count;
            _levels = [.. options.Quantiles.Select(q => (float)q)];
        }

        /// <summary>The first origin and the windows the calibration is fitted on: the validation range, or <see cref="LstmOptions.CalibrationDays"/> of origins ending with it.</summary>
        private (int Start, (int Sku, int Origin)[] Pairs) CalibrationPairs(int[] heldOut, int firstOrigin, int validationStart, int trainEnd)
        {
            var start = options.CalibrationDays is { } calibrationDays
                ? Math.Max(firstOrigin, trainEnd - _horizon - calibrationDays + 1)
                : validationStart;
            return (start, ValidationPairs(heldOut, start, trainEnd - _horizon, options.CalibrationWindows));
        }

        private LstmTrainingResult Fit(
            QuantileLstm network,
            LstmArchitecture architecture,
            int trainEnd,
            int validationStart,
            int firstOrigin,
            long[] cumulative,
            int steps,
            (int Sku, int Origin)[] validation,
            (int Sku, int Origin)[] calibrationPairs,
            int calibrationStart)
        {
            var random = new SplitMix64(unchecked((ulong)options.Seed));
            var trainingWindows = cumulative[^1];
            using var optimizer = new LstmAdam(network.parameters(), options.LearningRate);
            using var losses = new LossTerms(_levels, _horizon, options);
            var history = new List<LstmEpochProgress>();
            Tensor[]? best = null;
            LstmValidationMetrics? bestMetrics = null;
            var bestEpoch = 0;
            var bestTrainLoss = double.NaN;
            var bestLoss = double.PositiveInfinity;
            var sinceBest = 0;
            var stopReason = "max epochs";
            var batch = new (int Sku, int Origin)[options.BatchSize];
            var totalSteps = 0;
            var average = options.WeightAverageDecay > 0 ? Snapshot(network) : null;
            var parameters = network.parameters().ToArray();
            try
            {
                for (var epoch = 1; epoch <= options.MaxEpochs; epoch++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    network.train();
                    var lossSum = 0.0;
                    for (var step = 0; step < steps; step++)
                    {
                        for (var i = 0; i < batch.Length; i++)
                        {
                            var r = random.NextBelow(trainingWindows);
                            var sku = Array.BinarySearch(cumulative, r);
                            sku = sku >= 0 ? sku : ~sku - 1; // every SKU has at least one window: cumulative ascends strictly

                            batch[i] = (sku, firstOrigin + (int)(r - cumulative[sku]));
                        }

                        lossSum += Step(network, optimizer, losses, batch);
                        if (average is not null)
                        {
                            // a constant decay from the first step: the average of the first epochs stays near the
                            // initial weights, so the validation loss keeps falling and training runs longer
                            Accumulate(parameters, average, options.WeightAverageDecay);
                        }

                        totalSteps++;
                    }

                    var trainLoss = lossSum / steps;
                    network.eval();
                    var current = average is null ? null : Snapshot(network);
                    if (average is not null)
                    {
                        Restore(network, average);
                    }

                    var metrics = Evaluate(network, validation);
                    if (!double.IsFinite(metrics.PinballLoss) || !double.IsFinite(trainLoss))
                    {
                        throw new InvalidOperationException(
                            $"LSTM training diverged in epoch {epoch} (train loss {trainLoss}, validation loss {metrics.PinballLoss}); lower the learning rate.");
                    }

                    var improved = metrics.PinballLoss < bestLoss;
                    if (improved)
                    {
                        bestLoss = metrics.PinballLoss;
                        bestMetrics = metrics;
                        bestEpoch = epoch;
                        bestTrainLoss = trainLoss;
                        sinceBest = 0;
                        DisposeAll(best);
                        best = Snapshot(network);
                    }

                    if (current is not null)
                    {
                        Restore(network, current);
                        DisposeAll(current);
                    }

                    if (!improved)
                    {
                        sinceBest++;
                        optimizer.LearningRate = Math.Max(options.MinLearningRate, optimizer.LearningRate * options.PlateauDecay);
                    }

                    var elapsed = _clock.Elapsed;
                    var perEpoch = elapsed / epoch;
                    var remaining = perEpoch * (options.MaxEpochs - epoch);
                    var budgetEpochs = options.MaxEpochs - epoch;
                    if (options.TimeBudget is { } budget)
                    {
                        // Epochs that still fit into the budget at the longer of the mean and the last epoch time
                        // (epochs slow down when other work shares the cores).
                        var lastEpoch = elapsed - (history.Count > 0 ? history[^1].Elapsed : TimeSpan.Zero);
                        var expected = perEpoch > lastEpoch ? perEpoch : lastEpoch;
                        budgetEpochs = (int)Math.Min(budgetEpochs, Math.Max(0, (budget - elapsed).Ticks / Math.Max(1, expected.Ticks)));
                        remaining = expected * budgetEpochs;
                    }

                    var report = new LstmEpochProgress(epoch, options.MaxEpochs, trainLoss, metrics.PinballLoss, improved, elapsed, remaining);
                    history.Add(report);
                    progress?.Invoke(report);

                    if (sinceBest >= options.Patience)
                    {
                        stopReason = $"early stopping: no better validation loss for {options.Patience} epochs";
                        break;
                    }

                    if (options.TimeBudget is { } limit && epoch < options.MaxEpochs && budgetEpochs == 0)
                    {
                        stopReason = $"time budget of {limit.TotalSeconds:0} s: another epoch would not fit";
                        break;
                    }
                }

                Restore(network, best!);
            }
            finally
            {
                DisposeAll(best);
                DisposeAll(average);
            }

            network.eval();
            var calibration = options.Calibrate && _quantiles >= 2
                ? FitCalibration(network, calibrationPairs, calibrationStart, trainEnd - _horizon)
                : null;
            var metadata = new LstmModelMetadata
            {
                Created = DateTimeOffset.UtcNow,
                DatasetName = dataset.Info.Name,
                DatasetStart = dataset.Start,
                TrainEndDay = trainEnd,
                ValidationStartDay = validationStart,
                ValidationSkus = _heldOutCount,
                TrainingDataSha256 = TrainingDataHash(dataset, trainEnd),
                Quantiles = [.. options.Quantiles],
                Architecture = architecture,
                Hyperparameters = options,
                Schema = _schema,
                Validation = bestMetrics!,
                Training = new LstmTrainingSummary(
                    history.Count, bestEpoch, bestTrainLoss, _clock.Elapsed.TotalSeconds, trainingWindows, totalSteps, stopReason),
                Calibration = calibration,
            };
            return new LstmTrainingResult(new LstmModel(network, metadata), history);
        }

        private void BuildTables(int trainEnd)
        {
            var builder = new FeatureBuilder(_schema, dataset);
            _tables = new SkuTable[dataset.Skus.Count];
            for (var s = 0; s < _tables.Length; s++)
            {
                var writer = builder.Writer(s, trainEnd);
                var past = new float[trainEnd * _pastWidth];
                var known = new float[trainEnd * _knownWidth];
                var units = new double[trainEnd];
                var scales = new double[trainEnd + 1];
                for (var d = 0; d < trainEnd; d++)
                {
                    writer.WritePastRow(d, past.AsSpan(d * _pastWidth, _pastWidth));
                    writer.WriteKnownRow(d, known.AsSpan(d * _knownWidth, _knownWidth));
                    units[d] = writer.Units(d);
                }

                for (var o = 0; o <= trainEnd; o++)
                {
                    scales[o] = writer.ScaleAt(o);
                }

                var series = dataset.Series[s];
                var censored = series.CensoredDays(0, trainEnd) > 0 ? series.Censored.AsSpan(0, trainEnd).ToArray() : null;
                _masked |= censored is not null;
                _tables[s] = new SkuTable(past, known, units, scales, censored, writer.Category, writer.Region);
            }
        }

        /// <summary>
        /// SKUs whose validation range is held out, ascending: a seeded sample of
        /// <see cref="LstmOptions.ValidationSkuFraction"/> of them, or all when that leaves none or too few SKUs.
        /// </summary>
        private int[] HeldOutSkus(int count)
        {
            var all = Enumerable.Range(0, count).ToArray();
            var take = (int)Math.Round(count * options.ValidationSkuFraction);
            if (options.ValidationSkuFraction >= 1 || count < MinSkusForSkuSplit || take < 1)
            {
                return all;
            }

            // Fisher-Yates with its own stream, so the choice does not shift the minibatch draws.
            var random = new SplitMix64(unchecked((ulong)options.Seed ^ 0x56414C4944415445UL));
            for (var i = count - 1; i > 0; i--)
            {
                var j = (int)random.NextBelow(i + 1);
                (all[i], all[j]) = (all[j], all[i]);
            }

            return [.. all.Take(take).Order()];
        }

        private static (int Sku, int Origin)[] ValidationPairs(int[] skus, int firstOrigin, int lastOrigin, int maxWindows)
        {
            var perSku = lastOrigin - firstOrigin + 1;
            var total = (long)perSku * skus.Length;
            var count = (int)Math.Min(total, maxWindows);
            var pairs = new (int, int)[count];
            for (var j = 0; j < count; j++)
            {
                var r = total == count ? j : (long)((double)j * total / count);
                pairs[j] = (skus[(int)(r / perSku)], firstOrigin + (int)(r % perSku));
            }

            return pairs;
        }

        private double Step(QuantileLstm network, LstmAdam optimizer, LossTerms losses, (int Sku, int Origin)[] batch)
        {
            using var scope = torch.NewDisposeScope();
            var (past, future, category, region, target) = Tensors(batch, 0, batch.Length);
            var y = network.call(past, future, category, region);
            var quantiles = y.narrow(2, 0, _quantiles);
            var mean = y.narrow(2, _quantiles, 1).squeeze(2);
            var error = target.unsqueeze(2) - quantiles;
            var weight = _masked ? Weights(batch) : null;
            var pinball = Masked(torch.maximum(losses.Tau * error, losses.TauMinusOne * error), weight);
            var squared = Masked((mean - target).pow(HeldScalars.Two), weight);
            var loss = pinball.add(squared.mul(losses.MeanWeight), HeldScalars.One);
            if (network.Architecture.IntervalHead)
            {
                // pinball loss of the sums over days 1..h+1, each divided by its h+1 days; a sum over an
                // out-of-stock day understates its demand, so it carries no weight either
                var interval = y.narrow(2, _quantiles + 1, _quantiles);
                var sumError = (target.cumsum(1).unsqueeze(2) - interval) / losses.Days;
                var intervalLoss = Masked(torch.maximum(losses.Tau * sumError, losses.TauMinusOne * sumError), weight?.cumprod(1));
                loss = loss.add(intervalLoss.mul(losses.IntervalWeight), HeldScalars.One);
            }
            optimizer.ZeroGrad();
            loss.backward();
            if (options.GradientClip > 0)
            {
                nn.utils.clip_grad_norm_(network.parameters(), options.GradientClip);
            }

            optimizer.Step();
            return pinball.item<float>();
        }

        /// <summary>
        /// The constants of every step's loss, made once per training and held (see <see cref="HeldScalars"/>): the
        /// levels tau and tau - 1 ([1, 1, levels]), the days 1..h that divide the interval sums ([1, h, 1]) and the
        /// weights of the mean and interval terms.
        /// </summary>
        private sealed class LossTerms : IDisposable
        {
            public LossTerms(float[] levels, int horizon, LstmOptions options)
            {
                Tau = torch.tensor(levels, [1, 1, levels.Length]);
                TauMinusOne = Tau.sub(HeldScalars.One);
                using var first = 1.ToScalar();
                using var end = (horizon + 1).ToScalar();
                Days = torch.arange(first, end, HeldScalars.One, ScalarType.Float32).reshape(1, horizon, 1);
                MeanWeight = options.MeanLossWeight.ToScalar();
                IntervalWeight = options.IntervalLossWeight.ToScalar();
            }

            public Tensor Tau { get; }

            public Tensor TauMinusOne { get; }

            public Tensor Days { get; }

            public Scalar MeanWeight { get; }

            public Scalar IntervalWeight { get; }

            public void Dispose()
            {
                Tau.Dispose();
                TauMinusOne.Dispose();
                Days.Dispose();
                MeanWeight.Dispose();
                IntervalWeight.Dispose();
            }
        }

        /// <summary>
        /// The mean of <paramref name="cells"/> ([batch, horizon] or [batch, horizon, levels]) over the cells whose
        /// <paramref name="weight"/> ([batch, horizon], 1 in stock, 0 out of stock) is 1; the plain mean without weights.
        /// </summary>
        private static Tensor Masked(Tensor cells, Tensor? weight)
        {
            if (weight is null)
            {
                return cells.mean();
            }

            var w = cells.dim() == 3 ? weight.unsqueeze(2).expand_as(cells) : weight;
            return (cells * w).sum() / w.sum().clamp_min(HeldScalars.One);
        }

        /// <summary>1 for each (window, horizon day) of <paramref name="batch"/> in stock, 0 out of stock.</summary>
        private Tensor Weights((int Sku, int Origin)[] batch)
        {
            var values = new float[batch.Length * _horizon];
            for (var i = 0; i < batch.Length; i++)
            {
                var (sku, origin) = batch[i];
                for (var h = 0; h < _horizon; h++)
                {
                    values[(i * _horizon) + h] = _tables[sku].Censored(origin + h) ? 0f : 1f;
                }
            }

            return torch.tensor(values, [batch.Length, _horizon]);
        }

        /// <summary>One window's network output: <see cref="ForEachOutput"/> passes its pair and its rows (horizon x outputs per day).</summary>
        private delegate void WindowOutput((int Sku, int Origin) pair, ReadOnlySpan<float> rows);

        /// <summary>Runs the network without gradients over <paramref name="pairs"/> in chunks and hands each window's rows to <paramref name="visit"/>, in order.</summary>
        private void ForEachOutput(QuantileLstm network, (int Sku, int Origin)[] pairs, WindowOutput visit)
        {
            using var noGrad = torch.no_grad();
            var width = _horizon * network.Architecture.OutputsPerDay;
            for (var start = 0; start < pairs.Length; start += ValidationChunk)
            {
                var count = Math.Min(ValidationChunk, pairs.Length - start);
                using var scope = torch.NewDisposeScope();
                var (past, future, category, region, _) = Tensors(pairs, start, count);
                var y = network.call(past, future, category, region).contiguous();
                var values = MemoryMarshal.Cast<byte, float>(y.bytes);
                for (var i = 0; i < count; i++)
                {
                    visit(pairs[start + i], values.Slice(i * width, width));
                }
            }
        }

        private LstmValidationMetrics Evaluate(QuantileLstm network, (int Sku, int Origin)[] pairs)
        {
            var pinball = 0.0;
            var squared = 0.0;
            var absolute = 0.0;
            var actual = 0.0;
            var covered = new long[_quantiles];
            var outputs = network.Architecture.OutputsPerDay;
            var median = Array.FindIndex(_levels, l => Math.Abs(l - 0.5f) < 1e-6f);
            var medianAbsolute = 0.0;
            var cells = 0L;
            ForEachOutput(network, pairs, (pair, rows) =>
            {
                var (sku, origin) = pair;
                var table = _tables[sku];
                var scale = table.Scale(origin);
                for (var h = 0; h < _horizon; h++)
                {
                    if (table.Censored(origin + h))
                    {
                        continue; // validated on in-stock days only, as trained
                    }

                    cells++;
                    var truth = table.Target(origin, origin + h);
                    var row = rows.Slice(h * outputs, outputs);
                    for (var k = 0; k < _quantiles; k++)
                    {
                        var e = truth - row[k];
                        pinball += Math.Max(_levels[k] * e, (_levels[k] - 1) * e);
                        covered[k] += truth <= row[k] ? 1 : 0;
                    }

                    if (median >= 0)
                    {
                        medianAbsolute += Math.Abs(Math.Max(0f, row[median]) - truth) * scale;
                    }

                    var meanError = row[_quantiles] - truth;
                    squared += meanError * meanError;
                    absolute += Math.Abs(meanError) * scale;
                    actual += truth * scale;
                }
            });

            var scoredCells = (double)cells;
            return new LstmValidationMetrics(
                pinball / (scoredCells * _quantiles),
                squared / scoredCells,
                [.. covered.Select(c => c / scoredCells)],
                actual > 0 ? absolute / actual : double.NaN,
                pairs.Length)
            {
                MedianMae = median >= 0 ? medianAbsolute / scoredCells : double.NaN,
                MeanMae = absolute / scoredCells,
            };
        }

        /// <summary>
        /// Fits <see cref="LstmCalibration"/> on held-out windows (origins inside the validation range, each
        /// forecast from the days before its origin only): per horizon day the raw daily curves against the day's
        /// actual and the raw interval curves against the sum of days 1..h+1, in scaled units.
        /// </summary>
        private LstmCalibration FitCalibration(QuantileLstm network, (int Sku, int Origin)[] pairs, int firstOrigin, int lastOrigin)
        {
            var interval = network.Architecture.IntervalHead;
            var outputs = network.Architecture.OutputsPerDay;
            var dailyCurves = new List<float[]>[_horizon];
            var dailyActuals = new List<double>[_horizon];
            var sumCurves = new List<float[]>[_horizon];
            var sumActuals = new List<double>[_horizon];
            for (var h = 0; h < _horizon; h++)
            {
                (dailyCurves[h], dailyActuals[h], sumCurves[h], sumActuals[h]) = (new(pairs.Length), new(pairs.Length), new(interval ? pairs.Length : 0), new(interval ? pairs.Length : 0));
            }

            ForEachOutput(network, pairs, (pair, rows) =>
            {
                var (sku, origin) = pair;
                var table = _tables[sku];
                var sum = 0.0;
                var sumCensored = false;
                for (var h = 0; h < _horizon; h++)
                {
                    var truth = table.Target(origin, origin + h);
                    sum += truth;

                    // an out-of-stock day's sales and the sums over it understate demand: they calibrate nothing
                    if (table.Censored(origin + h))
                    {
                        sumCensored = true;
                        continue;
                    }

                    var row = rows.Slice(h * outputs, outputs);
                    dailyCurves[h].Add(row[.._quantiles].ToArray());
                    dailyActuals[h].Add(truth);
                    if (interval && !sumCensored)
                    {
                        sumCurves[h].Add(row.Slice(_quantiles + 1, _quantiles).ToArray());
                        sumActuals[h].Add(sum);
                    }
                }
            });

            var levels = options.Quantiles;
            var mode = options.CalibrationMode;
            return new LstmCalibration
            {
                Mode = mode,
                Windows = pairs.Length,
                FirstOriginDay = firstOrigin,
                LastOriginDay = lastOrigin,
                Daily = [.. Enumerable.Range(0, _horizon).Select(h => LstmCalibration.FitLevels(levels, dailyCurves[h], dailyActuals[h], mode))],
                Interval = interval
                    ? [.. Enumerable.Range(0, _horizon).Select(h => LstmCalibration.FitLevels(levels, sumCurves[h], sumActuals[h], mode))]
                    : null,
            };
        }

        private (Tensor Past, Tensor Future, Tensor Category, Tensor Region, Tensor Target) Tensors(
            (int Sku, int Origin)[] pairs, int start, int count)
        {
            var pastTensor = torch.empty([count, _window, _pastWidth]);
            var futureTensor = torch.empty([count, _horizon, _knownWidth]);
            var categoryTensor = torch.empty([count], ScalarType.Int64);
            var regionTensor = torch.empty([count], ScalarType.Int64);
            var targetTensor = torch.empty([count, _horizon]);
            var past = MemoryMarshal.Cast<byte, float>(pastTensor.bytes);
            var future = MemoryMarshal.Cast<byte, float>(futureTensor.bytes);
            var categories = MemoryMarshal.Cast<byte, long>(categoryTensor.bytes);
            var regions = MemoryMarshal.Cast<byte, long>(regionTensor.bytes);
            var targets = MemoryMarshal.Cast<byte, float>(targetTensor.bytes);
            var pastLength = _window * _pastWidth;
            var futureLength = _horizon * _knownWidth;
            for (var i = 0; i < count; i++)
            {
                var (sku, origin) = pairs[start + i];
                var table = _tables[sku];
                var slot = past.Slice(i * pastLength, pastLength);
                var first = origin - _window;
                if (first >= 0)
                {
                    table.Past.AsSpan(first * _pastWidth, pastLength).CopyTo(slot);
                }
                else
                {
                    var padding = -first * _pastWidth;
                    slot[..padding].Clear();
                    table.Past.AsSpan(0, origin * _pastWidth).CopyTo(slot[padding..]);
                }

                table.Known.AsSpan(origin * _knownWidth, futureLength).CopyTo(future.Slice(i * futureLength, futureLength));
                var target = targets.Slice(i * _horizon, _horizon);
                for (var h = 0; h < _horizon; h++)
                {
                    target[h] = table.Target(origin, origin + h);
                }

                categories[i] = table.Category;
                regions[i] = table.Region;
            }

            return (pastTensor, futureTensor, categoryTensor, regionTensor, targetTensor);
        }

        private static Tensor[] Snapshot(QuantileLstm network)
        {
            using var noGrad = torch.no_grad();
            return [.. network.parameters().Select(p => p.detach().clone().DetachFromDisposeScope())];
        }

        private static void Restore(QuantileLstm network, Tensor[] snapshot)
        {
            using var noGrad = torch.no_grad();
            var parameters = network.parameters().ToArray();
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].copy_(snapshot[i]);
            }
        }

        /// <summary>average = decay x average + (1 - decay) x weights, for each parameter, in place.</summary>
        private static void Accumulate(Tensor[] parameters, Tensor[] average, double decay)
        {
            using var noGrad = torch.no_grad();
            using var keep = decay.ToScalar();
            using var blend = (1 - decay).ToScalar();
            for (var i = 0; i < parameters.Length; i++)
            {
                average[i].mul_(keep).add_(parameters[i], alpha: blend);
            }
        }

        private static void DisposeAll(Tensor[]? tensors)
        {
            foreach (var t in tensors ?? [])
            {
                t.Dispose();
            }
        }
    }
}
