using SeasonalGrains.Forecasting.Backtest;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// Hyperparameters of the quantile LSTM and its training. Defaults suit a few hundred SKUs on 2 cores: an
/// epoch is 200 to 400 minibatches of 128 windows (25,600 to 51,200 windows), at most 16 epochs.
/// </summary>
public sealed record LstmOptions
{
    /// <summary>Days of history the encoder reads.</summary>
    public int Window { get; init; } = 28;

    /// <summary>Days forecast at once from each origin.</summary>
    public int Horizon { get; init; } = 28;

    /// <summary>Units of each LSTM layer: 50, as in the paper's 2 x 50 network (on the down-jackets backtest as accurate as 64, and a fifth cheaper to run).</summary>
    public int HiddenSize { get; init; } = 50;

    public int Layers { get; init; } = 2;

    /// <summary>Dropout between LSTM layers and in the shared layer.</summary>
    public double Dropout { get; init; } = 0.2;

    /// <summary>Quantile levels the network predicts, strictly ascending in (0, 1).</summary>
    public IReadOnlyList<double> Quantiles { get; init; } = [0.1, 0.25, 0.5, 0.75, 0.9];

    /// <summary>
    /// The levels `seasonal train` fits: the M5 uncertainty levels (0.005, 0.025, 0.165, 0.25, 0.5, 0.75, 0.835,
    /// 0.975, 0.995), whose tails reorder policies read, and the levels backtests score
    /// (<see cref="BacktestOptions.DefaultLevels"/>), so backtest columns need no interpolation.
    /// </summary>
    public static IReadOnlyList<double> TrainLevels { get; } =
        [.. BacktestOptions.DefaultLevels.Union(BacktestOptions.M5Levels).Order()];

    /// <summary>
    /// The options `seasonal train` (and a backtest or scenario that trains) starts from: these defaults with
    /// <see cref="TrainLevels"/>, so benchmarks of untrained models cost what trained ones do, and units scaled by
    /// each SKU's recent level (<see cref="Features.UnitScaling.Level"/>), which follows growth and decline that a
    /// scale fitted on the training days does not see.
    /// </summary>
    public static LstmOptions TrainDefaults => new() { Quantiles = [.. TrainLevels], Scaling = Features.UnitScaling.Level, SeasonalAlignment = Features.SeasonalAlignment.Holidays };

    public int CategoryEmbedding { get; init; } = 4;

    public int RegionEmbedding { get; init; } = 4;

    /// <summary>Width of the MLP that encodes the horizon's known-future covariates.</summary>
    public int FutureHidden { get; init; } = 32;

    /// <summary>Width of the per-day decoder that reads the shared code, the day's known covariates and its position.</summary>
    public int DecoderHidden { get; init; } = 32;

    /// <summary>Width of the learned embedding of the horizon position (day 1..Horizon).</summary>
    public int PositionEmbedding { get; init; } = 8;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 3e-3;

    /// <summary>The learning rate is multiplied by this after an epoch without a better validation loss (1 keeps it).</summary>
    public double PlateauDecay { get; init; } = 0.5;

    /// <summary>Floor of the learning rate under <see cref="PlateauDecay"/>.</summary>
    public double MinLearningRate { get; init; } = 1e-4;

    /// <summary>
    /// Decay of an exponential moving average of the weights, updated after every step (0, the default, turns it
    /// off): with it, validation, early stopping and the kept model use the averaged weights instead of the last
    /// step's. The average starts at the initial weights and moves by 1 - decay after every step; 0.998 averages
    /// over about the last 500 steps (docs/researchers.md, "Weight averaging").
    /// </summary>
    public double WeightAverageDecay { get; init; }

    public int MaxEpochs { get; init; } = 16;

    /// <summary>Epochs without a better validation loss before training stops.</summary>
    public int Patience { get; init; } = 4;

    /// <summary>
    /// Minibatches per epoch; null means one pass over the training windows, at least <see cref="MinStepsPerEpoch"/>
    /// and at most <see cref="MaxStepsPerEpoch"/>.
    /// </summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>
    /// Fewest minibatches an epoch takes when <see cref="StepsPerEpoch"/> is null (windows are drawn with replacement,
    /// so an epoch of a small dataset passes over it several times). An epoch ends with the validation check that early
    /// stopping and the learning-rate decay read, so it must be long enough for the weights to have moved: one pass of
    /// a single series of a few hundred windows is a handful of steps.
    /// </summary>
    public int MinStepsPerEpoch { get; init; } = 200;

