using System.Runtime.InteropServices;
using TorchSharp;

namespace SeasonalGrains.Forecasting.Lstm;

/// <summary>
/// Process-wide libtorch settings. The LSTM classes call <see cref="EnsureInitialized"/> before their
/// first tensor operation.
/// <para>
/// libtorch's OpenMP threads spin while waiting for work by default. On a 2-core machine shared with other
/// work (a silo's scheduler, other processes) spinning threads steal the cores: a training run measured
/// 3-10x slower under load. Unless the environment already sets <c>OMP_WAIT_POLICY</c>, the first call sets
/// it to <c>PASSIVE</c> (waiting threads sleep) before libtorch loads; the OpenMP runtime reads it once,
/// when it loads, so the setting only takes effect if no tensor was created earlier in the process.
/// </para>
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>
    /// Held by whoever seeds libtorch's process-wide random generator and then draws from it (weight
    /// initialisation, dropout in training), from the seed to the last draw. Two trainings in one process
    /// (a compare training several models, tests running in parallel) would otherwise interleave their draws
    /// and neither would be reproducible from its seed. Training also sets the (process-wide) thread count inside it, and every <see cref="QuantileLstm"/> is constructed inside it (initialisation draws from the generator, even for a network whose weights are then loaded).
    /// </summary>
    public static Lock RandomGate { get; } = new();

    /// <summary>Applies the wait policy (see the class summary) and loads libtorch, once per process.</summary>
    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
            {
                // Environment.SetEnvironmentVariable does not reach the native environment on Unix.
                _ = SetNativeEnvironment("OMP_WAIT_POLICY", "PASSIVE", 0);
            }

            torch.InitializeDeviceType(DeviceType.CPU);
            _initialized = true;
        }
    }

    /// <summary>Sets libtorch's intra-op thread count (torch.set_num_threads); it applies to the whole process.</summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        EnsureInitialized();
        torch.set_num_threads(threads);
    }

    /// <summary>libtorch's intra-op thread count now (torch.get_num_threads).</summary>
    public static int Threads
    {
        get
        {
            EnsureInitialized();
            return torch.get_num_threads();
        }
    }

    /// <summary>
    /// Sets the intra-op thread count for one piece of work (training, calibrating): disposing the result sets back the
    /// count of before, so a training inside a host does not change what the host's forecasts run with.
    /// </summary>
    public static IDisposable UseThreads(int threads)
    {
        var before = Threads;
        SetThreads(threads);
        return new ThreadCount(before);
    }

    private sealed class ThreadCount(int threads) : IDisposable
    {
        public void Dispose() => torch.set_num_threads(threads);
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in this project; plain marshalling suffices.
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetNativeEnvironment(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
#pragma warning restore SYSLIB1054
}
