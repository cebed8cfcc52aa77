using SeasonalGrains.Grains.Live.Export;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// The options of commands that read live SKUs' stored state from PostgreSQL with the host stopped or running
/// (<see cref="LiveStateReader"/>): <c>--storage postgres</c> (the only storage that keeps it outside a host),
/// <c>--connection</c> (default <c>Storage:ConnectionString</c>) and <c>--service-id</c> (the silos' <c>Clustering:ServiceId</c>).
/// </summary>
internal sealed class LiveStateOptions
{
    public LiveStateOptions(bool withStorage = true)
    {
        WithStorage = withStorage;
        Storage.AcceptOnlyFromAmong(StorageOptions.MemoryProvider, StorageOptions.PostgresProvider);
    }

    public bool WithStorage { get; }

    public Option<string> Storage { get; } = CliOptions.Defaulted(
        "--storage",
        $"Where the live SKUs' state is: {StorageOptions.PostgresProvider} (default; the grain state table of --connection). {StorageOptions.MemoryProvider} is refused: that state lives only inside its host.",
        StorageOptions.PostgresProvider);

    public Option<string?> Connection { get; } = CliOptions.Optional<string?>(
        "--connection", "-c", $"Npgsql connection string of the silos' grain storage (default: {DbMigrateCommand.ConnectionStringKey}).");

    public Option<string> ServiceId { get; } = CliOptions.Defaulted(
        "--service-id", "The silos' Clustering:ServiceId (stored state is keyed by it).", new ClusteringOptions().ServiceId);

    public IEnumerable<Symbol> Symbols => WithStorage ? [Storage, Connection, ServiceId] : [Connection, ServiceId];

    /// <summary>A reader of the state these options name; bad input throws <see cref="UserInputException"/>.</summary>
    public LiveStateReader Open(ParseResult parse, string what)
    {
        if (WithStorage && parse.GetValue(Storage) == StorageOptions.MemoryProvider)
        {
            throw new UserInputException(
                $"--storage {StorageOptions.MemoryProvider}: live SKUs kept in memory live only inside their host, so there is nothing stored to {what}. " +
                $"Run the host with Storage:Provider={StorageOptions.PostgresProvider} and give --connection.");
        }

        var connection = DbMigrateCommand.ResolveConnectionString(parse.GetValue(Connection), new ConfigurationBuilder().AddEnvironmentVariables().Build());
        try
        {
            _ = PostgresConnectionStrings.Describe(connection);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"the connection string is not a valid PostgreSQL connection string: {e.Message}");
        }

        var serviceId = parse.GetValue(ServiceId);
        return string.IsNullOrWhiteSpace(serviceId) ? throw new UserInputException("--service-id is empty.") : new LiveStateReader(connection, serviceId);
    }

    /// <summary>Runs a read; a database that cannot be read is bad input (exit code 2).</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (LiveExportException e)
        {
            throw new UserInputException(e.Message);
        }
    }
}
