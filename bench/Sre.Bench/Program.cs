using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;

// Benchmarks of the SLO path (and "seed", which fills an SLO for the wrk benchmarks). Each prints its figures beside a baseline measured in the same run on the same
// machine, and the ratio between them: these machines are shared and noisy, so only ratios compare.
//   Sre.Bench observations <service url> <connection string>
//   Sre.Bench status <service url>
if (args.Length < 2) { Console.Error.WriteLine("usage: Sre.Bench observations|status <url> [connection string]"); return 2; }
var http = new HttpClient { BaseAddress = new Uri(args[1]), Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Authorization = new("Bearer", Environment.GetEnvironmentVariable("BENCH_KEY") ?? "dev-admin-key");
var duration = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("BENCH_SECONDS") ?? "15"));
const int Batch = 1000;

async Task DefineSlo(string name)
{
    var response = await http.PutAsJsonAsync($"/api/v1/slos/{name}", new
    {
        name, service = "bench", by = "bench", target = 0.999,
        sli = new { kind = "availability" }, window = new { kind = "rolling", duration = "30d" },
    });
    response.EnsureSuccessStatusCode();
}

// One batch of 1,000 one-minute slices, in the past (the service refuses the future), distinct per (writer, batch).
object Slices(int writer, int batch)
{
    var end = DateTimeOffset.UtcNow.AddMinutes(-1).AddMinutes(-(writer * 1_000_000 + batch * Batch));
    return new
    {
        slices = Enumerable.Range(0, Batch).Select(i => new
        {
            start = end.AddMinutes(-i - 1), end = end.AddMinutes(-i), good = 990 + i % 10, total = 1000,
        }),
    };
}

async Task<(long Items, TimeSpan Elapsed)> RunFor(int writers, Func<int, int, Task> work)
{
    long done = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
    {
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            await work(w, n);
            Interlocked.Increment(ref done);
        }
    }));
    return (done, clock.Elapsed);
}

if (args[0] == "observations")
{
    const int writers = 4;
    // Baseline: the same rows inserted straight into PostgreSQL, 1,000 per transaction, by as many writers.
    var dataSource = NpgsqlDataSource.Create(args[2]);
    await using (var setup = dataSource.CreateCommand(
        "drop table if exists bench_slices; create table bench_slices (id text primary key, slo uuid, start_at timestamptz, end_at timestamptz, good bigint, total bigint, data jsonb)"))
        await setup.ExecuteNonQueryAsync();
    var baseline = await RunFor(writers, async (w, n) =>
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var import = await connection.BeginBinaryImportAsync(
            "copy bench_slices (id, slo, start_at, end_at, good, total, data) from stdin (format binary)");
        var slo = Guid.NewGuid();
        for (var i = 0; i < Batch; i++)
        {
            var at = DateTimeOffset.UtcNow.AddMinutes(-i);
            await import.StartRowAsync();
            await import.WriteAsync($"{w}:{n}:{i}");
            await import.WriteAsync(slo);
            await import.WriteAsync(at.AddMinutes(-1));
            await import.WriteAsync(at);
            await import.WriteAsync(990L);
            await import.WriteAsync(1000L);
            await import.WriteAsync("{\"good\":990,\"total\":1000}", NpgsqlTypes.NpgsqlDbType.Jsonb);
        }
        await import.CompleteAsync();
        await import.DisposeAsync();
        await tx.CommitAsync();
    });

    for (var w = 0; w < writers; w++) await DefineSlo($"bench-ingest-{w}");
    var service = await RunFor(writers, async (w, n) =>
        (await http.PostAsJsonAsync($"/api/v1/slos/bench-ingest-{w}/observations", Slices(w, n))).EnsureSuccessStatusCode());

    var baseRate = baseline.Items * Batch / baseline.Elapsed.TotalSeconds;
    var rate = service.Items * Batch / service.Elapsed.TotalSeconds;
    Console.WriteLine($"baseline  PostgreSQL COPY, {writers} writers x 1,000 rows a transaction: {baseRate,10:N0} rows/s");
    Console.WriteLine($"service   POST observations, {writers} writers x 1,000 slices a batch:  {rate,10:N0} slices/s");
    Console.WriteLine($"ratio     service / baseline: {rate / baseRate:P1}");
    return 0;
}

if (args[0] == "seed")
{
    // seed <url> <slo> <batches>: an SLO with batches x 1,000 minute slices ending a minute ago.
    await DefineSlo(args[2]);
    for (var n = 0; n < int.Parse(args[3]); n++)
        (await http.PostAsJsonAsync($"/api/v1/slos/{args[2]}/observations", Slices(0, n))).EnsureSuccessStatusCode();
    return 0;
}

if (args[0] == "status")
{
    // 30 days of one-minute slices (43,200), then status queries against a plain document read of the same SLO.
    await DefineSlo("bench-status");
    for (var n = 0; n < 44; n++)
        (await http.PostAsJsonAsync("/api/v1/slos/bench-status/observations", Slices(0, n))).EnsureSuccessStatusCode();

    async Task<(double PerSecond, double P50, double P99)> Measure(string url)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var result = await RunFor(8, async (_, _) =>
        {
            var watch = Stopwatch.StartNew();
            (await http.GetAsync(url)).EnsureSuccessStatusCode();
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        });
        var sorted = latencies.Order().ToArray();
        return (result.Items / result.Elapsed.TotalSeconds, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)]);
    }

    var plain = await Measure("/api/v1/slos/bench-status");
    var status = await Measure("/api/v1/slos/bench-status/status");
    Console.WriteLine($"baseline  GET /api/v1/slos/bench-status (one document):   {plain.PerSecond,8:N0} req/s  p50 {plain.P50,7:N1} ms  p99 {plain.P99,7:N1} ms");
    Console.WriteLine($"status    GET .../status over 43,200 minute slices:       {status.PerSecond,8:N0} req/s  p50 {status.P50,7:N1} ms  p99 {status.P99,7:N1} ms");
    Console.WriteLine($"ratio     status / baseline throughput: {status.PerSecond / plain.PerSecond:P1}");
    return 0;
}

Console.Error.WriteLine($"unknown benchmark '{args[0]}'");
return 2;
