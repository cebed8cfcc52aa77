namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>
/// Model versions and which one is active (see <see cref="ModelRegistryBook"/> for the rules), kept in memory
/// (<see cref="MemoryModelRegistry"/>), in a local folder (<see cref="FolderModelRegistry"/>) or in PostgreSQL
/// (<see cref="PostgresModelRegistry"/>). Each change is made under the registry's lock; a refused change
/// (<see cref="ModelRegistryException"/>) changes nothing.
/// </summary>
public abstract class ModelRegistry(TimeProvider? time)
{
    protected TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>Where the registry is, for messages ("the model registry folder /srv/models/registry").</summary>
    public abstract string Description { get; }

    /// <summary>The versions and the activation log as they are now.</summary>
    public abstract Task<ModelRegistryBook> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>The active version; null before any was activated.</summary>
    public virtual async Task<ModelVersionId?> GetActiveAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(cancellationToken).ConfigureAwait(false)).Active;

    /// <summary>
    /// Copies the model folder in as the next version of <paramref name="name"/> (default: the folder's name); the first
    /// version added while none is active becomes active. A folder that does not load is refused.
    /// </summary>
    public async Task<ModelVersionInfo> AddAsync(string folder, string? name = null, CancellationToken cancellationToken = default)
    {
        var package = ModelPackage.Read(folder, name, Time.GetUtcNow());
        return await ChangeAsync(book => book.Add(package.Info, Time.GetUtcNow()), package, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes <paramref name="id"/> the active version; an unknown one is refused, naming the known ones.</summary>
    public Task<ModelVersionInfo> ActivateAsync(ModelVersionId id, CancellationToken cancellationToken = default) =>
        ChangeAsync(book => book.Activate(id, Time.GetUtcNow()), null, cancellationToken);

    /// <summary>Makes the previously active version active again and returns it; refused when there is none.</summary>
    public Task<ModelVersionInfo> RollbackAsync(CancellationToken cancellationToken = default) =>
        ChangeAsync(book => book.Rollback(Time.GetUtcNow()), null, cancellationToken);

    /// <summary>Makes the challenger active when it is still <paramref name="challenger"/> (see <see cref="ModelRegistryBook.Promote"/>).</summary>
    public Task<ModelVersionInfo> PromoteAsync(ModelVersionId challenger, CancellationToken cancellationToken = default) =>
        ChangeAsync(book => book.Promote(challenger, Time.GetUtcNow()), null, cancellationToken);

    /// <summary>A local folder holding the files of <paramref name="id"/>, their fingerprint checked.</summary>
    public abstract Task<string> MaterializeAsync(ModelVersionId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Under the registry's lock: reads the book, applies <paramref name="change"/> and stores what it changed (a version
    /// it added with <paramref name="package"/>'s files, activations added or rolled back). Nothing is stored when it throws.
    /// </summary>
    protected abstract Task<T> ChangeAsync<T>(Func<ModelRegistryBook, T> change, ModelPackage? package, CancellationToken cancellationToken);

    /// <summary>The versions of <paramref name="after"/> that <paramref name="before"/> did not hold (with a package: the one added).</summary>
    protected static List<ModelVersionInfo> Added(IReadOnlyCollection<ModelVersionId> before, ModelRegistryBook after, ModelPackage? package)
    {
        ArgumentNullException.ThrowIfNull(after);
        var added = after.Versions.Where(v => !before.Contains(v.Id)).ToList();
        if (added.Count > 0 && package is null)
        {
            throw new InvalidOperationException("A version was added without its files.");
        }

        return added;
    }

    protected static ModelRegistryBook Copy(ModelRegistryBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        return new ModelRegistryBook(book.Versions, book.Activations);
    }
}

/// <summary>A registry in this process's memory (lost when it ends); versions are materialised into <c>cacheRoot</c>.</summary>
public sealed class MemoryModelRegistry(string? cacheRoot = null, TimeProvider? time = null) : ModelRegistry(time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ModelVersionId, IReadOnlyList<ModelFile>> _files = [];
    private readonly string _cacheRoot = cacheRoot ?? ModelCache.DefaultRoot;
    private ModelRegistryBook _book = new([], []);

    public override string Description => "in-memory model registry";

    public override Task<ModelRegistryBook> ReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Copy(_book));
        }
    }

    public override async Task<string> MaterializeAsync(ModelVersionId id, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ModelFile> files;
        ModelVersionInfo info;
        lock (_gate)
        {
            info = _book.Get(id);
            files = _files[id];
        }

        return await ModelCache.MaterializeAsync(_cacheRoot, info, _ => Task.FromResult(files), cancellationToken).ConfigureAwait(false);
    }

    protected override Task<T> ChangeAsync<T>(Func<ModelRegistryBook, T> change, ModelPackage? package, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var book = Copy(_book);
            var before = book.Versions.Select(v => v.Id).ToHashSet();
            var result = change(book);
            foreach (var added in Added(before, book, package))
            {
                _files[added.Id] = package!.Files;
            }

            _book = book;
            return Task.FromResult(result);
        }
    }
}
