using SeasonalGrains.Cli;

namespace SeasonalGrains.Cluster.Tests;

/// <summary><c>seasonal serve</c> as a child process: settings from the environment that the host cannot run with stop it at start.</summary>
public sealed class ServeSettingsTests
{
    [Theory]
    [InlineData("Api__Keys__0__Key", "short", "error: invalid settings: Api:Keys:0:Key must have at least 16 characters.")]
    [InlineData("Api__Keys__0__Role", "admin", "error: invalid settings: Api:Keys:0:Key must have at least 16 characters. Api:Keys:0:Role must be 'read' or 'write' (got 'admin').")]
    [InlineData("Live__Forecaster", "prophet", "error: invalid settings: Live:Forecaster: unknown forecaster 'prophet' (known: naive, seasonal-naive, seasonal-naive-yearly, moving-average, ets, croston, tsb, lstm).")]
    public async Task Serve_refuses_a_bad_setting_from_the_environment_with_exit_code_2_and_one_line(string variable, string value, string expected)
    {
        await using var serve = SeasonalProcess.Start(
            new Dictionary<string, string> { [variable] = value },
            "serve", "--urls", "http://127.0.0.1:0", "--silo-port", Port(), "--gateway-port", Port());

        var code = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)); // a host that wrongly starts times the test out

        Assert.Equal(SeasonalCli.BadInput, code);
        Assert.Equal(2, code);
        Assert.Equal(expected, serve.Output.TrimEnd());
        Assert.DoesNotContain("Exception", serve.Output, StringComparison.Ordinal);
    }

    private static string Port() => SeasonalProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
