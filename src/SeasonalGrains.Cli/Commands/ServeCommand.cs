using SeasonalGrains.Host.Hosting;
using SeasonalGrains.Storage;

namespace SeasonalGrains.Cli.Commands;

/// <summary>
/// <c>seasonal serve</c>: runs the host (the silo and its HTTP endpoints) in this process until Ctrl+C. Settings
/// come from the environment (<c>Storage__Provider</c>, ...) like the host's, then from <c>KEY=VALUE</c>
/// arguments (<c>Clustering:SiloPort=11112</c>), then from the options below, which win.
/// </summary>
public sealed class ServeCommand : CliCommand
{
    private readonly Option<string?> _storage = CliOptions.Optional<string?>(
        "--storage", $"Where grain state lives: {StorageOptions.MemoryProvider} (default) or {StorageOptions.PostgresProvider} (sets {StorageOptions.SectionName}:Provider).");

    private readonly Option<string?> _connection = CliOptions.Optional<string?>(
        "--connection", "-c", $"Npgsql connection string for storage and clustering (sets {StorageOptions.SectionName}:ConnectionString).");

    private readonly Option<string?> _clustering = CliOptions.Optional<string?>(
        "--clustering", $"How silos find each other: {ClusteringOptions.LocalhostProvider} (default) or {ClusteringOptions.PostgresProvider} (sets {ClusteringOptions.SectionName}:Provider).");

    private readonly Option<int?> _siloPort = new("--silo-port") { Description = $"Silo-to-silo port (sets {ClusteringOptions.SectionName}:SiloPort; default 11111)." };

    private readonly Option<int?> _gatewayPort = new("--gateway-port") { Description = $"Client gateway port (sets {ClusteringOptions.SectionName}:GatewayPort; default 30000)." };

    private readonly Option<string?> _urls = new("--urls") { Description = "HTTP addresses to listen on, e.g. http://127.0.0.1:8080 (default: ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS, else port 5000)." };

    private readonly Argument<string[]> _settings = new("settings")
    {
        Description = "More settings as KEY=VALUE, e.g. Clustering:AdvertisedAddress=127.0.0.1 Clustering:Membership:ProbeTimeout=00:00:02.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public ServeCommand()
    {
        _storage.AcceptOnlyFromAmong(StorageOptions.MemoryProvider, StorageOptions.PostgresProvider);
        _clustering.AcceptOnlyFromAmong(ClusteringOptions.LocalhostProvider, ClusteringOptions.PostgresProvider);
    }

    public override IReadOnlyList<string> Path => ["serve"];

    public override string Description => "Run the silo and its HTTP endpoints in this process (storage and clustering from settings) until Ctrl+C.";

    public override IEnumerable<Symbol> Symbols => [_storage, _connection, _clustering, _siloPort, _gatewayPort, _urls, _settings];

    public override async Task<int> ExecuteAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var args = HostArguments(parse);
        try
        {
            await SeasonalGrains.Host.Program.RunAsync([.. args], cancellationToken);
        }
        catch (Exception e) when (StartupErrors.Explain(e) is { } message)
        {
            throw new UserInputException(message);
        }

        return SeasonalCli.Ok;
    }

    /// <summary>The host's command-line configuration: the KEY=VALUE settings, then the options (later ones win).</summary>
    internal List<string> HostArguments(ParseResult parse)
    {
        var args = new List<string>();
        foreach (var setting in parse.GetValue(_settings) ?? [])
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UserInputException($"'{setting}' is not a KEY=VALUE setting (e.g. {ClusteringOptions.SectionName}:SiloPort=11112).");
            }

            args.Add("--" + setting);
        }

        void Add(string key, string? value)
        {
            if (value is not null)
            {
                args.Add($"--{key}={value}");
            }
        }

        Add($"{StorageOptions.SectionName}:Provider", parse.GetValue(_storage));
        Add($"{StorageOptions.SectionName}:ConnectionString", parse.GetValue(_connection));
        Add($"{ClusteringOptions.SectionName}:Provider", parse.GetValue(_clustering));
        Add($"{ClusteringOptions.SectionName}:SiloPort", parse.GetValue(_siloPort)?.ToString(CultureInfo.InvariantCulture));
        Add($"{ClusteringOptions.SectionName}:GatewayPort", parse.GetValue(_gatewayPort)?.ToString(CultureInfo.InvariantCulture));
        Add("urls", parse.GetValue(_urls));
        return args;
    }
}
