using System.Diagnostics;

namespace SeasonalGrains.TestSupport;

/// <summary>
/// Locates Debian's Chromium for the browser tests. When it is missing and the tests run as root on a
/// Debian-like machine, it is installed with apt-get once (so `dotnet test` needs nothing installed by
/// hand); otherwise the test fails with the command that installs it.
/// </summary>
public static class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The flags every test launch uses: headless, no sandbox (root), and no background traffic on a closed network.</summary>
    public static IReadOnlyList<string> HeadlessFlags { get; } =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars",
    ];

    /// <summary>The Chromium executable (SEASONALGRAINS_CHROMIUM overrides the path).</summary>
    public static async Task<string> EnsureAsync()
    {
        var configured = Environment.GetEnvironmentVariable("SEASONALGRAINS_CHROMIUM");
        var path = string.IsNullOrWhiteSpace(configured) ? DefaultPath : configured;
        if (File.Exists(path))
        {
            return path;
        }

        await Gate.WaitAsync();
        try
        {
            if (File.Exists(path))
            {
                return path;
            }

            if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
            {
                throw new InvalidOperationException(
                    $"Chromium is not at {path}. Install Debian's package (sudo apt-get install -y chromium) or set SEASONALGRAINS_CHROMIUM to a Chromium executable.");
            }

            await RunAsync("apt-get", "update -qq");
            await RunAsync("apt-get", "install -y -qq chromium");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"apt-get installed chromium but {path} is still missing.");
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed with exit code {process.ExitCode}: {await stderr}");
        }
    }
}
