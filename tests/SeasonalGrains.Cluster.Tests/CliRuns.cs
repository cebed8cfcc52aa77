using System.Globalization;
using System.Text.RegularExpressions;
using SeasonalGrains.Cli;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>The command line run in the test's own process, and the progress and resume lines the tests read from it.</summary>
internal static partial class CliRuns
{
    public static async Task<(int Code, string Output, string Error)> RunInProcess(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SeasonalCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The percentage of a progress line (<c>Replaying: 1,234 / 5,678 SKU-days (22%)</c>), or null.</summary>
    public static int? Percent(string line)
    {
        var match = ProgressLine().Match(line);
        return match.Success ? int.Parse(match.Groups["percent"].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"Resuming run \S+: (?<done>[\d,]+) of (?<total>[\d,]+) batch chunks were checkpointed")]
    public static partial Regex ResumedLine();

    [GeneratedRegex(@"^Replaying: .* \((?<percent>\d+) ?%\)$")]
    private static partial Regex ProgressLine();
}