    public int MaxStepsPerEpoch { get; init; } = 400;

    /// <summary>Share of the training range (its last days) held out for validation and early stopping.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>
    /// Share of SKUs (a seeded sample) whose last <see cref="ValidationFraction"/> of days is held out for
    /// validation; the other SKUs train on the whole range, so the model sees the latest season. 1 (the
    /// default) holds out every SKU: a pure time split, as for a dataset of fewer than
    /// <see cref="LstmTrainer.MinSkusForSkuSplit"/> SKUs. On the 200-SKU down-jackets backtest 0.2 scored a
    /// worse pinball loss than the pure time split (0.950 against 0.917), so it is not the default.
    /// </summary>
    public double ValidationSkuFraction { get; init; } = 1.0;

    /// <summary>Validation windows evaluated per epoch (an evenly spaced subset when there are more).</summary>
    public int MaxValidationWindows { get; init; } = 4096;

    /// <summary>
    /// Whether training ends by fitting the split-conformal calibration (<see cref="LstmCalibration"/>) on the
    /// validation range with the kept weights. Needs at least two quantile levels.
    /// </summary>
    public bool Calibrate { get; init; } = true;

    /// <summary>
    /// Validation windows the calibration is fitted on (an evenly spaced subset when there are more): 16,384 give
    /// each horizon day about 82 scores below the 0.005 level.
    /// </summary>
    public int CalibrationWindows { get; init; } = 16384;

    /// <summary>
    /// Days of origins the calibration is fitted on, ending where the validation origins end (null: the validation
    /// range alone). Longer than the validation range, it reaches into days the model trained on: their forecasts
    /// are not held out, so the conformal guarantee no longer holds, but the origins may cover a whole season cycle.
    /// </summary>
    public int? CalibrationDays { get; init; }

    /// <summary>What the calibration corrects: location and spread (<see cref="LstmCalibrationMode.Conformal"/>, when not given) or spread around the model's median.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public LstmCalibrationMode CalibrationMode { get; init; } = LstmCalibrationMode.Conformal;

    /// <summary>
    /// How units are scaled (<see cref="Features.FeatureSchema.Scaling"/>): <see cref="Features.UnitScaling.Sku"/> by the
    /// SKU's mean over the fitted days, <see cref="Features.UnitScaling.Level"/> by its recent level. Sku when not given,
    /// so a model.json written before the option reads as what it was; <see cref="TrainDefaults"/> trains with Level.
    /// </summary>
    public Features.UnitScaling Scaling { get; init; } = Features.UnitScaling.Sku;

    /// <summary>
    /// Where the seasonal index looks a year back (<see cref="Features.FeatureSchema.SeasonalAlignment"/>): by date, or
    /// near a moving holiday by the days from it. Date when not given, so a model.json written before the option reads as
    /// what it was; <see cref="TrainDefaults"/> trains with Holidays.
    /// </summary>
    public Features.SeasonalAlignment SeasonalAlignment { get; init; } = Features.SeasonalAlignment.Date;

    /// <summary>
    /// Whether the model forecasts whole-number quantiles (<see cref="Features.FeatureSchema.IntegerQuantiles"/>) for
    /// demand counted in whole units; off by default (see docs/researchers/calibration.md for what it changes).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool IntegerQuantiles { get; init; }

    /// <summary>Training uses days before this index (null: the whole dataset).</summary>
    public int? TrainEndDay { get; init; }

    /// <summary>Earliest training origin: windows need at least this many observed days.</summary>
    public int MinHistoryDays { get; init; } = 7;

    public long Seed { get; init; } = 42;

    /// <summary>Intra-op threads of libtorch (torch.set_num_threads).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Gradient norm clip; 0 disables it.</summary>
    public double GradientClip { get; init; } = 1.0;

    /// <summary>Weight of the mean head's squared error in the loss (the head does not train the shared layers).</summary>
    public double MeanLossWeight { get; init; } = 1.0;

    /// <summary>
    /// Whether the network gets the interval head (quantiles of total demand over horizon days 1..h, trained on
    /// those sums); forecast policies read interval quantiles from it instead of simulating sample paths.
    /// </summary>
    public bool IntervalHead { get; init; } = true;

