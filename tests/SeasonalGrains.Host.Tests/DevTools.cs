using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SeasonalGrains.TestSupport;

namespace SeasonalGrains.Host.Tests;

/// <summary>
/// Headless Chromium driven over the DevTools protocol (JSON messages on a WebSocket): started with a
/// debugging port of its own choosing, attached to its first page. Host names resolve to nothing, so
/// the browser reaches only the 127.0.0.1 addresses it is sent to.
/// </summary>
public sealed partial class DevTools : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket;
    private readonly string _profile;
    private int _nextId;

    private DevTools(Process process, ClientWebSocket socket, string profile)
    {
        _process = process;
        _socket = socket;
        _profile = profile;
    }

    public static async Task<DevTools> LaunchAsync(int width, int height)
    {
        var executable = await Chromium.EnsureAsync();
        var profile = Directory.CreateTempSubdirectory("seasonalgrains-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        string[] flags =
        [
            .. Chromium.HeadlessFlags,
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            $"--user-data-dir={profile}",
            $"--window-size={width},{height}",
            "--disable-extensions",
            "--no-pings",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "about:blank",
        ];
        foreach (var flag in flags)
        {
            start.ArgumentList.Add(flag);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            // Chromium announces "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on stderr
            var port = await ReadPortAsync(process.StandardError, TimeSpan.FromSeconds(30));
            _ = process.StandardError.ReadToEndAsync();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            return new DevTools(process, socket, profile);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Sends a command and returns its result (events that arrive meanwhile are skipped).</summary>
    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var reply = await ReceiveAsync(timeout.Token);
            if ((int?)reply["id"] != id)
            {
                continue;
            }

            if (reply["error"] is { } error)
            {
                throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
            }

            return reply["result"]!;
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value (promises awaited).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        });
        if (result["exceptionDetails"] is { } failure)
        {
            throw new InvalidOperationException($"The page threw on '{expression}': {failure.ToJsonString()}");
        }

        return result["result"]!["value"];
    }

    /// <summary>Polls <paramref name="condition"/> (a JavaScript expression) until it is true.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if ((await EvaluateAsync($"(() => {{ try {{ return Boolean({condition}); }} catch {{ return false; }} }})()"))?.GetValue<bool>() == true)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var body = await EvaluateAsync("document.body ? document.body.innerText.slice(0, 2000) : ''");
                throw new TimeoutException($"'{condition}' did not become true within {timeout.TotalSeconds} s. The page shows: {body}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await SendAsync("Browser.close");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or WebSocketException or OperationCanceledException)
        {
            // the browser is killed below either way
        }

        _socket.Dispose();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp profile is harmless
        }
    }

    private async Task<JsonNode> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var part = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (part.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("Chromium closed the DevTools connection.");
            }

            message.Write(buffer, 0, part.Count);
            if (part.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray())!;
            }
        }
    }

    private static async Task<int> ReadPortAsync(StreamReader stderr, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var seen = new StringBuilder();
        while (await stderr.ReadLineAsync(cancel.Token) is { } line)
        {
            seen.AppendLine(line);
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"Chromium did not open a DevTools port: {seen}");
    }

    [GeneratedRegex(@"DevTools listening on ws://127\.0\.0\.1:(\d+)/")]
    private static partial Regex ListeningLine();
}
