using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// A trained quantile LSTM with its metadata. A model folder holds <c>weights.bin</c> (TorchSharp
/// <c>Module.save</c>) and <c>model.json</c> (<see cref="LstmModelMetadata"/>: feature schema and scalers,
/// quantiles, horizon, window, architecture, hyperparameters, training-data hash, validation metrics).
/// <para>
/// <see cref="Predict"/> returns, per window, <see cref="OutputLength"/> floats in units:
/// <c>out[h * OutputsPerDay + k]</c> is quantile level <c>Quantiles[k]</c> of horizon day h for k &lt; Q and
/// <c>out[h * OutputsPerDay + Q]</c> is the mean. With a calibration (<see cref="LstmModelMetadata.Calibration"/>)
/// the quantiles are first calibrated in scaled units (<see cref="LstmCalibrationMap"/>: non-decreasing in the level,
/// interval sums non-decreasing in h). Network outputs are multiplied by the window's scale and floored at 0 (a
/// monotone map, so quantile order is kept).
/// </para>
/// Thread-safe: predictions may run concurrently from several threads (the network is only read);
/// <see cref="Dispose"/> waits for running predictions.
/// </summary>
public sealed class LstmModel : IDisposable
{
    /// <summary>Windows per tensor call; larger batches are split (512 ran fastest per thread on 2 cores).</summary>
    public const int ChunkSize = 512;

    /// <summary>Steps (SKU states) per tensor call of <see cref="Step"/>.</summary>
    public const int StepChunkSize = 4096;

    /// <summary><see cref="Step"/> pads its tensors to multiples of this many rows, so few distinct shapes reach the native kernels.</summary>
    public const int StepRowBucket = 128;

    public const string WeightsFile = "weights.bin";
    public const string MetadataFile = "model.json";

    private readonly QuantileLstm _network;
    private readonly ReaderWriterLockSlim _lifetime = new();
    private readonly Lock _bfloat16Gate = new();
    private QuantileLstm? _bfloat16;
    private readonly ConditionalWeakTable<Dataset, FeatureBuilder> _builders = new();
    private readonly int _pastLength;
    private readonly int _futureLength;
    private readonly LstmCalibrationMap? _calibration;
    private bool _disposed;

    internal LstmModel(QuantileLstm network, LstmModelMetadata metadata)
    {
        metadata.Validate();
        if (network.Architecture != metadata.Architecture)
        {
            throw new ArgumentException("The network's architecture differs from the metadata's.", nameof(network));
        }

        _network = network;
        _network.eval();
        Metadata = metadata;
        _pastLength = metadata.Schema.PastLength;
        _futureLength = metadata.Schema.FutureLength;
        _calibration = metadata.Calibration is { } calibration && metadata.Quantiles.Count >= 2
            ? new LstmCalibrationMap(calibration, metadata.Quantiles)
            : null;
    }

    public LstmModelMetadata Metadata { get; }

    public FeatureSchema Schema => Metadata.Schema;

    public int Horizon => Schema.Horizon;

    public int Window => Schema.Window;

    public IReadOnlyList<double> Quantiles => Metadata.Quantiles;

    /// <summary>
    /// Whether forecasts are calibrated (<see cref="LstmModelMetadata.Calibration"/>): models trained before format
    /// version 4, or without calibration, forecast their raw quantiles.
    /// </summary>
    public bool IsCalibrated => _calibration is not null;

    /// <summary>One line saying whether and on what the model is calibrated, for command output.</summary>
    public string CalibrationDescription => Metadata.Calibration is { } c && IsCalibrated
        ? $"calibrated (split-conformal per horizon day and level, on {c.Windows:N0} windows with origins from {Metadata.DatasetStart.AddDays(c.FirstOriginDay):yyyy-MM-dd} to {Metadata.DatasetStart.AddDays(c.LastOriginDay):yyyy-MM-dd}{(c.FirstOriginDay < Metadata.ValidationStartDay ? ", partly training days" : ", the validation range")})"
        : $"not calibrated (model.json format version {Metadata.FormatVersion}{(Metadata.FormatVersion < 4 ? ", before calibration was saved" : string.Empty)}): raw quantiles";

    /// <summary>Floats per horizon day in a prediction: the quantiles, the mean, then (with the interval head) the interval quantiles.</summary>
    public int OutputsPerDay => Metadata.Architecture.OutputsPerDay;

