using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using SeasonalGrains.TestSupport;

namespace LoadBench;

/// <summary>
/// Load on the live HTTP API over loopback: defines N SKUs, then for a fixed time K workers each loop
/// over "POST a sale to a random SKU" (or, with the read share, "GET a random SKU"), and prints
/// throughput and latency percentiles per operation. Afterwards every SKU's pending sales are read back
/// and compared with what was posted to it, so a run that loses or doubles a sale says so.
/// Starts the host in this process (grain state in memory, or in PostgreSQL) unless --url names one.
/// </summary>
public static class Program
{
    private const string Key = "loadbench-write-key-0123456789";

    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        await using var server = options.Url is null && options.Storage == "postgres" && options.Connection is null
            ? await PostgresServer.StartAsync(durable: options.Durable)
            : null;
        string? connection = options.Connection;
        if (server is not null)
        {
            connection = await server.CreateDatabaseAsync("loadbench");
        }

        WebApplication? app = null;
        Uri baseAddress;
        var key = options.Key ?? Key;
        if (options.Url is { } url)
        {
            baseAddress = new Uri(url);
        }
        else
        {
            app = Start(options, connection);
            await app.StartAsync();
            baseAddress = new Uri(app.Urls.First());
        }

        try
        {
            Console.WriteLine($"LoadBench: {options.Skus:N0} SKUs, {options.Seconds} s measured after {options.Warmup} s warm-up, {options.Concurrency} workers, read share {options.ReadShare:P0}");
            Console.WriteLine(options.Url is null
                ? $"host: in this process at {baseAddress}, storage {options.Storage}{(options.Storage == "postgres" ? (options.Durable ? " (durable: fsync on)" : " (fsync off)") + $", pool {options.PoolSize}" : "")}"
                : $"host: {baseAddress}");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            return await RunAsync(options, baseAddress, key);
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private static WebApplication Start(BenchOptions options, string? connection)
    {
        var settings = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Clustering:SiloPort={FreePort()}",
            $"--Clustering:GatewayPort={FreePort()}",
            "--Clustering:ClusterId=loadbench-" + Guid.NewGuid().ToString("N")[..8],
            "--Api:Keys:0:Name=loadbench",
            $"--Api:Keys:0:Key={Key}",
            "--Api:Keys:0:Role=write",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Polly=Warning",
            $"--Storage:Provider={options.Storage}",
        };
        if (options.Storage == "postgres")
        {
            settings.Add($"--Storage:ConnectionString={connection}");
            settings.Add("--Storage:MigrateOnStart=true");
            settings.Add($"--Storage:MaxPoolSize={options.PoolSize}");
        }

        return SeasonalGrains.Host.Program.Build([.. settings]);
    }

