using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace SeasonalGrains.TestSupport;

/// <summary>
/// A PostgreSQL server for tests and benchmarks: the one named by <c>SEASONALGRAINS_TEST_PG</c> (a connection
/// string with the right to create databases) when that variable is set, otherwise a throwaway server started
/// from the local PostgreSQL binaries in a temporary directory, bound to 127.0.0.1 on a free port, with trust
/// authentication, and removed again on dispose (and, best effort, at process exit or at the next start after a crash).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Environment variable holding a connection string to an existing server to use instead.</summary>
    public const string ConnectionStringVariable = "SEASONALGRAINS_TEST_PG";

    /// <summary>Environment variable naming the directory of initdb/pg_ctl (default: newest /usr/lib/postgresql/N/bin).</summary>
    public const string BinDirectoryVariable = "SEASONALGRAINS_PG_BIN";

    private const string TempPrefix = "seasonalgrains-pg-";
    private const string OwnerFile = "owner.pid";
    private const string ServiceUser = "postgres";

    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static PostgresServer? _shared;
    private static int _sharedUsers;

    private readonly string? _rootDirectory;
    private readonly string? _binDirectory;
    private int _disposed;

    private PostgresServer(string adminConnectionString, string? rootDirectory, string? binDirectory)
    {
        AdminConnectionString = adminConnectionString;
        _rootDirectory = rootDirectory;
        _binDirectory = binDirectory;
    }

    /// <summary>Connection string to the maintenance database (<c>postgres</c>) as a superuser or database creator.</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when the server came from <see cref="ConnectionStringVariable"/> (it is never stopped by us).</summary>
    public bool IsExternal => _rootDirectory is null;

    /// <summary>The data directory of a throwaway server; null for an external one.</summary>
    public string? DataDirectory => _rootDirectory is null ? null : Path.Combine(_rootDirectory, "data");

    /// <summary>
    /// Starts a throwaway server (or connects to the external one).
    /// </summary>
    /// <param name="durable">
    /// False (tests): fsync and synchronous commit off for speed. True (benchmarks): PostgreSQL's durable defaults.
    /// </param>
    public static async Task<PostgresServer> StartAsync(bool durable = false, CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var builder = new NpgsqlConnectionStringBuilder(external) { Database = "postgres", Pooling = false };
            var server = new PostgresServer(builder.ConnectionString, null, null);
            await server.ExecuteAdminAsync("SELECT 1", cancellationToken).ConfigureAwait(false);
            return server;
        }

        RemoveAbandonedServers();
        var bin = FindBinDirectory();
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var root = Directory.CreateTempSubdirectory(TempPrefix).FullName;
            try
            {
                return await StartLocalAsync(root, bin, durable, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                last = ex;
                await StopLocalAsync(root, bin).ConfigureAwait(false);
                TryDelete(root);
            }
        }

        throw new InvalidOperationException($"Could not start a throwaway PostgreSQL server: {last?.Message}", last);
    }

    /// <summary>
    /// One server shared by every user in this process (tests), started on first use and stopped when the last
    /// user releases it with <see cref="ReleaseSharedAsync"/>.
    /// </summary>
    public static async Task<PostgresServer> AcquireSharedAsync(CancellationToken cancellationToken = default)
    {
        await SharedGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _shared ??= await StartAsync(durable: false, cancellationToken).ConfigureAwait(false);
            _sharedUsers++;
            return _shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>Releases one use of the shared server; the last release stops it.</summary>
    public static async Task ReleaseSharedAsync()
    {
        PostgresServer? toStop = null;
        await SharedGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_sharedUsers > 0 && --_sharedUsers == 0)
            {
                toStop = _shared;
                _shared = null;
            }
        }
        finally
        {
            SharedGate.Release();
        }

        if (toStop is not null)
        {
            await toStop.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Creates an empty database with a unique name and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "sg", CancellationToken cancellationToken = default)
    {
        var name = $"{Sanitise(prefix)}_{Guid.NewGuid():N}"; // at most 24 + 1 + 32 characters (limit 63)
        await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"", cancellationToken).ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database created by <see cref="CreateDatabaseAsync"/>, closing its connections first.</summary>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Runs one statement on the maintenance database.</summary>
    public async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops a throwaway server and deletes its directory; an external server is left alone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1 || _rootDirectory is null)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        NpgsqlConnection.ClearAllPools();
        await StopLocalAsync(_rootDirectory, _binDirectory!).ConfigureAwait(false);
        TryDelete(_rootDirectory);
    }

    private static async Task<PostgresServer> StartLocalAsync(string root, string bin, bool durable, CancellationToken cancellationToken)
    {
        var data = Path.Combine(root, "data");
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken)
            .ConfigureAwait(false);
        if (IsRoot())
        {
            await RunAsync("chown", ["-R", ServiceUser, root], asServiceUser: false, cancellationToken).ConfigureAwait(false);
        }

        await RunAsync(
            Path.Combine(bin, "initdb"),
            ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
            asServiceUser: true,
            cancellationToken).ConfigureAwait(false);

        var port = FindFreePort();
        var settings = new StringBuilder()
            .Append($"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='{root}'")
            .Append(durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            .ToString();
        await RunAsync(
            Path.Combine(bin, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(root, "server.log"), "-o", settings, "-w", "-t", "30", "start"],
            asServiceUser: true,
            cancellationToken,
            logFile: Path.Combine(root, "server.log")).ConfigureAwait(false);

        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
        }.ConnectionString;
        var server = new PostgresServer(admin, root, bin);
        AppDomain.CurrentDomain.ProcessExit += server.OnProcessExit;
        return server;
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (_rootDirectory is null || Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        StopLocalAsync(_rootDirectory, _binDirectory!).GetAwaiter().GetResult();
        TryDelete(_rootDirectory);
    }

    private static async Task StopLocalAsync(string root, string bin)
    {
        var data = Path.Combine(root, "data");
        if (!File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "-t", "20", "stop"], asServiceUser: true, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }
    }

    /// <summary>Stops and deletes servers left by test processes that died without cleaning up.</summary>
    private static void RemoveAbandonedServers()
    {
        string bin;
        try
        {
            bin = FindBinDirectory();
        }
        catch (InvalidOperationException)
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), TempPrefix + "*"))
        {
            var ownerPath = Path.Combine(directory, OwnerFile);
            if (!File.Exists(ownerPath) || !int.TryParse(File.ReadAllText(ownerPath), out var owner) || IsAlive(owner))
            {
                continue;
            }

            StopLocalAsync(directory, bin).GetAwaiter().GetResult();
            TryDelete(directory);
        }
    }

    private static bool IsAlive(int processId)
    {
        var stat = $"/proc/{processId}/stat";
        if (Directory.Exists("/proc/self"))
        {
            try
            {
                // the state letter follows the parenthesised command name; Z (zombie) and X (dead) have exited
                var text = File.ReadAllText(stat);
                var state = text[(text.LastIndexOf(')') + 2)..].TrimStart()[0];
                return state is not ('Z' or 'X');
            }
            catch (IOException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb"))
                ? configured
                : throw new InvalidOperationException($"{BinDirectoryVariable}='{configured}' contains no initdb.");
        }

        const string Root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(c => c.Version > 0 && File.Exists(Path.Combine(c.Bin, "initdb")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0].Bin
            : throw new InvalidOperationException(
                $"No PostgreSQL server binaries found under {Root}/N/bin. Install postgresql (e.g. apt-get install postgresql-15), " +
                $"set {BinDirectoryVariable}, or set {ConnectionStringVariable} to a connection string of a running server.");
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot() => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static async Task RunAsync(
        string program, IReadOnlyList<string> arguments, bool asServiceUser, CancellationToken cancellationToken, string? logFile = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asServiceUser && IsRoot())
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", ServiceUser, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var log = logFile is not null && File.Exists(logFile) ? Environment.NewLine + await File.ReadAllTextAsync(logFile, CancellationToken.None).ConfigureAwait(false) : string.Empty;
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} exited with code {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()} {(await output.ConfigureAwait(false)).Trim()}{log}");
        }
    }

    private static string Sanitise(string prefix)
    {
        var clean = new string(prefix.ToLowerInvariant().Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_').ToArray());
        return clean.Length == 0 ? "sg" : clean[..Math.Min(clean.Length, 24)];
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
