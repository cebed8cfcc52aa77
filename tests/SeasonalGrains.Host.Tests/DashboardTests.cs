using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using static SeasonalGrains.Host.Tests.Http;

namespace SeasonalGrains.Host.Tests;

/// <summary>The dashboards as a person sees them in a browser: headless Chromium driven by Playwright.</summary>
[Collection(InMemoryHostFixture.Collection)]
public sealed class DashboardTests(InMemoryHostFixture fixture)
{
    /// <summary>Where the screenshot is kept, under the test output.</summary>
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png");

    [Fact]
    public async Task Dashboard_shows_a_skus_stock_chart_and_the_open_orders()
    {
        var host = fixture.Host;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var sku = "dash-" + Guid.NewGuid().ToString("N")[..6];
        double[] history = [8, 9, 10, 12, 15, 18, 14, 9, 10, 11, 13, 16, 19, 15];
        var definition = new JsonObject
        {
            ["category"] = "knitwear",
            ["region"] = "alps",
            ["unitCost"] = 18,
            ["unitPrice"] = 45,
            ["leadTimeDays"] = 2,
            ["initialOnHand"] = 70,
            ["casePack"] = 10,
            ["startDate"] = Iso(today.AddDays(-6)),
            ["history"] = new JsonArray([.. history.Select(v => (JsonNode)v)]),
            ["policy"] = new JsonObject { ["name"] = "sS", ["parameters"] = new JsonObject { ["s"] = 30, ["S"] = 90 } },
        };
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(host.Writer, $"/api/v1/skus/{sku}", RawJson(definition.ToJsonString()))).Status);

        // 70 on hand; sales 12, 15, 9, 14, 11 leave 58, 43, 34, 20, 9. Day 3 (20 <= s = 30) suggests 90 - 20 = 70;
        // day 4 supersedes it: 9 on hand, 90 - 9 = 81, rounded to cases of 10: 90 units for day 5
        double[] sales = [12, 15, 9, 14, 11];
        for (var d = 0; d < sales.Length; d++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(host.Writer, $"/api/v1/skus/{sku}/sales", new JsonObject { ["eventId"] = $"d{d}", ["units"] = sales[d] })).Status);
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(host.Writer, $"/api/v1/skus/{sku}/close-day")).Status);
        }

        var orderId = $"{sku}@{Iso(today.AddDays(-1))}";
        await using var browser = await Browser.LaunchAsync(1100, 1400);
        await browser.Page.GotoAsync(new Uri(host.Address, "/dashboard/").AbsoluteUri);
        await browser.WaitForAsync("document.readyState === 'complete' && document.querySelectorAll('#orders-table tbody tr').length > 0", TimeSpan.FromSeconds(20));

        // type the SKU into the box and press the button, as a person would
        await browser.Page.FillAsync("#sku-input", sku);
        await browser.Page.ClickAsync("#sku-find");
        await browser.WaitForAsync("!document.getElementById('sku-panel').hidden && document.getElementById('on-hand').textContent !== ''", TimeSpan.FromSeconds(20));

        Assert.Equal(sku, await browser.TextAsync("#sku-title"));
        Assert.Equal("9", await browser.TextAsync("#on-hand"));
        Assert.Equal("0", await browser.TextAsync("#on-order"));
        Assert.Equal(Iso(today.AddDays(-1)), await browser.TextAsync("#open-day"));
        Assert.Contains("90 units", await browser.TextAsync("#suggestion"), StringComparison.Ordinal);

        // the chart: 14 + 5 days of sales, 5 days of stock, a 14-day forecast line and its band (upper and lower edge)
        Assert.Equal(19, await PointsAsync(browser, "series-sales"));
        Assert.Equal(5, await PointsAsync(browser, "series-onhand"));
        Assert.Equal(14, await PointsAsync(browser, "series-forecast"));
        Assert.Equal(28, await PointsAsync(browser, "series-band"));

        // the open orders table has the SKU's suggestion with its units
        var table = await browser.Page.EvaluateAsync<string[][]>(
            "[...document.querySelectorAll('#orders-table tbody tr')].map(r => [...r.cells].map(c => c.textContent))");
        var row = Assert.Single(table, r => r[0] == orderId);
        Assert.Equal([orderId, sku, "90", Iso(today.AddDays(-1)), "9", "sS"], row);

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await browser.Page.ScreenshotAsync(new() { Path = ScreenshotPath, FullPage = true });
        Assert.True(new FileInfo(ScreenshotPath).Length > 10_000, "The screenshot is suspiciously small.");
    }

    [Fact]
    public async Task Dashboard_says_so_when_a_sku_does_not_exist()
    {
        await using var browser = await Browser.LaunchAsync(1000, 800);
        await browser.Page.GotoAsync(new Uri(fixture.Host.Address, "/dashboard/#no-such-sku-42").AbsoluteUri);
        await browser.WaitForAsync("document.getElementById('message').textContent !== ''", TimeSpan.FromSeconds(20));
        Assert.Equal("No SKU \"no-such-sku-42\".", await browser.TextAsync("#message"));
        Assert.True(await browser.Page.EvaluateAsync<bool>("document.getElementById('sku-panel').hidden"));
    }

    [Fact]
    public async Task The_Orleans_dashboard_shows_the_hosts_silo_and_its_activations_in_a_browser()
    {
        var host = fixture.Host;
        var sku = "orleans-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(host.Writer, $"/api/v1/skus/{sku}", RawJson("""{"leadTimeDays":1,"policy":{"name":"base-stock","parameters":{"S":5}}}"""))).Status);

        await using var browser = await Browser.LaunchAsync(1200, 900);
        await browser.Page.GotoAsync(new Uri(host.Address, "/orleans/").AbsoluteUri);

        // the overview counts the cluster's silos (this host's one) and activations once its counters arrive (every second; the first may be empty)
        await browser.WaitForAsync(
            "document.body && /ACTIVE SILOS\\s+[1-9]/.test(document.body.innerText) && /TOTAL ACTIVATIONS\\s+[1-9]/.test(document.body.innerText)",
            TimeSpan.FromSeconds(30));
        var page = await browser.Page.InnerTextAsync("body");
        Assert.Matches(@"ACTIVE SILOS\s+1\b", page);
        Assert.Matches(@"TOTAL ACTIVATIONS\s+[1-9]", page);
    }

    private static async Task<int> PointsAsync(Browser browser, string series)
    {
        var d = await browser.Page.EvaluateAsync<string>($"(document.querySelector('#chart path.{series}') || {{ getAttribute: () => '' }}).getAttribute('d')");
        Assert.False(string.IsNullOrEmpty(d), $"The chart has no path of class {series}.");
        return d.Count(c => c is 'M' or 'L');
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
