using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Npgsql;
using SeasonalGrains.Cli;
using SeasonalGrains.Cli.Commands;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SeasonalGrains.Storage.Tests;

/// <summary>
/// No container engine runs here, so docker-compose.yml, .env.example and the Dockerfile are checked against the
/// project itself: its configuration keys (by reflection over the options classes), their defaults, the CLI's
/// commands and the files and projects the build copies.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string[] HostServices = ["silo1", "silo2", "api"];

    private static readonly string[] ConfiguredServices = ["migrate", "replay", .. HostServices];

    /// <summary>PostgreSQL's documented defaults: max_connections 100, of which superuser_reserved_connections 3.</summary>
    private const int PostgresConnectionsForOrdinaryLogins = 100 - 3;

    private readonly ComposeFile _compose = ComposeFile.Load();

    private readonly IReadOnlyDictionary<string, string> _example = EnvFile.Parse(Path.Combine(Repo.Root, ".env.example"));

    [Fact]
    public void Compose_runs_postgres_a_migrate_job_two_silos_and_an_api()
    {
        Assert.Equal(["api", "migrate", "postgres", "replay", "silo1", "silo2"], _compose.Services.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Postgres_15_keeps_its_data_in_a_named_volume_and_reports_health_with_pg_isready()
    {
        var postgres = _compose.Service("postgres");

        Assert.Equal("postgres:15", postgres.Scalar("image"));
        var mount = Assert.Single(postgres.Sequence("volumes")).Split(':');
        Assert.Equal("/var/lib/postgresql/data", mount[1]);
        Assert.Contains(mount[0], _compose.TopLevelKeys("volumes"));
        var check = string.Join(' ', postgres.Node("healthcheck").Sequence("test"));
        Assert.StartsWith("CMD-SHELL pg_isready ", check, StringComparison.Ordinal);
        Assert.Contains("-h 127.0.0.1", check, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_credentials_come_from_env_variables_not_from_the_compose_file()
    {
        var environment = _compose.Service("postgres").Environment();

        foreach (var key in new[] { "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB" })
        {
            var use = Assert.Single(ComposeVariables.Find(environment[key]));
            Assert.Equal(key, use.Name);
            Assert.Equal($"${{{key}:?set {key} in .env (see .env.example)}}", environment[key]);
        }

        Assert.All(_compose.Service("migrate").Environment().Values.Concat(HostServices.SelectMany(s => _compose.Service(s).Environment().Values)),
            value => Assert.DoesNotContain("change-me", value, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_environment_key_of_migrate_silos_and_api_is_a_configuration_key_of_the_project()
    {
        var known = OptionKeys(StorageOptions.SectionName, typeof(StorageOptions))
            .Concat(OptionKeys(ClusteringOptions.SectionName, typeof(ClusteringOptions)))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Contains("Storage__ConnectionString", known);
        Assert.Contains("Clustering__AdvertisedAddress", known);
        Assert.DoesNotContain("Storage__UsesPostgres", known); // computed, not settable

        foreach (var service in ConfiguredServices)
        {
            foreach (var key in _compose.Service(service).Environment().Keys)
            {
                Assert.True(
                    known.Contains(key) || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal),
                    $"{service}: environment key {key} is no property of StorageOptions or ClusteringOptions (known: {string.Join(", ", known.Order())}).");
            }
        }
    }

    [Fact]
    public void Silos_and_api_bind_to_valid_postgres_storage_and_clustering_pointing_at_the_postgres_service()
    {
        foreach (var service in HostServices)
        {
            var configuration = ConfigurationOf(service);
            var storage = StorageOptions.FromConfiguration(configuration);
            var clustering = ClusteringOptions.FromConfiguration(configuration);

            Assert.Empty(storage.Validate());
            Assert.Empty(clustering.Validate());
            Assert.True(storage.UsesPostgres, $"{service}: Storage:Provider is '{storage.Provider}'");
            Assert.True(clustering.UsesPostgres, $"{service}: Clustering:Provider is '{clustering.Provider}'");
            Assert.Equal(storage.ConnectionString, clustering.ConnectionString);
            var target = new NpgsqlConnectionStringBuilder(storage.ConnectionString);
            Assert.Equal(("postgres", 5432), (target.Host, target.Port));
            Assert.Equal(_example["POSTGRES_DB"], target.Database);
            Assert.Equal(_example["POSTGRES_USER"], target.Username);
            Assert.Equal(_example["POSTGRES_PASSWORD"], target.Password);
        }

        Assert.Equal(
            StorageOptions.FromConfiguration(ConfigurationOf("silo1")).ConnectionString,
            ConfigurationOf("migrate")[DbMigrateCommand.ConnectionStringKey]);
    }

    [Fact]
    public void Every_variable_the_compose_file_uses_is_defined_in_env_example_with_the_same_default()
    {
        var uses = _compose.AllScalars().SelectMany(ComposeVariables.Find).ToList();

        Assert.NotEmpty(uses);
        foreach (var use in uses)
        {
            Assert.True(_example.ContainsKey(use.Name), $"docker-compose.yml uses ${{{use.Name}}}, which .env.example does not define.");
            if (use.Default is not null)
            {
                Assert.True(use.Default == _example[use.Name],
                    $"${{{use.Name}}} defaults to '{use.Default}' in docker-compose.yml but .env.example says '{_example[use.Name]}'.");
            }
        }

        Assert.Equal(_example.Keys.Order(StringComparer.Ordinal), uses.Select(u => u.Name).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_env_file_stays_out_of_git_and_docker_and_the_example_holds_a_placeholder_password()
    {
        Assert.Contains(".env", File.ReadAllLines(Path.Combine(Repo.Root, ".gitignore")).Select(l => l.Trim()));
        Assert.Contains(".env", File.ReadAllLines(Path.Combine(Repo.Root, ".dockerignore")).Select(l => l.Trim()));
        Assert.Equal("change-me", _example["POSTGRES_PASSWORD"]);
    }

    [Fact]
    public void Ports_are_the_clustering_defaults_and_the_api_port_8080()
    {
        var defaults = new ClusteringOptions();
        Assert.Equal((11111, 30000), (defaults.SiloPort, defaults.GatewayPort));

        foreach (var service in HostServices)
        {
            var clustering = ClusteringOptions.FromConfiguration(ConfigurationOf(service));
            Assert.Equal((defaults.SiloPort, defaults.GatewayPort), (clustering.SiloPort, clustering.GatewayPort));
            Assert.Equal("8080", _compose.Service(service).Environment()["ASPNETCORE_HTTP_PORTS"]);
        }

        Assert.Empty(_compose.Service("silo1").Sequence("ports"));
        Assert.Empty(_compose.Service("silo2").Sequence("ports"));
        var api = Assert.Single(_compose.Service("api").Sequence("ports"));
        Assert.EndsWith(":8080", api, StringComparison.Ordinal);
        Assert.Equal("8080", ComposeVariables.Substitute(api, _example).Split(':')[0]);

        var postgres = Assert.Single(_compose.Service("postgres").Sequence("ports"));
        Assert.Equal("127.0.0.1:5432:5432", ComposeVariables.Substitute(postgres, _example));

        var exposed = Dockerfile.Load(_compose.DockerfilePath("api")).Stage(_compose.BuildTarget("api"))
            .Arguments("EXPOSE").SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse);
        Assert.Equal([8080, defaults.SiloPort, defaults.GatewayPort], exposed.Order());
    }

    [Fact]
    public void Start_order_is_postgres_healthy_then_migrate_completed_then_the_hosts()
    {
        Assert.Equal("service_healthy", _compose.Service("migrate").Node("depends_on").Node("postgres").Scalar("condition"));
        Assert.Equal("no", _compose.Service("migrate").Scalar("restart"));
        foreach (var service in HostServices)
        {
            var dependsOn = _compose.Service(service).Node("depends_on");
            Assert.Equal(["migrate"], dependsOn.Keys());
            Assert.Equal("service_completed_successfully", dependsOn.Node("migrate").Scalar("condition"));
        }
    }

    [Fact]
    public void The_migrate_job_runs_the_clis_db_migrate_command()
    {
        var migrate = _compose.Service("migrate");
        var args = migrate.Sequence("command").ToArray();

        var parse = SeasonalCli.BuildRoot(CliContext.ForWriters(TextWriter.Null, TextWriter.Null)).Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal(new DbMigrateCommand().Path, args);
        Assert.Equal([DbMigrateCommand.ConnectionStringKey.Replace(":", "__", StringComparison.Ordinal)], migrate.Environment().Keys);

        var cliAssembly = typeof(SeasonalCli).Assembly.GetName().Name;
        var stage = Dockerfile.Load(_compose.DockerfilePath("migrate")).Stage(_compose.BuildTarget("migrate"));
        Assert.Equal($"[\"dotnet\", \"{cliAssembly}.dll\"]", Assert.Single(stage.Arguments("ENTRYPOINT")));
    }

    [Fact]
    public void The_replay_job_runs_the_clis_replay_command_on_the_compose_cluster_reading_the_files_the_silos_read()
    {
        var replay = _compose.Service("replay");
        var args = replay.Sequence("command").ToArray();

        var parse = SeasonalCli.BuildRoot(CliContext.ForWriters(TextWriter.Null, TextWriter.Null)).Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal(new ReplayCommand().Path[0], args[0]);
        string Value(string option) => args[Array.IndexOf(args, option) + 1];
        Assert.Equal(ClusteringOptions.PostgresProvider, Value("--clustering"));
        Assert.Equal(_compose.Service("silo1").Environment()["Clustering__ClusterId"], Value("--cluster-id"));
        Assert.True(File.Exists(Path.Combine(Repo.Root, Value("--scenario"))), $"{Value("--scenario")} is no file of the repository");
        Assert.DoesNotContain("--connection", args); // from the environment, as the migrate job reads it
        Assert.Equal(
            StorageOptions.FromConfiguration(ConfigurationOf("silo1")).ConnectionString,
            ConfigurationOf("replay")[DbMigrateCommand.ConnectionStringKey]);

        // started on demand (docker compose run), after the silos, from the cli image
        Assert.Equal(["replay"], replay.Sequence("profiles"));
        Assert.Equal(["silo1", "silo2"], replay.Node("depends_on").Keys().Order(StringComparer.Ordinal));
        Assert.Equal("cli", _compose.BuildTarget("replay"));

        // the silos build the run's forecasters from the dataset and model the client names: the same volume, the same path
        var mount = "simulations:/app/simulations";
        Assert.Contains(mount, replay.Sequence("volumes"));
        Assert.All(HostServices, service => Assert.Contains(mount, _compose.Service(service).Sequence("volumes")));
        Assert.Contains("simulations", _compose.TopLevelKeys("volumes"));
        Assert.Contains("runs", _compose.TopLevelKeys("volumes"));
    }

    [Fact]
    public void Build_contexts_dockerfiles_and_targets_named_by_compose_exist()
    {
        var built = _compose.Services.Where(s => s.Value.Has("build")).Select(s => s.Key).ToList();
        Assert.Equal(["api", "migrate", "replay", "silo1", "silo2"], built.Order(StringComparer.Ordinal));
        foreach (var service in built)
        {
            Assert.True(Directory.Exists(_compose.BuildContext(service)), $"{service}: build context {_compose.BuildContext(service)} does not exist.");
            Assert.True(File.Exists(_compose.DockerfilePath(service)), $"{service}: {_compose.DockerfilePath(service)} does not exist.");
            var stages = Dockerfile.Load(_compose.DockerfilePath(service)).Stages.Select(s => s.Name);
            Assert.Contains(_compose.BuildTarget(service), stages);
        }
    }

    /// <summary>Fails while a project the Dockerfile publishes (e.g. the HTTP host) is missing from the repository.</summary>
    [Fact]
    public void The_dockerfile_copies_and_publishes_only_paths_that_exist_and_runs_what_it_published()
    {
        var dockerfile = Dockerfile.Load(Path.Combine(Repo.Root, "Dockerfile"));
        var copied = new List<string>();
        var problems = new List<string>();
        var stageNames = new List<string>();
        var publishedAssembly = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stage in dockerfile.Stages)
        {
            foreach (var (instruction, arguments) in stage.Instructions)
            {
                var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (instruction == "COPY" && words[0].StartsWith("--from=", StringComparison.Ordinal))
                {
                    var from = words[0]["--from=".Length..];
                    if (!stageNames.Contains(from))
                    {
                        problems.Add($"stage {stage.Name}: COPY --from={from} names no earlier stage.");
                    }
                    else if (publishedAssembly.TryGetValue(from, out var assembly))
                    {
                        publishedAssembly[stage.Name] = assembly;
                    }
                }
                else if (instruction == "COPY")
                {
                    foreach (var source in words[..^1])
                    {
                        var path = Path.Combine(Repo.Root, source);
                        if (!File.Exists(path) && !Directory.Exists(path))
                        {
                            problems.Add($"stage {stage.Name}: COPY {source}: no such file or folder in the build context.");
                        }

                        copied.Add(source.TrimEnd('/'));
                    }
                }
                else if (instruction == "RUN")
                {
                    foreach (var project in words.Where(w => w.EndsWith(".csproj", StringComparison.Ordinal)))
                    {
                        if (!copied.Any(c => project == c || project.StartsWith(c + "/", StringComparison.Ordinal)))
                        {
                            problems.Add($"stage {stage.Name}: {project} is built but never copied into the image.");
                        }

                        var path = Path.Combine(Repo.Root, project);
                        if (!File.Exists(path))
                        {
                            problems.Add($"stage {stage.Name}: publishes {project}, which does not exist.");
                            continue;
                        }

                        Assert.Contains("-r linux-x64", arguments, StringComparison.Ordinal);
                        publishedAssembly[stage.Name] = AssemblyName(path);
                    }
                }
            }

            stageNames.Add(stage.Name);
        }

        foreach (var stage in dockerfile.Stages.Where(s => s.Arguments("ENTRYPOINT").Any()))
        {
            var entrypoint = Assert.Single(stage.Arguments("ENTRYPOINT"));
            if (publishedAssembly.TryGetValue(stage.Name, out var assembly) && entrypoint != $"[\"dotnet\", \"{assembly}.dll\"]")
            {
                problems.Add($"stage {stage.Name}: ENTRYPOINT {entrypoint} does not run {assembly}.dll, the assembly it copied.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Contains("src", copied);
        Assert.Contains("cli", publishedAssembly.Keys);
    }

    [Fact]
    public void The_hosts_and_the_migrate_job_stay_under_postgres_default_connection_limit()
    {
        var total = 1; // the migrate job holds one connection
        foreach (var service in HostServices)
        {
            var configuration = ConfigurationOf(service);
            var storage = StorageOptions.FromConfiguration(configuration);
            var clustering = ClusteringOptions.FromConfiguration(configuration);
            var pools = new Dictionary<string, int>(StringComparer.Ordinal)
            {
                [storage.GetPooledConnectionString()] = storage.MaxPoolSize,
            };
            pools.TryAdd(clustering.GetPooledConnectionString(), clustering.MaxPoolSize);
            total += pools.Values.Sum();
        }

        Assert.Equal(3 * 20 + 1, total);
        Assert.True(total <= PostgresConnectionsForOrdinaryLogins, $"{total} connections exceed {PostgresConnectionsForOrdinaryLogins}.");
    }

    /// <summary><c>Section__Property</c> for every public settable property of an options class.</summary>
    private static IEnumerable<string> OptionKeys(string section, Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => $"{section}__{p.Name}");

    /// <summary>The service's environment with .env.example substituted, as the .NET configuration sees it.</summary>
    private IConfiguration ConfigurationOf(string service) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(_compose.Service(service).Environment().Select(e => new KeyValuePair<string, string?>(
                e.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal),
                ComposeVariables.Substitute(e.Value, _example))))
            .Build();

    private static string AssemblyName(string csproj)
    {
        var name = XDocument.Load(csproj).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault();
        return string.IsNullOrEmpty(name) ? Path.GetFileNameWithoutExtension(csproj) : name;
    }
}

/// <summary>The repository root: the folder holding SeasonalGrains.sln above the test's output folder.</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SeasonalGrains.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SeasonalGrains.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>docker-compose.yml read with YAML anchors and merge keys resolved.</summary>
internal sealed class ComposeFile
{
    private readonly YamlMappingNode _root;

    private ComposeFile(string path, YamlMappingNode root)
    {
        Path = path;
        _root = root;
        Services = ((YamlMappingNode)root.Children[new YamlScalarNode("services")]).Children
            .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => new YamlMap((YamlMappingNode)c.Value), StringComparer.Ordinal);
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, YamlMap> Services { get; }

    public static ComposeFile Load()
    {
        var path = System.IO.Path.Combine(Repo.Root, "docker-compose.yml");
        using var reader = new StringReader(File.ReadAllText(path));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return new ComposeFile(path, (YamlMappingNode)stream.Documents.Single().RootNode);
    }

    public YamlMap Service(string name) =>
        Services.TryGetValue(name, out var service) ? service : throw new Xunit.Sdk.XunitException($"docker-compose.yml has no service '{name}'.");

    public IEnumerable<string> TopLevelKeys(string name) => new YamlMap(_root).Node(name).Keys();

    public string BuildContext(string service) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, Service(service).Node("build").Scalar("context")!));

    public string DockerfilePath(string service) =>
        System.IO.Path.Combine(BuildContext(service), Service(service).Node("build").Scalar("dockerfile") ?? "Dockerfile");

    public string BuildTarget(string service) =>
        Service(service).Node("build").Scalar("target") ?? throw new Xunit.Sdk.XunitException($"{service}: build has no target.");

    /// <summary>Every scalar of the file, keys included (where compose interpolates variables).</summary>
    public IEnumerable<string> AllScalars()
    {
        var stack = new Stack<YamlNode>([_root]);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case YamlScalarNode scalar when scalar.Value is not null:
                    yield return scalar.Value;
                    break;
                case YamlSequenceNode sequence:
                    sequence.Children.ToList().ForEach(stack.Push);
                    break;
                case YamlMappingNode mapping:
                    foreach (var (key, value) in mapping.Children)
                    {
                        stack.Push(key);
                        stack.Push(value);
                    }

                    break;
            }
        }
    }
}

/// <summary>A YAML mapping with the lookups the tests need.</summary>
internal sealed class YamlMap(YamlMappingNode node)
{
    public bool Has(string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    public string? Scalar(string key) => Has(key) ? ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value : null;

    public YamlMap Node(string key) =>
        Has(key) ? new YamlMap((YamlMappingNode)node.Children[new YamlScalarNode(key)]) : throw new Xunit.Sdk.XunitException($"No '{key}' in {node.Start}.");

    public IEnumerable<string> Keys() => node.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    /// <summary>The items of a sequence (empty when the key is absent).</summary>
    public IEnumerable<string> Sequence(string key) =>
        Has(key) ? ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children.Select(c => ((YamlScalarNode)c).Value ?? "") : [];

    /// <summary>The <c>environment</c> entries, written as a mapping or as a list of KEY=VALUE.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        if (!Has("environment"))
        {
            return new Dictionary<string, string>();
        }

        return node.Children[new YamlScalarNode("environment")] switch
        {
            YamlMappingNode map => map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "", StringComparer.Ordinal),
            YamlSequenceNode list => list.Children.Select(c => ((YamlScalarNode)c).Value!.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal),
            var other => throw new Xunit.Sdk.XunitException($"environment at {other.Start} is neither a mapping nor a list."),
        };
    }
}

/// <summary>One use of a variable in a compose value: <c>${NAME}</c>, <c>${NAME:-default}</c>, <c>${NAME:?error}</c> or <c>$NAME</c>.</summary>
internal sealed record VariableUse(string Name, string? Default);

/// <summary>Compose's interpolation syntax (<c>$$</c> is a literal dollar sign, passed on to the container).</summary>
internal static partial class ComposeVariables
{
    public static IEnumerable<VariableUse> Find(string text) =>
        Token().Matches(text).Select(Parse).OfType<VariableUse>();

    /// <summary>Replaces each variable with its value (or its default when unset); <c>$$</c> becomes <c>$</c>.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
        Token().Replace(text, m => Parse(m) is { } use
            ? values.TryGetValue(use.Name, out var value) && value.Length > 0 ? value : use.Default ?? ""
            : "$");

    private static VariableUse? Parse(Match match)
    {
        if (match.Value == "$$")
        {
            return null;
        }

        if (match.Groups["bare"].Success)
        {
            return new VariableUse(match.Groups["bare"].Value, null);
        }

        if (!match.Groups["name"].Success)
        {
            throw new Xunit.Sdk.XunitException($"'{match.Value}' is not a valid compose variable reference.");
        }

        var op = match.Groups["op"].Value;
        return new VariableUse(match.Groups["name"].Value, op is ":-" or "-" ? match.Groups["arg"].Value : null);
    }

    [GeneratedRegex(@"\$\$|\$\{(?:(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?+])(?<arg>[^}]*))?|[^}]*)\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)|\$")]
    private static partial Regex Token();
}

/// <summary>A .env file: KEY=VALUE lines, # comments and blank lines.</summary>
internal static class EnvFile
{
    public static IReadOnlyDictionary<string, string> Parse(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (line, number) in File.ReadAllLines(path).Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new Xunit.Sdk.XunitException($"{path}:{number}: expected KEY=VALUE, got '{line}'.");
            }

            if (!values.TryAdd(parts[0], parts[1]))
            {
                throw new Xunit.Sdk.XunitException($"{path}:{number}: {parts[0]} is defined twice.");
            }
        }

        return values;
    }
}

