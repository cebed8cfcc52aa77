using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SeasonalGrains.Host.Api;
using static SeasonalGrains.Host.Tests.Http;

namespace SeasonalGrains.Host.Tests;

/// <summary>
/// What a replay request may read: only files inside <c>Api:ScenarioRoot</c> after symbolic links, by default the
/// <c>simulations</c> folder beside the host; and the host's own folder as its content root. Each test starts its own host.
/// </summary>
public sealed class ScenarioFolderTests : IDisposable
{
    private const string Secret = "Xsecret: not a scenario";

    private readonly string _temp = Directory.CreateTempSubdirectory("seasonalgrains-root-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Paths_out_of_the_scenario_folder_are_refused_links_followed_and_nothing_of_the_file_is_echoed()
    {
        var root = Directory.CreateDirectory(Path.Combine(_temp, "root")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_temp, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "secret.json"), Secret);
        File.CreateSymbolicLink(Path.Combine(root, "escape.json"), Path.Combine(outside, "secret.json"));
        Directory.CreateSymbolicLink(Path.Combine(root, "linked"), outside);
        Directory.CreateDirectory(Path.Combine(root, "away"));
        File.WriteAllText(Path.Combine(root, "away", "scenario.json"), """
            { "name": "away", "dataset": "../../outside", "window": { "lastDays": 10 }, "policies": [ { "name": "sS" } ] }
            """);
        await using var host = await LiveHost.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "memory",
            ["Api:ScenarioRoot"] = root,
            ["Api:ReplayOutputRoot"] = Path.Combine(_temp, "runs"),
        });

        foreach (var path in new[] { "escape.json", "linked/secret.json", "../outside/secret.json", Path.Combine(outside, "secret.json") })
        {
            var (status, problem, _) = await PostAsync(host.Writer, "/api/v1/replays", new JsonObject { ["scenarioPath"] = path });
            Assert.True(status == HttpStatusCode.BadRequest, $"{path}: {status}");
            Assert.Equal(["scenarioPath"], ErrorFields(problem));
            Assert.Equal("must lie inside the server's scenario folder (Api:ScenarioRoot), symbolic links followed.", (string?)problem!["errors"]!["scenarioPath"]![0]);
            Assert.DoesNotContain("Xsecret", problem.ToJsonString(), StringComparison.Ordinal);
        }

        // a scenario inside whose dataset lies outside is refused too, without naming server folders
        var (awayStatus, away, _) = await PostAsync(host.Writer, "/api/v1/replays", new JsonObject { ["scenarioPath"] = "away/scenario.json" });
        Assert.Equal(HttpStatusCode.BadRequest, awayStatus);
        Assert.Equal(["dataset: the folder must lie inside the server's scenario folder (Api:ScenarioRoot), symbolic links followed."],
            away!["errors"]!["scenario"]!.AsArray().Select(e => (string?)e));
        Assert.DoesNotContain(_temp, away.ToJsonString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temp, "runs")), "no replay was started");
    }

    [Fact]
    public async Task By_default_the_host_reads_its_own_folder_scenarios_beside_it_and_logs_no_request()
    {
        await using var host = await LiveHost.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "memory",
            ["Api:ReplayOutputRoot"] = Path.Combine(_temp, "runs"),
            ["Logging:LogLevel:Default"] = "Information",
        });

        var here = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        Assert.Equal(here, Path.TrimEndingDirectorySeparator(host.Services.GetRequiredService<IHostEnvironment>().ContentRootPath));
        var scenarios = host.Services.GetRequiredService<ReplayJobs>().ScenarioRoot.Root;
        Assert.Equal(Path.Combine(here, "simulations"), scenarios);
        Assert.True(File.Exists(Path.Combine(scenarios, "steady", "scenario.json")), "the build copies the repository's scenarios beside the binaries");

        // Information is on for the host's own messages, but ASP.NET Core's line per request is off
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();
        Assert.True(loggers.CreateLogger<ReplayJobs>().IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));

        // a path that climbs out of the default folder is refused
        var (status, problem, _) = await PostAsync(host.Writer, "/api/v1/replays", new JsonObject { ["scenarioPath"] = "../appsettings.json" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["scenarioPath"], ErrorFields(problem));
    }
}
