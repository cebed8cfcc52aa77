using SeasonalGrains.Forecasting.Lstm;

namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>One file of a model version (model.json, weights.bin, training.csv, ...).</summary>
public sealed record ModelFile(string Name, byte[] Content);

/// <summary>
/// A model folder read for the registry: the bytes of its files (the files at its top level) and the record of the
/// version they make, checked by loading exactly these bytes. The source folder is not read again afterwards.
/// </summary>
public sealed record ModelPackage(ModelVersionInfo Info, IReadOnlyList<ModelFile> Files)
{
    private const string MakeOne = "Make one with `seasonal train --dataset DIR --out DIR`.";

    /// <summary>
    /// Reads <paramref name="folder"/> under <paramref name="name"/> (default: the folder's name); a folder that is
    /// missing or does not load, or a bad name, is refused with <see cref="ModelRegistryFailure.InvalidModel"/>.
    /// </summary>
    public static ModelPackage Read(string folder, string? name, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        name ??= Path.GetFileName(source);
        if (ModelVersionId.NameProblem(name) is { } problem)
        {
            throw new ModelRegistryException(ModelRegistryFailure.InvalidModel, problem + ".");
        }

        if (!Directory.Exists(source))
        {
            throw new ModelRegistryException(ModelRegistryFailure.InvalidModel, $"the model folder '{folder}' does not exist. {MakeOne}");
        }

        List<ModelFile> files;
        try
        {
            files = [.. Directory.GetFiles(source).Order(StringComparer.Ordinal).Select(f => new ModelFile(Path.GetFileName(f), File.ReadAllBytes(f)))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelRegistryException(ModelRegistryFailure.InvalidModel, $"the model folder '{folder}' cannot be read: {e.Message}", e);
        }

        var staging = Directory.CreateTempSubdirectory("seasonalgrains-model-").FullName;
        try
        {
            Write(staging, files);
            using var loaded = LoadChecked(staging, folder);
            var fingerprint = LiveModels.Fingerprint(Content(files, LstmModel.MetadataFile), Content(files, LstmModel.WeightsFile));
            return new ModelPackage(ModelVersionInfo.FromMetadata(name, fingerprint, loaded.Model.Metadata, at), files);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Writes the files into <paramref name="folder"/> (created if needed).</summary>
    public static void Write(string folder, IEnumerable<ModelFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            File.WriteAllBytes(Path.Combine(folder, file.Name), file.Content);
        }
    }

    /// <summary>The model of <paramref name="folder"/>; a failure is told naming <paramref name="shownAs"/>.</summary>
    private static LiveModel LoadChecked(string folder, string shownAs)
    {
        try
        {
            return LiveModels.Load(folder);
        }
        catch (LiveModelException e)
        {
            throw new ModelRegistryException(ModelRegistryFailure.InvalidModel, e.Message.Replace(folder, shownAs, StringComparison.Ordinal), e);
        }
    }

    private static byte[] Content(List<ModelFile> files, string name) => files.First(f => f.Name == name).Content;
}
