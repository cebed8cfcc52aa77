using System.Diagnostics;
using System.Text.Json;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Reports.Tests;

/// <summary>
/// Runs Debian's headless Chromium (found, or installed, by <see cref="Chromium"/>) on a local page:
/// its rendered DOM and console, a screenshot and a network log. Every host name resolves to "not found", so
/// nothing leaves the machine, whether the page or the browser's own services ask.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly string[] QuietFlags =
    [
        "--disable-extensions", "--disable-default-apps", "--no-pings",
        "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ];

    /// <summary>The Chromium executable; a missing browser fails the test (never skips it) with how to install it.</summary>
    public static async Task<string> RequireAsync()
    {
        try
        {
            return await Chromium.EnsureAsync();
        }
        catch (InvalidOperationException e)
        {
            Assert.Fail($"Headless Chromium renders the report in this test. {e.Message}");
            throw;
        }
    }

    /// <summary>
    /// The DOM after the page has loaded and rendered, and what the page wrote to the browser console:
    /// script errors and markup errors such as an SVG attribute Chromium cannot read.
    /// </summary>
    public static async Task<(string Dom, IReadOnlyList<string> Console)> DumpDomAndConsoleAsync(string page, string workDirectory)
    {
        var (stdout, stderr) = await RunAsync(workDirectory, "dom", ["--enable-logging=stderr", "--v=0", "--dump-dom", new Uri(page).AbsoluteUri]);
        return (stdout, [.. stderr.Split('\n').Where(line => line.Contains(":CONSOLE", StringComparison.Ordinal))]);
    }

    /// <summary>Takes a screenshot of the page at the given window size; also writes Chromium's network log. Returns both paths.</summary>
    public static async Task<(string Screenshot, string NetLog)> ScreenshotAsync(string page, string workDirectory, int width, int height)
    {
        var png = Path.Combine(workDirectory, "screenshot.png");
        var netLog = Path.Combine(workDirectory, "netlog.json");
        await RunAsync(workDirectory, "shot", [$"--screenshot={png}", $"--window-size={width},{height}", $"--log-net-log={netLog}", new Uri(page).AbsoluteUri]);
        Assert.True(File.Exists(png), $"Chromium wrote no screenshot to {png}.");
        return (png, netLog);
    }

    /// <summary>
    /// URLs of the requests a page started, from a Chromium network log: requests whose initiator is
    /// an origin (a file page's is "null"). The browser's own service requests have the initiator
    /// "not an origin" and are left out.
    /// </summary>
    public static IReadOnlyList<string> PageRequests(string netLog)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(netLog));
        var root = document.RootElement;
        var startJob = root.GetProperty("constants").GetProperty("logEventTypes").GetProperty("URL_REQUEST_START_JOB").GetInt32();
        var urls = new List<string>();
        foreach (var e in root.GetProperty("events").EnumerateArray())
        {
            if (e.GetProperty("type").GetInt32() == startJob && e.TryGetProperty("params", out var p)
                && p.TryGetProperty("url", out var url) && p.TryGetProperty("initiator", out var initiator)
                && initiator.GetString() != "not an origin")
            {
                urls.Add(url.GetString()!);
            }
        }

        return urls;
    }

    private static async Task<(string Stdout, string Stderr)> RunAsync(string workDirectory, string name, IEnumerable<string> arguments)
    {
        var executable = await RequireAsync();
        var profile = Path.Combine(workDirectory, $"profile-{name}");
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var flag in Chromium.HeadlessFlags.Concat(QuietFlags).Append($"--user-data-dir={profile}").Concat(arguments))
        {
            start.ArgumentList.Add(flag);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("Chromium did not finish within 60 s.");
        }

        Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {await stderr}");
        return (await stdout, await stderr);
    }
}