/// <summary>A Dockerfile split into stages of (INSTRUCTION, arguments); line continuations joined, comments dropped.</summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        var logical = new List<string>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }

            logical.Add(pending + line);
            pending = "";
        }

        foreach (var line in logical.Where(l => l.Length > 0))
        {
            var split = line.Split(' ', 2);
            var instruction = split[0].ToUpperInvariant();
            var arguments = split.Length > 1 ? split[1].Trim() : "";
            if (instruction == "FROM")
            {
                var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var name = words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : stages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                stages.Add(new DockerStage(name, words[0], []));
            }
            else if (stages.Count > 0)
            {
                if (instruction == "RUN")
                {
                    // RUN --mount=... options precede the command
                    arguments = string.Join(' ', arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w.StartsWith("--", StringComparison.Ordinal)));
                }

                stages[^1].Instructions.Add((instruction, arguments));
            }
        }

        return new Dockerfile(stages);
    }

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new Xunit.Sdk.XunitException($"The Dockerfile has no stage '{name}'.");
}

internal sealed record DockerStage(string Name, string BaseImage, List<(string Instruction, string Arguments)> Instructions)
{
    public IEnumerable<string> Arguments(string instruction) =>
        Instructions.Where(i => i.Instruction == instruction).Select(i => i.Arguments);
}
