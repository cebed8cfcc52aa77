using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using SeasonalGrains.Data.Io;
using SeasonalGrains.Data.Model;
using SeasonalGrains.TestSupport;

namespace LoadBench;

/// <summary>
/// Load on the live HTTP API over loopback: defines N SKUs, then for a fixed time K workers each loop
/// over "POST a sale to a random SKU" (or, with the read share, "GET a random SKU"), and prints
/// throughput and latency percentiles per operation. Afterwards every SKU's pending sales are read back
/// and compared with what was posted to it, so a run that loses or doubles a sale says so.
/// Starts the host in this process (grain state in memory, or in PostgreSQL) unless --url names one.
/// With --dataset the SKUs copy a dataset's master data and seed their last days of sales as history (so a host
/// with <c>Live:Forecaster=lstm</c> forecasts them with its model); with --close-rounds K the SKUs start K - 1 days
/// back and, spread over the measured time, every SKU's open day is closed round by round while the sales load runs:
/// each round closes one day of every SKU, each close a forecast and a policy decision.
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
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-Math.Max(0, options.CloseRounds - 1));
        var templates = options.Dataset is { } folder ? DatasetReader.Read(folder) : null;
        await Parallel.ForEachAsync(Enumerable.Range(0, skus.Length), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (i, token) =>
        {
            var sku = skus[i];
            var body = Definition(options, templates, i, start);
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
        var closing = options.CloseRounds > 0 ? CloseRoundsAsync(options, client, skus, start) : Task.FromResult(new List<CloseRound>());
        var measured = await LoadAsync(options, client, skus, posted, TimeSpan.FromSeconds(options.Seconds), "measured");
        var rounds = await closing;
        Console.WriteLine();
        Console.WriteLine($"{"operation",-22} {"requests",10} {"per second",11} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7}");
        measured.Print("POST /skus/{sku}/sales", measured.Sales);
        measured.Print("GET /skus/{sku}", measured.Reads);
        Console.WriteLine($"{"all",-22} {measured.Sales.Count + measured.Reads.Count,10:N0} {(measured.Sales.Count + measured.Reads.Count) / measured.Seconds,11:N0}");
        if (warm.Errors + measured.Errors > 0)
        {
            Console.WriteLine($"first error: {measured.FirstError ?? warm.FirstError}");
        }

        foreach (var round in rounds)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"close {round.Day:yyyy-MM-dd}: {round.Closed:N0} of {skus.Length:N0} SKUs closed in {round.Seconds:F2} s ({round.Closed / round.Seconds:N0}/s), {round.Errors} errors{(round.FirstError is null ? "" : ", first: " + round.FirstError)}"));
        }

        if (rounds.Count > 0)
        {
            var forecast = await LastForecastAsync(client, skus[0]);
            Console.WriteLine($"forecasts: {forecast}");
        }

        // every sale posted (warm-up and measured) must be in its SKU's pending sales, once
        var check = Stopwatch.StartNew();
        var mismatches = 0;
        string? firstMismatch = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, skus.Length), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (i, token) =>
        {
            // a closed day's sales are its demand; the open days' sales are pending
            var view = JsonNode.Parse(await client.GetStringAsync($"/api/v1/skus/{skus[i]}", token))!;
            var held = (double)view["pendingSales"]! + (double)view["metrics"]!["unitsDemanded"]!;
            if (held != Volatile.Read(ref posted[i]))
            {
                Interlocked.Increment(ref mismatches);
                firstMismatch ??= $"{skus[i]}: posted {posted[i]}, pending and demanded {held}";
            }
        });
        var total = posted.Sum();
        Console.WriteLine(mismatches == 0
            ? $"check: all {skus.Length:N0} SKUs hold exactly the {total:N0} units posted to them ({check.Elapsed.TotalSeconds:F1} s)"
            : $"check: {mismatches} SKUs differ from what was posted, e.g. {firstMismatch}");
        return mismatches == 0 && measured.Errors == 0 && rounds.All(r => r.Errors == 0) ? 0 : 1;
    }

    /// <summary>
    /// A SKU's definition: the bench's synthetic one, or with a dataset the master data of its SKU i mod n and that SKU's
    /// last --history-days of sales as history.
    /// </summary>
    private static string Definition(BenchOptions options, Dataset? templates, int i, DateOnly start)
    {
        var body = new JsonObject
        {
            ["leadTimeDays"] = 3,
            ["initialOnHand"] = 1000,
            ["casePack"] = 6,
            ["unitCost"] = 10,
            ["unitPrice"] = 25,
            ["category"] = "bench",
            ["startDate"] = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["policy"] = options.Policy == "sS"
                ? new JsonObject { ["name"] = "sS", ["parameters"] = new JsonObject { ["s"] = 200, ["S"] = 600 } }
                : new JsonObject { ["name"] = options.Policy },
        };
        if (templates is not null)
        {
            var k = i % templates.Skus.Count;
            var info = templates.Skus[k];
            var units = templates.Series[k].Units;
            var days = Math.Min(options.HistoryDays, units.Length);
            body["category"] = info.Category;
            body["region"] = info.Region;
            body["unitCost"] = info.UnitCost;
            body["unitPrice"] = info.UnitPrice;
            body["leadTimeDays"] = info.LeadTimeDays;
            body["casePack"] = info.CasePack;
            body["history"] = new JsonArray([.. units[^days..].Select(u => (JsonNode?)JsonValue.Create(double.IsFinite(u) ? u : 0))]);
        }

        return body.ToJsonString();
    }

    /// <summary>
    /// Closes every SKU's open day, round by round (the start date, the day after, ... today), the rounds spread evenly
    /// over the measured time while the sales load runs.
    /// </summary>
    private static async Task<List<CloseRound>> CloseRoundsAsync(BenchOptions options, HttpClient client, string[] skus, DateOnly start)
    {
        var rounds = new List<CloseRound>();
        var gap = TimeSpan.FromSeconds((double)options.Seconds / (options.CloseRounds + 1));
        for (var r = 0; r < options.CloseRounds; r++)
        {
            await Task.Delay(gap);
            var day = start.AddDays(r);
            var body = $"{{\"date\":\"{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\"}}";
            var closed = 0;
            var errors = 0;
            string? firstError = null;
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = options.CloseConcurrency }, async (sku, token) =>
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync($"/api/v1/skus/{sku}/close-day", content, token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref closed);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    firstError ??= $"{sku}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}";
                }
            });
            rounds.Add(new CloseRound(day, closed, errors, firstError, clock.Elapsed.TotalSeconds));
        }

        return rounds;
    }

    /// <summary>Which forecaster and model version a SKU's latest forecast names.</summary>
    private static async Task<string> LastForecastAsync(HttpClient client, string sku)
    {
        var view = JsonNode.Parse(await client.GetStringAsync($"/api/v1/skus/{sku}"))!;
        var forecast = view["forecast"];
        return $"{sku}'s latest forecast by {(string?)view["forecaster"] ?? "?"}"
            + (forecast?["modelVersion"] is { } version ? $" (model {version})" : "")
            + (forecast?["fallbackReason"] is { } reason ? $", fallback: {reason}" : "");
    }

    private sealed record CloseRound(DateOnly Day, int Closed, int Errors, string? FirstError, double Seconds);

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
        "                 [--dataset DIR [--history-days 400]] [--policy sS|NAME] [--close-rounds 0] [--close-concurrency 64]\n" +
        "Without --url the host starts in this process; with --storage postgres and no --connection a throwaway\n" +
        "PostgreSQL server is started (fsync off unless --durable). --dataset: SKUs copy its master data and seed its\n" +
        "last days of sales as history (for a host with Live:Forecaster=lstm, started with --url). --close-rounds K: SKUs\n" +
        "start K-1 days back and every SKU's open day is closed K times, spread over the measured time.";

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

    public string? Dataset { get; init; }

    public int HistoryDays { get; init; } = 400;

    public string Policy { get; init; } = "sS";

    public int CloseRounds { get; init; }

    public int CloseConcurrency { get; init; } = 64;

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
                    "--dataset" => options with { Dataset = Next() },
                    "--history-days" => options with { HistoryDays = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--policy" => options with { Policy = Next() },
                    "--close-rounds" => options with { CloseRounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--close-concurrency" => options with { CloseConcurrency = int.Parse(Next(), CultureInfo.InvariantCulture) },
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
            && (options.Url is null || Uri.TryCreate(options.Url, UriKind.Absolute, out _))
            && options.HistoryDays >= 1 && options.CloseRounds is >= 0 and <= 365 && options.CloseConcurrency >= 1
            && (options.Dataset is null || Directory.Exists(options.Dataset));
        return valid ? options : null;
    }
}
