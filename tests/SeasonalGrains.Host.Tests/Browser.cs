using Microsoft.Playwright;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Host.Tests;

/// <summary>
/// One page of headless Chromium driven by Playwright: Debian's Chromium (<see cref="Chromium.EnsureAsync"/>) is
/// launched by path, so no browser is downloaded. Host names resolve to nothing, so the page reaches only the
/// 127.0.0.1 addresses it is sent to.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<Browser> LaunchAsync(int width, int height)
    {
        var executable = await Chromium.EnsureAsync();
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = [.. Chromium.HeadlessFlags, "--disable-extensions", "--no-pings", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
            return new Browser(playwright, browser, page);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> (a JavaScript expression) is true; on time-out the message shows the page's text.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout)
    {
        try
        {
            await Page.WaitForFunctionAsync(condition, null, new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds });
        }
        catch (TimeoutException)
        {
            var text = await Page.EvaluateAsync<string?>("document.body ? document.body.innerText : ''");
            throw new TimeoutException($"'{condition}' did not become true within {timeout.TotalSeconds:0} s. The page shows: {text}");
        }
    }

    /// <summary>The text content of the element <paramref name="selector"/> ("" when it has none).</summary>
    public async Task<string> TextAsync(string selector) => await Page.TextContentAsync(selector) ?? "";

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
