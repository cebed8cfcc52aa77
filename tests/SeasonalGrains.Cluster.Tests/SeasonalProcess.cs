using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SeasonalGrains.Cluster.Tests;

/// <summary>
/// The built <c>seasonal</c> tool (seasonal.dll, copied next to the tests with its runtimeconfig) run as a child
/// process with captured output; <see cref="Kill"/> ends it with SIGKILL, as a crash would.
/// </summary>
public sealed class SeasonalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private SeasonalProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static SeasonalProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Start(string[])"/>, with more environment variables (<c>Api__Keys__0__Key</c>, ...).</summary>
    public static SeasonalProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "seasonal.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_gcServer"] = "0"; // two silos and the tests share two cores
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new SeasonalProcess(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the first output line that matches (lines already seen count).</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        TaskCompletionSource<string> seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var earlier = _output.ToString().Split('\n').FirstOrDefault(l => match(l.TrimEnd('\r')));
            if (earlier is not null)
            {
                return Task.FromResult(earlier.TrimEnd('\r'));
            }

            _waiters.Add((match, seen));
        }

        return WithTimeout(seen.Task, timeout);
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"seasonal did not exit within {timeout.TotalSeconds:0} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A TCP port free on the loopback interface now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> done = [];
        lock (_gate)
        {
            _output.Append(line).Append('\n');
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                done.Add(waiter.Seen);
            }
        }

        done.ForEach(d => d.TrySetResult(line));
    }

    private async Task<string> WithTimeout(Task<string> task, TimeSpan timeout)
    {
        if (await Task.WhenAny(task, Task.Delay(timeout)) == task)
        {
            return await task;
        }

        throw new TimeoutException($"No matching output line within {timeout.TotalSeconds:0} s. Output:\n{Output}");
    }
}
