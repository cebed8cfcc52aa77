using System.Globalization;
using System.Text.Json;

namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>
/// A registry in a local folder: <c>registry.json</c> (the versions and the activation log, replaced whole by a rename)
/// and each version's files in <c>NAME/VERSION/</c>. Changes hold <c>registry.lock</c> exclusively, so processes sharing
/// the folder change it one at a time.
/// </summary>
public sealed class FolderModelRegistry : ModelRegistry
{
    public const string IndexFile = "registry.json";
    public const string LockFile = "registry.lock";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public FolderModelRegistry(string root, TimeProvider? time = null)
        : base(time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    public string Root { get; }

    public override string Description => $"model registry folder {Root}";

    public override Task<ModelRegistryBook> ReadAsync(CancellationToken cancellationToken = default) => Task.FromResult(Read());

    public override async Task<string> MaterializeAsync(ModelVersionId id, CancellationToken cancellationToken = default)
    {
        var info = (await ReadAsync(cancellationToken).ConfigureAwait(false)).Get(id);
        var folder = VersionFolder(id);
        ModelCache.Verify(folder, info);
        return folder;
    }

    protected override async Task<T> ChangeAsync<T>(Func<ModelRegistryBook, T> change, ModelPackage? package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var held = await LockAsync(cancellationToken).ConfigureAwait(false);
        var book = Read();
        var before = book.Versions.Select(v => v.Id).ToHashSet();
        var result = change(book);
        try
        {
            foreach (var added in Added(before, book, package))
            {
                WriteVersion(added.Id, package!.Files);
            }

            var index = Path.Combine(Root, IndexFile);
            var staging = $"{index}.tmp-{Guid.NewGuid():N}";
            await File.WriteAllBytesAsync(staging, JsonSerializer.SerializeToUtf8Bytes(new Index(book.Versions, book.Activations), Json), cancellationToken).ConfigureAwait(false);
            File.Move(staging, index, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable("cannot be written", e);
        }

        return result;
    }

    private string VersionFolder(ModelVersionId id) => Path.Combine(Root, id.Name, id.Version.ToString(CultureInfo.InvariantCulture));

    private ModelRegistryBook Read()
    {
        var index = Path.Combine(Root, IndexFile);
        try
        {
            if (!File.Exists(index))
            {
                return new ModelRegistryBook([], []);
            }

            var read = JsonSerializer.Deserialize<Index>(File.ReadAllBytes(index), Json) ?? throw new JsonException("the file is empty");
            return new ModelRegistryBook(read.Versions, read.Activations);
        }
        catch (JsonException e)
        {
            throw new ModelRegistryException(ModelRegistryFailure.Unavailable, $"the {Description} cannot be read: {index} is not a registry index ({e.Message}).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable("cannot be read", e);
        }
    }

    /// <summary>The files in NAME/VERSION (a folder left by an add that did not finish is replaced).</summary>
    private void WriteVersion(ModelVersionId id, IReadOnlyList<ModelFile> files)
    {
        var folder = VersionFolder(id);
        var staging = Path.Combine(Root, id.Name, $".{id.Version}.tmp-{Guid.NewGuid():N}");
        ModelPackage.Write(staging, files);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.Move(staging, folder);
    }

    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                Directory.CreateDirectory(Root);
                return new FileStream(Path.Combine(Root, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Unavailable($"cannot be locked ({LockFile} held by another process for {LockTimeout.TotalSeconds:0} s, or not writable)", e);
            }
        }
    }

    private ModelRegistryException Unavailable(string what, Exception e) =>
        new(ModelRegistryFailure.Unavailable, $"the {Description} {what}: {e.Message}", e);

    private sealed record Index(IReadOnlyList<ModelVersionInfo> Versions, IReadOnlyList<ModelActivation> Activations);
}
