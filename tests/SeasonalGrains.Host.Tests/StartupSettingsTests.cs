using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SeasonalGrains.Grains.Live;
using SeasonalGrains.Host.Hosting;

namespace SeasonalGrains.Host.Tests;

/// <summary>Settings the host cannot run with stop it at start, in one line naming the key, with exit code 2.</summary>
public sealed class StartupSettingsTests
{
    private const string LiveForecasters = "naive, seasonal-naive, seasonal-naive-yearly, moving-average, ets, croston, tsb, lstm";

    [Theory]
    [InlineData("prophet", $"invalid settings: Live:Forecaster: unknown forecaster 'prophet' (known: {LiveForecasters}).")]
    [InlineData("ensemble", $"invalid settings: Live:Forecaster: forecaster 'ensemble' cannot be used by live SKUs (usable there: {LiveForecasters}).")]
    [InlineData("lstm", "invalid settings: Live:Model must name a model folder for Live:Forecaster 'lstm' (make one with `seasonal train --dataset DIR --out DIR`), or Live:Registry:Provider a model registry.")]
    public async Task A_live_forecaster_that_live_SKUs_cannot_run_stops_the_host_at_start(string forecaster, string expected)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => LiveHost.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "memory",
            ["Live:Forecaster"] = forecaster,
        }));

        Assert.Equal(expected, StartupErrors.Explain(failure));
    }

    [Fact]
    public async Task A_libtorch_thread_count_below_one_stops_the_host_at_start()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => LiveHost.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "memory",
            ["Live:TorchThreads"] = "0",
        }));

        Assert.Equal("invalid settings: Live:TorchThreads must be 1-256 (got 0).", StartupErrors.Explain(failure));
    }

    [Fact]
    public async Task A_live_forecaster_is_read_ignoring_case_and_runs_under_its_registered_name()
    {
        await using var host = await LiveHost.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "memory",
            ["Live:Forecaster"] = "ETS",
        });

        Assert.Equal("ets", host.Services.GetRequiredService<LiveSkuRuntime>().ForecasterName);
    }

    [Theory]
    [InlineData("Live__Forecaster", "prophet", $"error: invalid settings: Live:Forecaster: unknown forecaster 'prophet' (known: {LiveForecasters}).")]
    [InlineData("Api__Keys__0__Key", "short", "error: invalid settings: Api:Keys:0:Key must have at least 16 characters.")]
    [InlineData("Api__Keys__0__Role", "admin", "error: invalid settings: Api:Keys:0:Key must have at least 16 characters. Api:Keys:0:Role must be 'read' or 'write' (got 'admin').")]
    public async Task The_host_process_refuses_a_bad_setting_with_exit_code_2_and_one_line(string variable, string value, string expected)
    {
        var (code, output, error) = await RunHostAsync(new Dictionary<string, string> { [variable] = value });

        Assert.Equal(StartupErrors.ExitCode, code);
        Assert.Equal(2, code);
        Assert.Equal(expected, error.TrimEnd());
        Assert.DoesNotContain("Exception", output + error, StringComparison.Ordinal);
    }

    /// <summary>Runs the built host (SeasonalGrains.Host.dll beside the tests) with the given environment; a host that wrongly starts is killed after 60 s.</summary>
    private static async Task<(int Code, string Output, string Error)> RunHostAsync(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SeasonalGrains.Host.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        start.Environment["Storage__Provider"] = "memory";
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await output, await error);
    }
}
