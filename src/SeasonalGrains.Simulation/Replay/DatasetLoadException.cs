namespace SeasonalGrains.Simulation.Replay;

/// <summary>A dataset folder that failed validation, with the folder it came from.</summary>
public sealed class DatasetLoadException(string folder, IReadOnlyList<DatasetError> errors)
    : Exception($"The dataset {folder} has {errors.Count} error(s).")
{
    public string Folder { get; } = folder;

    public IReadOnlyList<DatasetError> Errors { get; } = errors;

    /// <summary>Reads and validates a dataset folder; a missing folder or any invalid content throws this exception.</summary>
    public static Dataset Read(string folder, IProgress<double>? progress = null)
    {
        if (!Directory.Exists(folder))
        {
            throw new DatasetLoadException(folder, [new DatasetError(folder, 0, null, "the folder does not exist")]);
        }

        try
        {
            return DatasetReader.Read(folder, new DatasetReadOptions { Progress = progress });
        }
        catch (DatasetValidationException e)
        {
            throw new DatasetLoadException(folder, e.Errors);
        }
    }
}