    private static async Task<int> RunAsync(BenchOptions options, Uri baseAddress, string key)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency + 8,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            UseProxy = false,
        };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var run = Guid.NewGuid().ToString("N")[..6];
        var skus = Enumerable.Range(0, options.Skus).Select(i => $"lb-{run}-{i:D5}").ToArray();

        // master data for every SKU
        var setup = Stopwatch.StartNew();
        var start = DateOnly.FromDateTime(DateTime.UtcNow);
        await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (sku, token) =>
        {
            var body = "{\"category\":\"bench\",\"leadTimeDays\":3,\"initialOnHand\":1000,\"casePack\":6,\"unitCost\":10,\"unitPrice\":25,"
                + "\"startDate\":\"" + start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "\","
                + "\"policy\":{\"name\":\"sS\",\"parameters\":{\"s\":200,\"S\":600}}}";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PutAsync($"/api/v1/skus/{sku}", content, token);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"PUT {sku}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
            }
        });
        Console.WriteLine($"setup: {skus.Length:N0} PUT /skus/{{sku}} in {setup.Elapsed.TotalSeconds:F1} s ({skus.Length / setup.Elapsed.TotalSeconds:N0}/s)");

        var posted = new long[skus.Length];
        var warm = await LoadAsync(options, client, skus, posted, TimeSpan.FromSeconds(options.Warmup), "warm-up");
        var measured = await LoadAsync(options, client, skus, posted, TimeSpan.FromSeconds(options.Seconds), "measured");
        Console.WriteLine();
        Console.WriteLine($"{"operation",-22} {"requests",10} {"per second",11} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7}");
        measured.Print("POST /skus/{sku}/sales", measured.Sales);
        measured.Print("GET /skus/{sku}", measured.Reads);
        Console.WriteLine($"{"all",-22} {measured.Sales.Count + measured.Reads.Count,10:N0} {(measured.Sales.Count + measured.Reads.Count) / measured.Seconds,11:N0}");
        if (warm.Errors + measured.Errors > 0)
        {
            Console.WriteLine($"first error: {measured.FirstError ?? warm.FirstError}");
        }

        // every sale posted (warm-up and measured) must be in its SKU's pending sales, once
        var check = Stopwatch.StartNew();
        var mismatches = 0;
        string? firstMismatch = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, skus.Length), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (i, token) =>
        {
            var view = JsonNode.Parse(await client.GetStringAsync($"/api/v1/skus/{skus[i]}", token))!;
            var pending = (double)view["pendingSales"]!;
            if (pending != Volatile.Read(ref posted[i]))
            {
                Interlocked.Increment(ref mismatches);
                firstMismatch ??= $"{skus[i]}: posted {posted[i]}, pending {pending}";
            }
        });
        var total = posted.Sum();
        Console.WriteLine(mismatches == 0
            ? $"check: all {skus.Length:N0} SKUs hold exactly the {total:N0} units posted to them ({check.Elapsed.TotalSeconds:F1} s)"
            : $"check: {mismatches} SKUs differ from what was posted, e.g. {firstMismatch}");
        return mismatches == 0 && measured.Errors == 0 ? 0 : 1;
    }

    private static async Task<Phase> LoadAsync(BenchOptions options, HttpClient client, string[] skus, long[] posted, TimeSpan duration, string name)
    {
        var phase = new Phase(name);
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(w => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(w, name));
            var sales = new List<double>(1 << 16);
            var reads = new List<double>(1 << 14);
            var errors = 0;
            string? firstError = null;
            for (var n = 0; stop.Elapsed < duration; n++)
            {
                var i = random.Next(skus.Length);
                var read = random.NextDouble() < options.ReadShare;
                var t0 = Stopwatch.GetTimestamp();
                HttpResponseMessage response;
                int units = 0;
                if (read)
                {
                    response = await client.GetAsync($"/api/v1/skus/{skus[i]}", HttpCompletionOption.ResponseContentRead);
                }
                else
                {
                    units = 1 + random.Next(3);
                    var body = Encoding.UTF8.GetBytes($"{{\"eventId\":\"{name}-{w}-{n}\",\"units\":{units}}}");
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    response = await client.PostAsync($"/api/v1/skus/{skus[i]}/sales", content);
                }

                using (response)
                {
                    if (!read)
                    {
                        await response.Content.ReadAsByteArrayAsync();
                    }

                    var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    (read ? reads : sales).Add(ms);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        errors++;
                        firstError ??= $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    }
                    else if (!read)
                    {
                        Interlocked.Add(ref posted[i], units);
                    }
                }
            }

            phase.Add(sales, reads, errors, firstError);
        })).ToArray();
        await Task.WhenAll(workers);
        phase.Seconds = stop.Elapsed.TotalSeconds;
        Console.WriteLine($"{name}: {phase.Sales.Count + phase.Reads.Count:N0} requests in {phase.Seconds:F1} s, {phase.Errors} errors");
        return phase;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Phase(string name)
    {
        private readonly Lock _lock = new();

        public string Name { get; } = name;

        public List<double> Sales { get; } = [];

        public List<double> Reads { get; } = [];

        public int Errors { get; private set; }

        public string? FirstError { get; private set; }

        public double Seconds { get; set; }

        public void Add(List<double> sales, List<double> reads, int errors, string? firstError)
        {
            lock (_lock)
            {
                Sales.AddRange(sales);
                Reads.AddRange(reads);
                Errors += errors;
                FirstError ??= firstError;
            }
        }

        public void Print(string label, List<double> latencies)
        {
            if (latencies.Count == 0)
            {
                Console.WriteLine($"{label,-22} {0,10}");
                return;
            }

            latencies.Sort();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{label,-22} {latencies.Count,10:N0} {latencies.Count / Seconds,11:N0} {At(latencies, 0.50),8:F2} {At(latencies, 0.90),8:F2} {At(latencies, 0.99),8:F2} {latencies[^1],8:F1} {Errors,7}"));
        }

        /// <summary>The nearest-rank percentile of a sorted sample.</summary>
        private static double At(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>Command-line options of the benchmark.</summary>
public sealed record BenchOptions
{
    public const string Usage =
        "usage: LoadBench [--skus 10000] [--seconds 30] [--warmup 5] [--concurrency 32] [--read-share 0.2]\n" +
        "                 [--storage memory|postgres] [--connection CS] [--durable] [--pool 40]\n" +
        "                 [--url http://host:port --key WRITE_KEY]\n" +
        "Without --url the host starts in this process; with --storage postgres and no --connection a throwaway\n" +
        "PostgreSQL server is started (fsync off unless --durable).";

    public int Skus { get; init; } = 10_000;

    public int Seconds { get; init; } = 30;

    public int Warmup { get; init; } = 5;

    public int Concurrency { get; init; } = 32;

    public double ReadShare { get; init; } = 0.2;

    public string Storage { get; init; } = "memory";

    public string? Connection { get; init; }

    public bool Durable { get; init; }

    public int PoolSize { get; init; } = 40;

    public string? Url { get; init; }

    public string? Key { get; init; }

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            try
            {
                options = args[i] switch
                {
                    "--skus" => options with { Skus = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--seconds" => options with { Seconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--warmup" => options with { Warmup = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--concurrency" => options with { Concurrency = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--read-share" => options with { ReadShare = double.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--storage" => options with { Storage = Next() },
                    "--connection" => options with { Connection = Next() },
                    "--durable" => options with { Durable = true },
                    "--pool" => options with { PoolSize = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--url" => options with { Url = Next() },
                    "--key" => options with { Key = Next() },
                    _ => throw new ArgumentException($"unknown option {args[i]}"),
                };
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return null;
            }
        }

        var valid = options.Skus >= 1 && options.Seconds >= 1 && options.Warmup >= 0 && options.Concurrency >= 1
            && options.ReadShare is >= 0 and <= 1 && options.Storage is "memory" or "postgres" && options.PoolSize >= 1
            && (options.Url is null || Uri.TryCreate(options.Url, UriKind.Absolute, out _));
        return valid ? options : null;
    }
}