    /// <summary>Floats per prediction: <see cref="Horizon"/> x <see cref="OutputsPerDay"/>.</summary>
    public int OutputLength => Horizon * OutputsPerDay;

    /// <summary>
    /// A model with freshly initialised weights (seeded by <see cref="LstmOptions.Seed"/>) for
    /// <paramref name="schema"/>: for throughput measurements and tests, not for forecasting.
    /// </summary>
    public static LstmModel Untrained(FeatureSchema schema, LstmOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var architecture = new LstmArchitecture(
            schema.PastFeatureCount, schema.KnownFeatureCount, schema.Window, schema.Horizon, options.Quantiles.Count,
            schema.Categories.Count, schema.Regions.Count, options.CategoryEmbedding, options.RegionEmbedding,
            options.HiddenSize, options.Layers, options.Dropout, options.FutureHidden,
                options.DecoderHidden, options.PositionEmbedding) { IntervalHead = options.IntervalHead };
        TorchRuntime.EnsureInitialized();
        QuantileLstm network;
        lock (TorchRuntime.RandomGate)
        {
            torch.manual_seed(options.Seed);
            network = new QuantileLstm(architecture);
        }

        var metadata = new LstmModelMetadata
        {
            Created = DateTimeOffset.UtcNow,
            DatasetName = "(none)",
            DatasetStart = default,
            TrainEndDay = 0,
            ValidationStartDay = 0,
            TrainingDataSha256 = string.Empty,
            Quantiles = [.. options.Quantiles],
            Architecture = architecture,
            Hyperparameters = options with { Scaling = schema.Scaling },
            Schema = schema,
            Validation = new LstmValidationMetrics(double.NaN, double.NaN, [], double.NaN, 0),
            Training = new LstmTrainingSummary(0, 0, double.NaN, 0, 0, 0, "untrained"),
        };
        return new LstmModel(network, metadata);
    }

    /// <summary>Loads a model folder written by <see cref="Save"/>.</summary>
    public static LstmModel Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var metadataPath = Path.Combine(folder, MetadataFile);
        var weightsPath = Path.Combine(folder, WeightsFile);
        if (!File.Exists(metadataPath) || !File.Exists(weightsPath))
        {
            throw new FileNotFoundException(
                $"'{folder}' is not an LSTM model folder: it needs {MetadataFile} and {WeightsFile}.", File.Exists(metadataPath) ? weightsPath : metadataPath);
        }

        LstmModelMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<LstmModelMetadata>(File.ReadAllText(metadataPath), FeatureSchema.JsonOptions)
                ?? throw new InvalidDataException($"{metadataPath} is empty.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{metadataPath} is not valid model metadata: {error.Message}", error);
        }

        metadata.Validate();
        TorchRuntime.EnsureInitialized();
        var network = new QuantileLstm(metadata.Architecture);
        network.load(weightsPath);
        return new LstmModel(network, metadata);
    }

    /// <summary>Writes <c>weights.bin</c> and <c>model.json</c> into <paramref name="folder"/> (created if needed).</summary>
    public void Save(string folder) => Save(folder, Metadata);

    /// <summary>Saves the model into <paramref name="folder"/> with <paramref name="calibration"/> in place of its own (null: none).</summary>
    public void SaveRecalibrated(string folder, LstmCalibration? calibration) =>
        Save(folder, Metadata with { FormatVersion = LstmModelMetadata.CurrentFormatVersion, Calibration = calibration });

    private void Save(string folder, LstmModelMetadata metadata)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _network.save(Path.Combine(folder, WeightsFile));
        }
        finally
        {
            _lifetime.ExitReadLock();
        }

        File.WriteAllText(Path.Combine(folder, MetadataFile), JsonSerializer.Serialize(metadata, FeatureSchema.JsonOptions));
    }

    /// <summary>The feature builder of this model for <paramref name="dataset"/>, cached per dataset instance.</summary>
    public FeatureBuilder FeaturesFor(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return _builders.GetValue(dataset, d => new FeatureBuilder(Schema, d));
    }

    /// <summary>The network input of one SKU at one origin (history strictly before the origin).</summary>
    public ForecastWindow BuildWindow(Dataset dataset, int skuIndex, int origin) =>
        FeaturesFor(dataset).BuildWindow(skuIndex, origin);

    /// <summary>
    /// Predicts every window (chunks of <see cref="ChunkSize"/>); see the class summary for the layout.
    /// <see cref="InferencePrecision.BFloat16"/> runs a bfloat16 copy of the network (made on first use):
    /// faster on CPUs with bfloat16 instructions. On the 200-SKU down-jackets model its outputs differed from
    /// float32 by 0.2% on average and by at most 2.3% (values above one unit).
    /// </summary>
    public float[][] Predict(IReadOnlyList<ForecastWindow> windows, InferencePrecision precision = InferencePrecision.Float32)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var results = new float[windows.Count][];
        for (var i = 0; i < windows.Count; i++)
        {
            Check(windows[i], i);
        }

        using var inference = Enter(precision);
        for (var start = 0; start < windows.Count; start += ChunkSize)
        {
            var count = Math.Min(ChunkSize, windows.Count - start);
            PredictChunk(inference.Network, precision, windows, start, count, results);
        }

        return results;
    }

    /// <summary>Floats in one SKU's encoder state for <see cref="Step"/>.</summary>
    public int StateLength => Metadata.Architecture.StateLength;

    /// <summary>Whether outputs carry the interval head's quantiles (sums of days 1..h) after the mean.</summary>
    public bool HasIntervalHead => Metadata.Architecture.IntervalHead;

    /// <summary>The encoder state before any day: zeros, as <see cref="Predict"/> starts every window.</summary>
    public float[] NewState() => new float[StateLength];

    /// <summary>
    /// Runs the encoder one day for each SKU in <paramref name="steps"/>, from and into its
    /// <see cref="LstmStep.State"/>, and writes the forecast from the next day into <see cref="LstmStep.Output"/>
    /// where <see cref="LstmStep.Future"/> is given (layout as <see cref="Predict"/>). A caller that keeps each
    /// SKU's state pays one encoder day per forecast instead of <see cref="Window"/>. Starting from
    /// <see cref="NewState"/> and stepping through a window's days gives <see cref="Predict"/>'s output for that
    /// window, up to float rounding. Forecasts cover the first <paramref name="days"/> horizon days (default: all),
    /// so each <see cref="LstmStep.Output"/> holds days x <see cref="OutputsPerDay"/> floats. Chunks of
    /// <see cref="StepChunkSize"/> per tensor call.
    /// </summary>
    public void Step(IReadOnlyList<LstmStep> steps, InferencePrecision precision = InferencePrecision.Float32, int? days = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        Step(steps switch
        {
            List<LstmStep> list => CollectionsMarshal.AsSpan(list),
            LstmStep[] array => array,
            _ => [.. steps],
        }, precision, days);
    }

    /// <summary>As <see cref="Step(IReadOnlyList{LstmStep}, InferencePrecision, int?)"/>, over a span (no copy of each step through an interface).</summary>
    public void Step(ReadOnlySpan<LstmStep> steps, InferencePrecision precision = InferencePrecision.Float32, int? days = null)
    {
        var forecastDays = days ?? Horizon;
        if (forecastDays < 1 || forecastDays > Horizon)
        {
            throw new ArgumentOutOfRangeException(nameof(days), forecastDays, $"Forecast days must be within 1..{Horizon}.");
        }

        // forecasting steps first: one encoder call per chunk, the head on its leading rows only
        var order = new int[steps.Length];
        var forecasting = 0;
        for (var i = 0; i < steps.Length; i++)
        {
            Check(in steps[i], forecastDays, i);
            if (steps[i].Future is not null)
            {
                order[forecasting++] = i;
            }
        }

        var advancing = forecasting;
        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i].Future is null)
            {
                order[advancing++] = i;
            }
        }

        using var inference = Enter(precision);
        for (var start = 0; start < order.Length; start += StepChunkSize)
        {
            var count = Math.Min(StepChunkSize, order.Length - start);
            var withFuture = Math.Clamp(forecasting - start, 0, count);
            StepChunk(inference.Network, precision, steps, order, start, count, withFuture, forecastDays);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the step has this model's shape.</summary>
    public void Check(in LstmStep step, int days, int position = 0)
    {
        if (step.State is null || step.State.Length != StateLength || step.Row is null || step.Row.Length != Schema.PastFeatureCount)
        {
            throw new ArgumentException(
                $"Step {position} has {step.State?.Length ?? 0} state and {step.Row?.Length ?? 0} row floats; this model takes {StateLength} and {Schema.PastFeatureCount}.",
                nameof(step));
        }

        if (step.Future is not null && (step.Future.Length != _futureLength || step.Output is null || step.Output.Length != days * OutputsPerDay
            || step.FutureStart < 0 || step.FutureStart >= Horizon))
        {
            throw new ArgumentException(
                $"Step {position} has {step.Future.Length} future and {step.Output?.Length ?? 0} output floats; this model takes {_futureLength} and writes {days * OutputsPerDay} for {days} days.",
                nameof(step));
        }

        CheckStatics(step.Category, step.Region, step.Scale, position);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the window has this model's shape.</summary>
    public void Check(ForecastWindow window, int position = 0)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Past is null || window.Past.Length != _pastLength || window.Future is null || window.Future.Length != _futureLength)
        {
            throw new ArgumentException(
                $"Window {position} has {window.Past?.Length ?? 0} past and {window.Future?.Length ?? 0} future floats; this model takes {_pastLength} ({Window} days x {Schema.PastFeatureCount}) and {_futureLength} ({Horizon} days x {Schema.KnownFeatureCount}).",
                nameof(window));
        }

        CheckStatics(window.Category, window.Region, window.Scale, position);
    }

    private void CheckStatics(int category, int region, float scale, int position)
    {
        if (category < 0 || category >= Schema.Categories.Count || region < 0 || region >= Schema.Regions.Count)
        {
            throw new ArgumentException(
                $"Input {position} has category {category} and region {region}; valid indices are 0..{Schema.Categories.Count - 1} and 0..{Schema.Regions.Count - 1}.");
        }

        if (!(scale > 0) || !float.IsFinite(scale))
        {
            throw new ArgumentException($"Input {position} has scale {scale}; it must be positive.");
        }
    }

    public void Dispose()
    {
        _lifetime.EnterWriteLock();
        try
        {
            if (!_disposed)
            {
                _disposed = true;
                _network.Dispose();
                _bfloat16?.Dispose();
            }
        }
        finally
        {
            _lifetime.ExitWriteLock();
        }
    }

    /// <summary>The raw network (scaled units), for training and tests.</summary>
    internal QuantileLstm Network => _network;

    /// <summary>Takes the read lock (the model cannot be disposed meanwhile) and no-grad mode for one inference call, with the network of <paramref name="precision"/>.</summary>
    private InferenceScope Enter(InferencePrecision precision)
    {
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var network = precision == InferencePrecision.BFloat16 ? BFloat16Network() : _network;
            return new InferenceScope(this, network, torch.no_grad());
        }
        catch
        {
            _lifetime.ExitReadLock();
            throw;
        }
    }

    private readonly ref struct InferenceScope(LstmModel model, QuantileLstm network, IDisposable noGrad)
    {
        public QuantileLstm Network { get; } = network;

        public void Dispose()
        {
            noGrad.Dispose();
            model._lifetime.ExitReadLock();
        }
    }

    private QuantileLstm BFloat16Network()
    {
        lock (_bfloat16Gate)
        {
            if (_bfloat16 is null)
            {
                var copy = new QuantileLstm(Metadata.Architecture);
                copy.load_state_dict(_network.state_dict());
                copy.to(ScalarType.BFloat16);
                copy.eval();
                _bfloat16 = copy;
            }

            return _bfloat16;
        }
    }

    private void StepChunk(
        QuantileLstm network, InferencePrecision precision, ReadOnlySpan<LstmStep> steps, int[] order, int start, int count, int withFuture, int days)
    {
        var architecture = Metadata.Architecture;
        var width = Schema.PastFeatureCount;

        // Rows are padded (zeros) to multiples of StepRowBucket, forecasting rows and the others apart: the native
        // kernels are compiled per tensor shape, and batches of every possible size would compile one each.
        var forecastRows = Bucket(withFuture);
        var rowCount = forecastRows + Bucket(count - withFuture);
        var rowOf = new int[count];
        for (var i = 0; i < count; i++)
        {
            rowOf[i] = i < withFuture ? i : forecastRows + (i - withFuture);
        }

        using var scope = torch.NewDisposeScope();
        var layers = architecture.Layers;
        var hiddenSize = architecture.HiddenSize;

        var type = TensorType(precision);
        var hiddenTensor = torch.empty([layers, rowCount, hiddenSize], type);
        var cellTensor = torch.empty([layers, rowCount, hiddenSize], type);
        var rowTensor = torch.empty([rowCount, width], type);
        var futureTensor = withFuture > 0 ? torch.empty([forecastRows, Horizon, Schema.KnownFeatureCount], type) : null;
        var categoryTensor = torch.empty([rowCount], ScalarType.Int64);
        var regionTensor = torch.empty([rowCount], ScalarType.Int64);
        var hiddenIn = new Staging(hiddenTensor);
        var cellIn = new Staging(cellTensor);
        var rows = new Staging(rowTensor);
        var future = futureTensor is null ? default : new Staging(futureTensor);
        var categories = MemoryMarshal.Cast<byte, long>(categoryTensor.bytes);
        var regions = MemoryMarshal.Cast<byte, long>(regionTensor.bytes);

        // only the padding rows need zeros; the others are written below
        foreach (var (from, to) in new[] { (withFuture, forecastRows), (forecastRows + count - withFuture, rowCount) })
        {
            for (var l = 0; l < layers; l++)
            {
                hiddenIn.Clear(((l * rowCount) + from) * hiddenSize, ((l * rowCount) + to) * hiddenSize);
                cellIn.Clear(((l * rowCount) + from) * hiddenSize, ((l * rowCount) + to) * hiddenSize);
            }

            rows.Clear(from * width, to * width);
            categories[from..to].Clear();
            regions[from..to].Clear();
        }

        if (futureTensor is not null)
        {
            future.Clear(withFuture * _futureLength, forecastRows * _futureLength);
        }

        for (var i = 0; i < count; i++)
        {
            ref readonly var step = ref steps[order[start + i]];
            var r = rowOf[i];

            // the state is h then c, each [Layers, HiddenSize]; the tensors are [Layers, rows, HiddenSize]
            for (var l = 0; l < layers; l++)
            {
                hiddenIn.Write(step.State.AsSpan(l * hiddenSize, hiddenSize), ((l * rowCount) + r) * hiddenSize);
                cellIn.Write(step.State.AsSpan((layers + l) * hiddenSize, hiddenSize), ((l * rowCount) + r) * hiddenSize);
            }

            rows.Write(step.Row, r * width);
            if (i < withFuture)
            {
                // the horizon's rows may start inside the array (a ring): copy the part from there, then the rest
                var split = step.FutureStart * Schema.KnownFeatureCount;
                future.Write(step.Future.AsSpan(split), r * _futureLength);
                future.Write(step.Future.AsSpan(0, split), (r * _futureLength) + _futureLength - split);
            }

            categories[r] = step.Category;
            regions[r] = step.Region;
        }

        var (y, h, c) = network.Step(rowTensor, hiddenTensor, cellTensor, futureTensor, categoryTensor, regionTensor, days);

        // The state stays float32 between steps (bfloat16 only inside the call), so rounding does not build up in it.
        var hiddenOut = new Staging(h.contiguous());
        var cellOut = new Staging(c.contiguous());
        for (var i = 0; i < count; i++)
        {
            var state = steps[order[start + i]].State;
            var r = rowOf[i];
            for (var l = 0; l < layers; l++)
            {
                hiddenOut.Read(((l * rowCount) + r) * hiddenSize, state.AsSpan(l * hiddenSize, hiddenSize));
                cellOut.Read(((l * rowCount) + r) * hiddenSize, state.AsSpan((layers + l) * hiddenSize, hiddenSize));
            }
        }

        if (y is null)
        {
            return;
        }

        y = y.to(ScalarType.Float32).contiguous();
        var output = MemoryMarshal.Cast<byte, float>(y.bytes);
        var length = days * OutputsPerDay;
        for (var i = 0; i < withFuture; i++)
        {
            ref readonly var step = ref steps[order[start + i]];
            QuantileLstm.Finish(output.Slice(i * length, length), step.Output!, days, architecture.Quantiles, architecture.IntervalHead, step.Scale, _calibration, Schema.IntegerQuantiles);
        }
    }

    /// <summary>
    /// The number format of the network's inputs: they are written in it directly (bfloat16 rounded as libtorch
    /// rounds it, see <see cref="Staging"/>), so no float32 copy of them is made and converted.
    /// </summary>
    private static ScalarType TensorType(InferencePrecision precision) =>
        precision == InferencePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>A tensor's storage as float32 or bfloat16 values, read and written as float32.</summary>
    private readonly ref struct Staging
    {
        private readonly Span<float> _single;
        private readonly Span<ushort> _half;
        private readonly bool _isHalf;

        public Staging(Tensor tensor)
        {
            _isHalf = tensor.dtype == ScalarType.BFloat16;
            if (_isHalf)
            {
                _half = MemoryMarshal.Cast<byte, ushort>(tensor.bytes);
            }
            else
            {
                _single = MemoryMarshal.Cast<byte, float>(tensor.bytes);
            }
        }

        public void Write(ReadOnlySpan<float> source, int at)
        {
            if (_isHalf)
            {
                BFloat16Bits.From(source, _half.Slice(at, source.Length));
            }
            else
            {
                source.CopyTo(_single[at..]);
            }
        }

        public void Read(int at, Span<float> destination)
        {
            if (_isHalf)
            {
                BFloat16Bits.To(_half.Slice(at, destination.Length), destination);
            }
            else
            {
                _single.Slice(at, destination.Length).CopyTo(destination);
            }
        }

        public void Clear(int from, int to)
        {
            if (_isHalf)
            {
                _half[from..to].Clear();
            }
            else
            {
                _single[from..to].Clear();
            }
        }
    }

    private static int Bucket(int rows) => (rows + StepRowBucket - 1) / StepRowBucket * StepRowBucket;

    private void PredictChunk(
        QuantileLstm network, InferencePrecision precision, IReadOnlyList<ForecastWindow> windows, int start, int count, float[][] results)
    {
        var length = OutputLength;
        using var scope = torch.NewDisposeScope();
        var type = TensorType(precision);
        var pastTensor = torch.empty([count, Window, Schema.PastFeatureCount], type);
        var futureTensor = torch.empty([count, Horizon, Schema.KnownFeatureCount], type);
        var categoryTensor = torch.empty([count], ScalarType.Int64);
        var regionTensor = torch.empty([count], ScalarType.Int64);

        // Tensor.bytes of a contiguous CPU tensor is a view of its storage: the windows go straight in.
        var past = new Staging(pastTensor);
        var future = new Staging(futureTensor);
        var categories = MemoryMarshal.Cast<byte, long>(categoryTensor.bytes);
        var regions = MemoryMarshal.Cast<byte, long>(regionTensor.bytes);
        for (var i = 0; i < count; i++)
        {
            var w = windows[start + i];
            past.Write(w.Past, i * _pastLength);
            future.Write(w.Future, i * _futureLength);
            categories[i] = w.Category;
            regions[i] = w.Region;
        }

        var reference = network.ReferenceHead;
        var y = reference
            ? network.call(pastTensor, futureTensor, categoryTensor, regionTensor)
            : network.Increments(pastTensor, futureTensor, categoryTensor, regionTensor);
        y = y.to(ScalarType.Float32).contiguous();
        var output = MemoryMarshal.Cast<byte, float>(y.bytes);
        var architecture = Metadata.Architecture;
        for (var i = 0; i < count; i++)
        {
            var scale = windows[start + i].Scale;
            var result = new float[length];
            var row = output.Slice(i * length, length);
            if (reference)
            {
                row.CopyTo(result);
                if (_calibration is not null)
                {
                    QuantileLstm.Calibrate(result, Horizon, architecture.Quantiles, architecture.IntervalHead, _calibration);
                }

                for (var j = 0; j < length; j++)
                {
                    result[j] = Math.Max(0f, result[j] * scale);
                }
            }
            else
            {
                QuantileLstm.Finish(row, result, Horizon, architecture.Quantiles, architecture.IntervalHead, scale, _calibration, Schema.IntegerQuantiles);
            }

            results[start + i] = result;
        }
    }
}

/// <summary>Number format of the network during inference.</summary>
public enum InferencePrecision
{
    /// <summary>float32, the format the network was trained in.</summary>
    Float32,

    /// <summary>bfloat16 weights and activations (8-bit mantissa).</summary>
    BFloat16,
}

/// <summary>
/// One SKU's day for <see cref="LstmModel.Step"/>: its encoder <paramref name="State"/> (read, then overwritten
/// with the state after the day), the day's past feature <paramref name="Row"/>, and, to forecast from the next
/// day, the horizon's known-future rows <paramref name="Future"/> and the <paramref name="Output"/> buffer the
/// forecast is written into (units: network output x <paramref name="Scale"/>, floored at 0).
/// <paramref name="FutureStart"/> is the row of <paramref name="Future"/> that holds the first horizon day; the
/// rows after it, then those before it, follow in order (a ring that a caller moving one day at a time can keep).
/// </summary>
public readonly record struct LstmStep(float[] State, float[] Row, float[]? Future, int Category, int Region, float Scale, float[]? Output, int FutureStart = 0);
