namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>
/// Where a silo keeps the files of versions whose registry is not a local folder (memory, PostgreSQL):
/// <c>CACHE/NAME/VERSION-FINGERPRINT/</c>, written beside and renamed into place, the fingerprint checked.
/// </summary>
public static class ModelCache
{
    /// <summary>The default cache folder: <c>seasonalgrains-model-cache</c> in the temporary folder.</summary>
    public static string DefaultRoot => Path.Combine(Path.GetTempPath(), "seasonalgrains-model-cache");

    /// <summary>The cached folder of <paramref name="info"/>, written from <paramref name="files"/> unless a good copy is there.</summary>
    public static async Task<string> MaterializeAsync(
        string root, ModelVersionInfo info, Func<CancellationToken, Task<IReadOnlyList<ModelFile>>> files, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(files);
        var target = Path.Combine(Path.GetFullPath(root), info.Name, $"{info.Version}-{info.Fingerprint}");
        if (Matches(target, info.Fingerprint))
        {
            return target;
        }

        var content = await files(cancellationToken).ConfigureAwait(false);
        var staging = $"{target}.tmp-{Guid.NewGuid():N}";
        ModelPackage.Write(staging, content);
        try
        {
            Verify(staging, info);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true); // a damaged copy
            }

            Directory.Move(staging, target);
        }
        catch (IOException) when (Matches(target, info.Fingerprint))
        {
            // another process of this machine put the same files there first
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return target;
    }

    /// <summary>Throws <see cref="ModelRegistryFailure.Damaged"/> unless <paramref name="folder"/> holds the files of <paramref name="info"/>.</summary>
    public static void Verify(string folder, ModelVersionInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        string actual;
        try
        {
            actual = LiveModels.Fingerprint(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelRegistryException(ModelRegistryFailure.Damaged, $"the files of {info.Id} cannot be read: {e.Message}", e);
        }

        if (actual != info.Fingerprint)
        {
            throw new ModelRegistryException(
                ModelRegistryFailure.Damaged, $"the files of {info.Id} do not match its fingerprint {info.Fingerprint} (they hash to {actual}): add the model again as a new version.");
        }
    }

    private static bool Matches(string folder, string fingerprint)
    {
        try
        {
            return Directory.Exists(folder) && LiveModels.Fingerprint(folder) == fingerprint;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