    /// <summary>Weight of the interval head's pinball loss (each sum's loss divided by its number of days).</summary>
    public double IntervalLossWeight { get; init; } = 1.0;

    /// <summary>
    /// Training stops before an epoch that would end past this time from the start, judged by the longer of the
    /// mean and the last epoch time (null: no limit). The first epoch always runs.
    /// </summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(Window >= 1, $"Window must be at least 1, got {Window}.");
        Require(Horizon >= 1 && Horizon <= Features.FeatureSchema.MaxHorizon, $"Horizon must be within 1..{Features.FeatureSchema.MaxHorizon}, got {Horizon}.");
        Require(HiddenSize >= 1 && Layers >= 1, $"HiddenSize and Layers must be at least 1, got {HiddenSize} and {Layers}.");
        Require(Dropout >= 0 && Dropout < 1, $"Dropout must be within [0, 1), got {Dropout.ToString(CultureInfo.InvariantCulture)}.");
        ForecastRequestChecks.ValidateLevels(Quantiles, "lstm");
        Require(Quantiles.Count >= 1, "At least one quantile level is needed.");
        Require(
            CategoryEmbedding >= 1 && RegionEmbedding >= 1 && FutureHidden >= 1 && DecoderHidden >= 1 && PositionEmbedding >= 1,
            "Embedding, future and decoder widths must be at least 1.");
        Require(BatchSize >= 1, $"BatchSize must be at least 1, got {BatchSize}.");
        Require(LearningRate > 0 && MinLearningRate > 0, "LearningRate and MinLearningRate must be positive.");
        Require(PlateauDecay > 0 && PlateauDecay <= 1, $"PlateauDecay must be within (0, 1], got {PlateauDecay.ToString(CultureInfo.InvariantCulture)}.");
        Require(WeightAverageDecay >= 0 && WeightAverageDecay < 1, $"WeightAverageDecay must be within [0, 1), got {WeightAverageDecay.ToString(CultureInfo.InvariantCulture)}.");
        Require(MaxEpochs >= 1 && Patience >= 1, $"MaxEpochs and Patience must be at least 1, got {MaxEpochs} and {Patience}.");
        Require(StepsPerEpoch is null or >= 1 && MinStepsPerEpoch >= 1 && MaxStepsPerEpoch >= 1, "Steps per epoch must be at least 1.");
        Require(MinStepsPerEpoch <= MaxStepsPerEpoch, $"MinStepsPerEpoch ({MinStepsPerEpoch}) must not exceed MaxStepsPerEpoch ({MaxStepsPerEpoch}).");
        Require(ValidationFraction > 0 && ValidationFraction < 1, $"ValidationFraction must be within (0, 1), got {ValidationFraction.ToString(CultureInfo.InvariantCulture)}.");
        Require(MaxValidationWindows >= 1, "MaxValidationWindows must be at least 1.");
        Require(CalibrationWindows >= 1, "CalibrationWindows must be at least 1.");
        Require(CalibrationDays is null or >= 1, "CalibrationDays must be at least 1.");
        Require(Enum.IsDefined(CalibrationMode), $"CalibrationMode must be {string.Join(" or ", LstmCalibrationModes.Names)}, got {(int)CalibrationMode}.");
        Require(
            ValidationSkuFraction > 0 && ValidationSkuFraction <= 1,
            $"ValidationSkuFraction must be within (0, 1], got {ValidationSkuFraction.ToString(CultureInfo.InvariantCulture)}.");
        Require(MinHistoryDays >= 1, $"MinHistoryDays must be at least 1, got {MinHistoryDays}.");
        Require(Threads >= 1, $"Threads must be at least 1, got {Threads}.");
        Require(GradientClip >= 0 && MeanLossWeight >= 0 && IntervalLossWeight >= 0, "GradientClip, MeanLossWeight and IntervalLossWeight must not be negative.");
        Require(TimeBudget is null || TimeBudget > TimeSpan.Zero, "TimeBudget must be positive.");
        Require(Enum.IsDefined(Scaling), $"Scaling must be {string.Join(" or ", Features.UnitScalings.Names)}, got {(int)Scaling}.");
        Require(Enum.IsDefined(SeasonalAlignment), $"SeasonalAlignment must be {string.Join(" or ", JsonEnumNames<Features.SeasonalAlignment>.Names)}, got {(int)SeasonalAlignment}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"LSTM options: {message}");
        }
    }
}
