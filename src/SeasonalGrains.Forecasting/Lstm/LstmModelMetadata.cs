using System.Text.Json.Serialization;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>Validation figures of the kept (best) epoch, over the held-out last part of the training range.</summary>
/// <param name="PinballLoss">Mean pinball loss over windows, horizon days and quantile levels, in scaled units.</param>
/// <param name="MeanSquaredError">Mean squared error of the mean head, in scaled units.</param>
/// <param name="Coverage">Per quantile level, the share of actual units at or below the forecast quantile.</param>
/// <param name="MeanWape">Sum of |mean forecast - actual| over sum of actual, in units.</param>
/// <param name="Windows">Validation windows evaluated.</param>
public sealed record LstmValidationMetrics(
    double PinballLoss,
    double MeanSquaredError,
    IReadOnlyList<double> Coverage,
    double MeanWape,
    int Windows)
{
    /// <summary>Mean |median forecast - actual| in units (NaN when the model has no 0.5 level).</summary>
    public double MedianMae { get; init; } = double.NaN;

    /// <summary>Mean |mean forecast - actual| in units.</summary>
    public double MeanMae { get; init; } = double.NaN;
}

/// <summary>How a training run went.</summary>
public sealed record LstmTrainingSummary(
    int EpochsRun,
    int BestEpoch,
    double BestTrainLoss,
    double ElapsedSeconds,
    long TrainingWindows,
    int Steps,
    string StopReason);

/// <summary>The JSON metadata saved beside the weights (model.json).</summary>
public sealed record LstmModelMetadata
{
    public const string FormatName = "seasonal-grains-quantile-lstm";
    /// <summary>
    /// Version 4 added <see cref="Calibration"/>, version 3 <see cref="LstmArchitecture.IntervalHead"/>; version 2 and 3
    /// files still load, uncalibrated.
    /// </summary>
    public const int CurrentFormatVersion = 4;

    public const int OldestFormatVersion = 2;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required DateTimeOffset Created { get; init; }

    public required string DatasetName { get; init; }

    /// <summary>Date of day 0 of the training dataset.</summary>
    public required DateOnly DatasetStart { get; init; }

    /// <summary>Training used days [0, TrainEndDay); the last part from <see cref="ValidationStartDay"/> only for validation.</summary>
    public required int TrainEndDay { get; init; }

    public required int ValidationStartDay { get; init; }

    /// <summary>
    /// SKUs whose days from <see cref="ValidationStartDay"/> were held out for validation; the others trained on
    /// the whole range (see <see cref="LstmOptions.ValidationSkuFraction"/>). 0 for an untrained model.
    /// </summary>
    public int ValidationSkus { get; init; }

    /// <summary>SHA-256 (hex) of the training arrays; see <see cref="LstmTrainer"/> for what is hashed.</summary>
    public required string TrainingDataSha256 { get; init; }

    public required IReadOnlyList<double> Quantiles { get; init; }

    public required LstmArchitecture Architecture { get; init; }

    public required LstmOptions Hyperparameters { get; init; }

    public required FeatureSchema Schema { get; init; }

    public required LstmValidationMetrics Validation { get; init; }

    public required LstmTrainingSummary Training { get; init; }

    /// <summary>
    /// The split-conformal calibration fitted on the validation range (see <see cref="LstmCalibration"/>); null for
    /// untrained models, models trained without it and files older than version 4.
    /// </summary>
    public LstmCalibration? Calibration { get; init; }

    [JsonIgnore]
    public int Horizon => Schema.Horizon;

    [JsonIgnore]
    public int Window => Schema.Window;

    /// <summary>Throws <see cref="InvalidDataException"/> unless format, schema and architecture agree.</summary>
    public void Validate()
    {
        if (Format != FormatName || FormatVersion < OldestFormatVersion || FormatVersion > CurrentFormatVersion)
        {
            throw new InvalidDataException(
                $"Model metadata has format '{Format}' version {FormatVersion}; expected '{FormatName}' version {OldestFormatVersion}..{CurrentFormatVersion}.");
        }

        if (FormatVersion < 3 && Architecture.IntervalHead)
        {
            throw new InvalidDataException($"Model metadata version {FormatVersion} cannot have an interval head (it came with version 3).");
        }

        if (FormatVersion < 4 && Calibration is not null)
        {
            throw new InvalidDataException($"Model metadata version {FormatVersion} cannot have a calibration (it came with version 4).");
        }

        Schema.Validate();
        if (Hyperparameters.Scaling != Schema.Scaling)
        {
            throw new InvalidDataException(
                $"Model metadata trained with scaling '{Features.UnitScalings.Name(Hyperparameters.Scaling)}' but its feature schema scales by '{Features.UnitScalings.Name(Schema.Scaling)}'.");
        }

        ForecastRequestChecks.ValidateLevels(Quantiles, "model metadata");
        var a = Architecture;
        if (a.PastFeatures != Schema.PastFeatureCount || a.KnownFeatures != Schema.KnownFeatureCount
            || a.Window != Schema.Window || a.Horizon != Schema.Horizon || a.Quantiles != Quantiles.Count
            || a.Categories != Schema.Categories.Count || a.Regions != Schema.Regions.Count)
        {
            throw new InvalidDataException(
                $"Model architecture {a} does not match its feature schema ({Schema.PastFeatureCount} past features, {Schema.KnownFeatureCount} known, window {Schema.Window}, horizon {Schema.Horizon}, {Quantiles.Count} quantiles, {Schema.Categories.Count} categories, {Schema.Regions.Count} regions).");
        }

        Calibration?.Validate(a.Horizon, a.Quantiles, a.IntervalHead);
    }
}
