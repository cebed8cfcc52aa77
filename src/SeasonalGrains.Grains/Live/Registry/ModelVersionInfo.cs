using System.Text.Json.Serialization;
using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>
/// What the registry keeps of a version besides its files: the fingerprint (as <see cref="LiveModels.Fingerprint(string)"/>),
/// when it was added and trained, the training range and dataset fingerprint, and the validation figures of model.json.
/// Validation figures an untrained model lacks are null.
/// </summary>
public sealed record ModelVersionInfo
{
    public required string Name { get; init; }

    public required int Version { get; init; }

    public required string Fingerprint { get; init; }

    public required DateTimeOffset AddedAt { get; init; }

    /// <summary>When the model was trained (model.json's <c>created</c>).</summary>
    public required DateTimeOffset TrainedAt { get; init; }

    public required string DatasetName { get; init; }

    /// <summary>Day 0 of the training dataset.</summary>
    public required DateOnly DatasetStart { get; init; }

    /// <summary>Training used days [0, TrainEndDay) of the dataset.</summary>
    public required int TrainEndDay { get; init; }

    /// <summary>The days from here to <see cref="TrainEndDay"/> were held out for validation.</summary>
    public required int ValidationStartDay { get; init; }

    /// <summary>SHA-256 of the training arrays (model.json's <c>trainingDataSha256</c>): the dataset's fingerprint.</summary>
    public required string TrainingDataSha256 { get; init; }

    /// <summary>Mean pinball loss on the validation range, in scaled units.</summary>
    public double? ValidationPinball { get; init; }

    public double? ValidationMeanSquaredError { get; init; }

    /// <summary>wMAPE of the mean forecast on the validation range.</summary>
    public double? ValidationMeanWape { get; init; }

    /// <summary>Per quantile level, the share of actuals at or below the forecast quantile.</summary>
    public IReadOnlyList<double> ValidationCoverage { get; init; } = [];

    public int ValidationWindows { get; init; }

    /// <summary>The days the model forecasts (its horizon); a live host serves it only when that is at least <c>Live:ForecastHorizonDays</c>.</summary>
    public int HorizonDays { get; init; }

    [JsonIgnore]
    public ModelVersionId Id => new(Name, Version);

    /// <summary>The last day trained on (the day before <see cref="TrainEndDay"/>); null for an untrained model.</summary>
    [JsonIgnore]
    public DateOnly? TrainEnd => TrainEndDay > 0 ? DatasetStart.AddDays(TrainEndDay - 1) : null;

    [JsonIgnore]
    public DateOnly ValidationStart => DatasetStart.AddDays(ValidationStartDay);

    /// <summary>The record of a model's metadata, numbered later by the registry (version 0 until then).</summary>
    public static ModelVersionInfo FromMetadata(string name, string fingerprint, LstmModelMetadata metadata, DateTimeOffset addedAt)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var v = metadata.Validation;
        return new ModelVersionInfo
        {
            Name = name,
            Version = 0,
            Fingerprint = fingerprint,
            AddedAt = addedAt,
            TrainedAt = metadata.Created,
            DatasetName = metadata.DatasetName,
            DatasetStart = metadata.DatasetStart,
            TrainEndDay = metadata.TrainEndDay,
            ValidationStartDay = metadata.ValidationStartDay,
            TrainingDataSha256 = metadata.TrainingDataSha256,
            ValidationPinball = Finite(v.PinballLoss),
            ValidationMeanSquaredError = Finite(v.MeanSquaredError),
            ValidationMeanWape = Finite(v.MeanWape),
            ValidationCoverage = [.. v.Coverage],
            ValidationWindows = v.Windows,
            HorizonDays = metadata.Horizon,
        };
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>
/// One activation of the registry's log: <see cref="Sequence"/> orders them; a rollback marks the active one
/// <see cref="RolledBackAt"/>, and the newest activation not rolled back is the active version.
/// </summary>
public sealed record ModelActivation
{
    public required long Sequence { get; init; }

    public required string Name { get; init; }

    public required int Version { get; init; }

    public required DateTimeOffset ActivatedAt { get; init; }

    public DateTimeOffset? RolledBackAt { get; init; }

    [JsonIgnore]
    public ModelVersionId Id => new(Name, Version);
}
