using SeasonalGrains.Storage;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// The <c>--storage memory|postgres</c> and <c>--connection</c> options of commands that run an embedded silo, and for
/// commands that may run on a cluster instead, <c>--clustering postgres</c> and <c>--cluster-id</c>. Without
/// <c>--connection</c> the connection string comes from <c>Storage:ConnectionString</c> (environment variable
/// <c>Storage__ConnectionString</c>), like <c>seasonal db migrate</c>.
/// </summary>
internal sealed class StorageSelection
{
    private readonly bool _withClustering;

    /// <param name="withClustering">Also offer <c>--clustering</c> and <c>--cluster-id</c>.</param>
    /// <param name="storageDescription">What <c>--storage</c> chooses, for commands that run no silo (the help's text).</param>
    public StorageSelection(bool withClustering = false, string? storageDescription = null)
    {
        _withClustering = withClustering;
        if (storageDescription is not null)
        {
            Storage.Description = storageDescription;
        }

        Storage.AcceptOnlyFromAmong(StorageOptions.MemoryProvider, StorageOptions.PostgresProvider);
        Clustering.AcceptOnlyFromAmong(ClusteringOptions.PostgresProvider);
    }

    public Option<string> Storage { get; } = CliOptions.Defaulted(
        "--storage", $"Where the embedded silo keeps grain state: {StorageOptions.MemoryProvider} (default) or {StorageOptions.PostgresProvider} (migrated with `seasonal db migrate`).", StorageOptions.MemoryProvider);

    public Option<string?> Connection { get; } = CliOptions.Optional<string?>(
        "--connection", "-c", $"Npgsql connection string for --storage postgres or --clustering postgres (default: {DbMigrateCommand.ConnectionStringKey}).");

    public Option<string?> Clustering { get; } = CliOptions.Optional<string?>(
        "--clustering",
        $"Run the grains on a running cluster (silos of `seasonal serve --clustering {ClusteringOptions.PostgresProvider}`) as its Orleans client instead of in an embedded silo: {ClusteringOptions.PostgresProvider}, the membership table in the database of --connection.");

    public Option<string?> ClusterId { get; } = CliOptions.Optional<string?>(
        "--cluster-id", $"The cluster's id with --clustering (default {new ClusteringOptions().ClusterId}, as `seasonal serve`).");

    public IEnumerable<Symbol> Symbols => _withClustering ? [Storage, Connection, Clustering, ClusterId] : [Storage, Connection];

    /// <summary>The chosen storage of the embedded silo: null for memory, else validated PostgreSQL options.</summary>
    public StorageOptions? Resolve(ParseResult parse)
    {
        var connection = parse.GetValue(Connection);
        if (parse.GetValue(Storage) != StorageOptions.PostgresProvider)
        {
            return connection is null || ClusteringOf(parse) is not null ? null : throw new UserInputException("--connection needs --storage postgres.");
        }

        if (ClusteringOf(parse) is not null)
        {
            throw new UserInputException("--storage is the cluster's own setting with --clustering (the silos keep the grain state where `seasonal serve` was told); drop --storage.");
        }

        var options = new StorageOptions
        {
            Provider = StorageOptions.PostgresProvider,
            ConnectionString = ConnectionString(connection),
        };
        var errors = options.Validate();
        return errors.Count == 0 ? options : throw new UserInputException(string.Join(" ", errors).Replace($"{StorageOptions.SectionName}:ConnectionString", "--connection", StringComparison.Ordinal));
    }

    /// <summary>The cluster to run on as a client (null: an embedded silo), validated.</summary>
    public ClusteringOptions? ResolveClustering(ParseResult parse)
    {
        if (ClusteringOf(parse) is null)
        {
            return parse.GetValue(ClusterId) is null ? null : throw new UserInputException("--cluster-id needs --clustering postgres.");
        }

        var options = new ClusteringOptions
        {
            Provider = ClusteringOptions.PostgresProvider,
            ConnectionString = ConnectionString(parse.GetValue(Connection)),
            MaxPoolSize = 5,
        };
        if (parse.GetValue(ClusterId) is { } id)
        {
            options.ClusterId = id;
        }

        var errors = options.Validate();
        return errors.Count == 0 ? options : throw new UserInputException(string.Join(" ", errors)
            .Replace($"{ClusteringOptions.SectionName}:ConnectionString", "--connection", StringComparison.Ordinal)
            .Replace($"{ClusteringOptions.SectionName}:ClusterId", "--cluster-id", StringComparison.Ordinal));
    }

    private string? ClusteringOf(ParseResult parse) => _withClustering ? parse.GetValue(Clustering) : null;

    private static string? ConnectionString(string? given) =>
        DbMigrateCommand.ResolveConnectionString(given, new ConfigurationBuilder().AddEnvironmentVariables().Build());
}
