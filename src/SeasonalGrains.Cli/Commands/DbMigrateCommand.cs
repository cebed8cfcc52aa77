using SeasonalGrains.Storage;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// <c>seasonal db migrate [--connection CS]</c>: brings a PostgreSQL database to the schema this build expects
/// (grain state, membership, reminders, model registry) and prints what was applied. Without <c>--connection</c> the
/// connection string comes from the configuration key <c>Storage:ConnectionString</c> (environment
/// variable <c>Storage__ConnectionString</c>), the same key the silo reads.
/// </summary>
/// <remarks>
/// Exit codes: 0 migrated or already up to date; 2 a settings problem (no or bad connection string, server
/// unreachable, login refused, missing privilege, a database newer than this build or with a changed history);
/// 1 a migration script failed for another reason.
/// </remarks>
public sealed class DbMigrateCommand : CliCommand
{
    /// <summary>The configuration key read when <c>--connection</c> is absent.</summary>
    public const string ConnectionStringKey = $"{StorageOptions.SectionName}:ConnectionString";

    private readonly Option<string?> _connection = CliOptions.Optional<string?>(
        "--connection", "-c", $"Npgsql connection string (default: configuration key {ConnectionStringKey}, " +
            $"environment variable {StorageOptions.SectionName}__ConnectionString).");

    public override IReadOnlyList<string> Path => ["db", "migrate"];

    public override string Description => "Create or upgrade the PostgreSQL schema (grain state, membership, reminders, model registry).";

    public override IEnumerable<Symbol> Symbols => [_connection];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var connectionString = ResolveConnectionString(parse.GetValue(_connection), new ConfigurationBuilder().AddEnvironmentVariables().Build());
        string target;
        try
        {
            target = PostgresConnectionStrings.Describe(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"the connection string is not a valid PostgreSQL connection string: {e.Message}");
        }

        var migrator = new DatabaseMigrator();
        MigrationResult result;
        try
        {
            result = await migrator.MigrateAsync(connectionString, cancellationToken);
        }
        catch (DatabaseMigrationException e)
        {
            context.WriteError(e.Message);
            if (!e.IsConfigurationProblem)
            {
                context.Error.WriteLine($"The schema of {target} stays at the last migration that succeeded.");
            }

            return e.IsConfigurationProblem ? SeasonalCli.BadInput : SeasonalCli.Unexpected;
        }

        var c = context.Console;
        if (result.WasUpToDate)
        {
            c.MarkupLine(Markup.Escape($"The {target} is up to date at version {result.CurrentVersion}."));
            return SeasonalCli.Ok;
        }

        c.MarkupLine(Markup.Escape($"Applied {result.Applied.Count} migration(s) to the {target}:"));
        foreach (var applied in result.Applied)
        {
            c.MarkupLine(Markup.Escape($"  {applied.Name}"));
        }

        c.MarkupLine(Markup.Escape($"Schema version {result.PreviousVersion} -> {result.CurrentVersion}."));
        return SeasonalCli.Ok;
    }

    /// <summary><paramref name="option"/> when given, else <see cref="ConnectionStringKey"/> from <paramref name="configuration"/>.</summary>
    /// <exception cref="UserInputException">Neither names a connection string.</exception>
    public static string ResolveConnectionString(string? option, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (option is not null)
        {
            return string.IsNullOrWhiteSpace(option)
                ? throw new UserInputException("--connection is empty.")
                : option;
        }

        var configured = configuration[ConnectionStringKey];
        return string.IsNullOrWhiteSpace(configured)
            ? throw new UserInputException(
                $"no connection string: pass --connection \"Host=...;Database=...;Username=...;Password=...\" or set {ConnectionStringKey} " +
                $"(environment variable {StorageOptions.SectionName}__ConnectionString).")
            : configured;
    }
}
