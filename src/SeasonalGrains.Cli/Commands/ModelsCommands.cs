using SeasonalGrains.Grains.Live;
using SeasonalGrains.Grains.Live.Export;
using SeasonalGrains.Grains.Live.Registry;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// Where the <c>models</c> commands find the registry: with <c>--storage postgres</c> in the tables of that database
/// (<c>seasonal db migrate</c> creates them), otherwise in the folder <c>--registry</c> (default <c>models/registry</c>,
/// the default of <c>Live:Registry:Folder</c> too).
/// </summary>
internal sealed class RegistrySelection
{
    private readonly StorageSelection _storage = new(storageDescription:
        $"Where the registry is: {Storage.StorageOptions.MemoryProvider} (default: the folder --registry) or {Storage.StorageOptions.PostgresProvider} (its tables in the database of --connection, made by `seasonal db migrate`).");

    public Option<DirectoryInfo?> Folder { get; } = CliOptions.Optional<DirectoryInfo?>(
        "--registry", $"The registry folder (default {ModelRegistryOptions.DefaultFolder}); not with --storage postgres, which keeps the registry in the database.");

    public IEnumerable<Symbol> Symbols => [Folder, .. _storage.Symbols];

    public ModelRegistry Open(ParseResult parse) => Open(parse, _storage.Resolve(parse));

    private ModelRegistry Open(ParseResult parse, Storage.StorageOptions? postgres)
    {
        if (postgres is not null)
        {
            return parse.GetValue(Folder) is null
                ? new PostgresModelRegistry(postgres.GetPooledConnectionString())
                : throw new UserInputException("--registry names a registry folder; with --storage postgres the registry is in the database: drop one of them.");
        }

        return new FolderModelRegistry(parse.GetValue(Folder)?.FullName ?? ModelRegistryOptions.DefaultFolder);
    }

    /// <summary>
    /// The registry and where the shadow scores are read for a promotion: the live SKUs' grain state in PostgreSQL, the
    /// database of --connection (with --storage postgres the registry's own; with a folder registry --connection or
    /// Storage:ConnectionString names the silos' grain storage).
    /// </summary>
    public (ModelRegistry Registry, LiveStateReader Scores) OpenWithScores(ParseResult parse, string serviceId)
    {
        var postgres = _storage.Resolve(parse);
        return (Open(parse, postgres), new LiveStateReader(postgres is not null ? postgres.ConnectionString! : ScoresConnection(parse), serviceId));
    }

    /// <summary>Opens the registry and runs one request on it (see <see cref="RunAsync"/>).</summary>
    public Task<T> RunAsync<T>(ParseResult parse, Func<ModelRegistry, Task<T>> request)
    {
        var registry = Open(parse);
        return RunAsync(() => request(registry));
    }

    /// <summary>Runs a registry request; a refused one is bad input (exit code 2, nothing changed).</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> request)
    {
        try
        {
            return await request();
        }
        catch (ModelRegistryException e)
        {
            throw new UserInputException(e.Message.TrimEnd('.') + ". Nothing was changed.");
        }
    }

    /// <summary>With a folder registry: the grain storage database the scores are read from (--connection is taken out of the storage selection's hands).</summary>
    private string ScoresConnection(ParseResult parse)
    {
        try
        {
            return DbMigrateCommand.ResolveConnectionString(parse.GetValue(_storage.Connection), new ConfigurationBuilder().AddEnvironmentVariables().Build());
        }
        catch (UserInputException e)
        {
            throw new UserInputException(
                "models promote reads the shadow scores from the live SKUs' grain state in PostgreSQL: " + e.Message +
                " A host on in-memory storage promotes with POST /api/v1/models/promote.");
        }
    }

    /// <summary>The versions, active first marked <c>*</c>: name@version, training range, fingerprints, validation pinball.</summary>
    public static void WriteList(CliContext context, ModelRegistryBook book)
    {
        var table = new Table().AddColumns("", "model", "training range", "validation from", "dataset sha256", "fingerprint", "validation pinball", "added");
        foreach (var v in book.Versions)
        {
            table.AddRow(
                v.Id == book.Active ? "*" : "",
                Markup.Escape(v.Id.ToString()),
                v.TrainEnd is { } end ? string.Create(CultureInfo.InvariantCulture, $"{v.DatasetStart:yyyy-MM-dd}..{end:yyyy-MM-dd}") : "untrained",
                v.TrainEnd is null ? "" : v.ValidationStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                v.TrainingDataSha256.Length > 12 ? v.TrainingDataSha256[..12] : v.TrainingDataSha256,
                v.Fingerprint,
                v.ValidationPinball?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "",
                v.AddedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }

        context.Console.Write(table);
        context.Console.MarkupLine(Markup.Escape(book.Active is { } active ? $"Active: {active}." : "No version is active."));
    }
}

/// <summary>A <c>models</c> command: the options that select the registry (<see cref="RegistrySelection"/>).</summary>
public abstract class ModelsCommand : CliCommand
{
    private protected RegistrySelection Registry { get; } = new();

    public override IEnumerable<Symbol> Symbols => Registry.Symbols;
}

/// <summary><c>seasonal models add --path DIR [--name NAME]</c>: copies a model folder into the registry as the next version of its name.</summary>
public sealed class ModelsAddCommand : ModelsCommand
{
    private readonly Option<DirectoryInfo> _path = CliOptions.Required<DirectoryInfo>("--path", "-p", "The model folder to add (made by `seasonal train`); its files are copied in.");

