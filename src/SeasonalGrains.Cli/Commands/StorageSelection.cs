using System.CommandLine;
using Microsoft.Extensions.Configuration;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// The <c>--storage memory|postgres</c> and <c>--connection</c> options of commands that run an embedded silo. Without
/// <c>--connection</c> the connection string comes from <c>Storage:ConnectionString</c> (environment variable
/// <c>Storage__ConnectionString</c>), like <c>seasonal db migrate</c>.
/// </summary>
internal sealed class StorageSelection
{
    public Option<string> Storage { get; } = CliOptions.Defaulted(
        "--storage", $"Where the embedded silo keeps grain state: {StorageOptions.MemoryProvider} (default) or {StorageOptions.PostgresProvider} (migrated with `seasonal db migrate`).", StorageOptions.MemoryProvider);

    public Option<string?> Connection { get; } = CliOptions.Optional<string?>(
        "--connection", "-c", $"Npgsql connection string for --storage postgres (default: {DbMigrateCommand.ConnectionStringKey}).");

    public StorageSelection() =>
        Storage.AcceptOnlyFromAmong(StorageOptions.MemoryProvider, StorageOptions.PostgresProvider);

    public IEnumerable<Symbol> Symbols => [Storage, Connection];

    /// <summary>The chosen storage: null for memory, else validated PostgreSQL options.</summary>
    public StorageOptions? Resolve(ParseResult parse)
    {
        var connection = parse.GetValue(Connection);
        if (parse.GetValue(Storage) != StorageOptions.PostgresProvider)
        {
            return connection is null ? null : throw new UserInputException("--connection needs --storage postgres.");
        }

        var options = new StorageOptions
        {
            Provider = StorageOptions.PostgresProvider,
            ConnectionString = DbMigrateCommand.ResolveConnectionString(connection, new ConfigurationBuilder().AddEnvironmentVariables().Build()),
        };
        var errors = options.Validate();
        return errors.Count == 0 ? options : throw new UserInputException(string.Join(" ", errors).Replace($"{StorageOptions.SectionName}:ConnectionString", "--connection", StringComparison.Ordinal));
    }
}
