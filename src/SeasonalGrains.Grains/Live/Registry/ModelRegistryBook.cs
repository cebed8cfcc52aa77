namespace SeasonalGrains.Grains.Live.Registry;

/// <summary>
/// The registry's rules, over its versions and activation log (every implementation loads a book, changes it under its
/// lock and stores what changed): versions are numbered per name from 1; the first version added while no version is
/// active becomes active; activating appends to the log; a rollback marks the active activation rolled back, so the one
/// before it is active again.
/// </summary>
public sealed class ModelRegistryBook
{
    private readonly List<ModelVersionInfo> _versions;
    private readonly List<ModelActivation> _activations;

    public ModelRegistryBook(IEnumerable<ModelVersionInfo> versions, IEnumerable<ModelActivation> activations)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(activations);
        _versions = [.. versions.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Version)];
        _activations = [.. activations.OrderBy(a => a.Sequence)];
    }

    /// <summary>By name, then version.</summary>
    public IReadOnlyList<ModelVersionInfo> Versions => _versions;

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<ModelActivation> Activations => _activations;

    /// <summary>The version forecasts are served with; null before any was activated.</summary>
    public ModelVersionId? Active => Live().LastOrDefault()?.Id;

    /// <summary>
    /// The challenger live SKUs shadow-forecast with: of the versions added after the active version that were never
    /// activated, the one added last (by <see cref="ModelVersionInfo.AddedAt"/>, then name and number); null when no version
    /// is active or none qualifies. After a promotion or a rollback there is none until a new version is added.
    /// </summary>
    public ModelVersionInfo? Challenger
    {
        get
        {
            if (Active is not { } active || Find(active) is not { } current)
            {
                return null;
            }

            var activated = _activations.Select(a => a.Id).ToHashSet();
            return _versions
                .Where(v => v.AddedAt > current.AddedAt && !activated.Contains(v.Id))
                .OrderBy(v => v.AddedAt)
                .ThenBy(v => v.Name, StringComparer.Ordinal)
                .ThenBy(v => v.Version)
                .LastOrDefault();
        }
    }

    /// <summary>
    /// Makes the challenger active, when it is still <paramref name="expected"/> (so a promotion decided on scores of one
    /// pair never activates another version); <see cref="ModelRegistryFailure.NoChallenger"/> otherwise.
    /// </summary>
    public ModelVersionInfo Promote(ModelVersionId expected, DateTimeOffset at)
    {
        if (Challenger is not { } challenger || challenger.Id != expected)
        {
            throw new ModelRegistryException(
                ModelRegistryFailure.NoChallenger,
                $"{expected} is not the challenger of the registry any more (the challenger is {(Challenger is { } c ? c.Id.ToString() : "none")}); nothing was promoted.");
        }

        Append(challenger.Id, at);
        return challenger;
    }

    public ModelVersionInfo? Find(ModelVersionId id) => _versions.FirstOrDefault(v => v.Id == id);

    /// <summary>The version <paramref name="id"/>, or <see cref="ModelRegistryFailure.UnknownVersion"/> naming the known ones.</summary>
    public ModelVersionInfo Get(ModelVersionId id) =>
        Find(id) ?? throw new ModelRegistryException(ModelRegistryFailure.UnknownVersion, $"there is no model version {id}; {Known()}.");

    /// <summary>Numbers <paramref name="draft"/> (the next version of its name) and adds it; active when no version was.</summary>
    public ModelVersionInfo Add(ModelVersionInfo draft, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (_versions.FirstOrDefault(v => v.Name == draft.Name && v.Fingerprint == draft.Fingerprint) is { } same)
        {
            throw new ModelRegistryException(
                ModelRegistryFailure.AlreadyRegistered, $"these model files (fingerprint {draft.Fingerprint}) are already registered as {same.Id}.");
        }

        var added = draft with { Version = _versions.Where(v => v.Name == draft.Name).Select(v => v.Version).DefaultIfEmpty(0).Max() + 1 };
        _versions.Add(added);
        if (Active is null)
        {
            Append(added.Id, at);
        }

        return added;
    }

    /// <summary>Makes <paramref name="id"/> the active version (nothing changes when it is already).</summary>
    public ModelVersionInfo Activate(ModelVersionId id, DateTimeOffset at)
    {
        var version = Get(id);
        if (Active != id)
        {
            Append(id, at);
        }

        return version;
    }

    /// <summary>Returns to the version active before the current one; <see cref="ModelRegistryFailure.NothingToRollBack"/> when there is none.</summary>
    public ModelVersionInfo Rollback(DateTimeOffset at)
    {
        var live = Live().ToList();
        if (live.Count < 2)
        {
            var now = live.Count == 0 ? "no version is active" : $"{live[^1].Id} is the only version activated";
            throw new ModelRegistryException(ModelRegistryFailure.NothingToRollBack, $"there is no previously active version to roll back to: {now}.");
        }

        var index = _activations.IndexOf(live[^1]);
        _activations[index] = live[^1] with { RolledBackAt = at };
        return Get(live[^2].Id);
    }

    /// <summary>"known versions: a@1, a@2" (or that there are none).</summary>
    public string Known() =>
        _versions.Count == 0 ? "the registry has no versions (add one with `seasonal models add --path DIR`)" : "known versions: " + string.Join(", ", _versions.Select(v => v.Id));

    private IEnumerable<ModelActivation> Live() => _activations.Where(a => a.RolledBackAt is null);

    private void Append(ModelVersionId id, DateTimeOffset at) =>
        _activations.Add(new ModelActivation
        {
            Sequence = _activations.Count == 0 ? 1 : _activations[^1].Sequence + 1,
            Name = id.Name,
            Version = id.Version,
            ActivatedAt = at,
        });
}