    private readonly Option<string?> _name = CliOptions.Optional<string?>("--name", "-n", "The name to register it under (default: the folder's name); versions are numbered per name from 1.");

    public override IReadOnlyList<string> Path => ["models", "add"];

    public override string Description => "Add a model folder to the registry as the next version of its name (the first version of an empty registry becomes active).";

    public override IEnumerable<Symbol> Symbols => [_path, _name, .. Registry.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var registry = Registry.Open(parse);
        var added = await RegistrySelection.RunAsync(() => registry.AddAsync(parse.GetValue(_path)!.FullName, parse.GetValue(_name), cancellationToken));
        var book = await RegistrySelection.RunAsync(() => registry.ReadAsync(cancellationToken));
        context.Console.MarkupLine(Markup.Escape($"Added {added.Id} (fingerprint {added.Fingerprint}) to the {registry.Description}{(book.Active == added.Id ? "; it is the active version" : "")}."));
        return SeasonalCli.Ok;
    }
}

/// <summary><c>seasonal models list</c>.</summary>
public sealed class ModelsListCommand : ModelsCommand
{
    public override IReadOnlyList<string> Path => ["models", "list"];

    public override string Description => "List the registry's model versions (* marks the active one).";

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        RegistrySelection.WriteList(context, await Registry.RunAsync(parse, registry => registry.ReadAsync(cancellationToken)));
        return SeasonalCli.Ok;
    }
}

/// <summary><c>seasonal models activate NAME@VERSION</c>.</summary>
public sealed class ModelsActivateCommand : ModelsCommand
{
    private readonly Argument<string> _model = new("model") { Description = "The version to serve, NAME@VERSION (e.g. down-jackets@2)." };

    public override IReadOnlyList<string> Path => ["models", "activate"];

    public override string Description => "Make a model version the active one (every silo of the registry switches to it).";

    public override IEnumerable<Symbol> Symbols => [_model, .. Registry.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        if (!ModelVersionId.TryParse(parse.GetValue(_model), out var id, out var problem))
        {
            throw new UserInputException(problem + ".");
        }

        await Registry.RunAsync(parse, registry => registry.ActivateAsync(id, cancellationToken));
        context.Console.MarkupLine(Markup.Escape($"Activated {id}."));
        return SeasonalCli.Ok;
    }
}

/// <summary><c>seasonal models rollback</c>.</summary>
public sealed class ModelsRollbackCommand : ModelsCommand
{
    public override IReadOnlyList<string> Path => ["models", "rollback"];

    public override string Description => "Make the previously active model version active again.";

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var registry = Registry.Open(parse);
        var before = await RegistrySelection.RunAsync(() => registry.GetActiveAsync(cancellationToken));
        var now = await RegistrySelection.RunAsync(() => registry.RollbackAsync(cancellationToken));
        context.Console.MarkupLine(Markup.Escape($"Rolled back from {before} to {now.Id}."));
        return SeasonalCli.Ok;
    }
}

/// <summary>
/// <c>seasonal models promote</c>: makes the challenger active when its total pinball loss over the SKU-days scored for both
/// is lower than the active version's (<see cref="ModelPromotion"/>), reading the shadow scores the live SKUs stored.
/// </summary>
public sealed class ModelsPromoteCommand : ModelsCommand
{
    private readonly Option<int> _minDays = CliOptions.Defaulted(
        "--min-days", "SKU-days scored for both the challenger and the active version a promotion needs.", ModelPromotion.DefaultMinDays);

    private readonly Option<bool> _force = new("--force") { Description = "Promote the challenger whatever its scores (a challenger is still needed)." };

    private readonly Option<string> _serviceId = CliOptions.Defaulted(
        "--service-id", "The silos' Clustering:ServiceId (their stored scores are keyed by it).", new Storage.ClusteringOptions().ServiceId);

    public override IReadOnlyList<string> Path => ["models", "promote"];

    public override string Description =>
        "Make the challenger (the version added last after the active one, never activated) active when it scores better on the live SKUs' shadow scores.";

    public override IEnumerable<Symbol> Symbols => [_minDays, _force, _serviceId, .. Registry.Symbols];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var minDays = parse.GetValue(_minDays);
        if (minDays < 0)
        {
            throw new UserInputException($"--min-days must be at least 0 (got {minDays}).");
        }

        var (registry, scores) = Registry.OpenWithScores(parse, parse.GetValue(_serviceId) ?? "");
        using (scores)
        {
            var book = await RegistrySelection.RunAsync(() => registry.ReadAsync(cancellationToken));
            ShadowTotals? totals = null;
            if (book.Active is { } active && book.Challenger is { } candidate)
            {
                var summaries = await LiveStateOptions.RunAsync(() => scores.ReadShadowSummariesAsync(cancellationToken));
                totals = ShadowScoring.Total(active.ToString(), candidate.Id.ToString(), summaries);
            }

            var (challenger, verdict) = await RegistrySelection.RunAsync(() => Task.FromResult(ModelPromotion.Decide(book, totals, minDays, parse.GetValue(_force))));
            await RegistrySelection.RunAsync(() => registry.PromoteAsync(challenger.Id, cancellationToken));
            context.Console.MarkupLine(Markup.Escape($"Promoted {challenger.Id} over {book.Active}: {verdict}"));
            context.Console.MarkupLine(Markup.Escape($"{book.Active} stays in the registry (`seasonal models rollback` serves it again); every silo serves {challenger.Id} within Live:Registry:PollInterval."));
            return SeasonalCli.Ok;
        }
    }
}
