using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Sre.Bench;

/// <summary>
/// bench/scale-out, one cluster size: <c>scale-out &lt;connection&gt; &lt;schema&gt; &lt;slos&gt; &lt;url&gt;...</c> with the processes at the URLs
/// sharing one schema. Waits until they share the work, then (1) the webhook at 64 connections spread over the processes
/// (a new alert each notification, 1,000 groups): notifications/s and the database's work per notification; (2) the
/// evaluation sweep of the given number of SLOs over one minute: SLO evaluations handled and the database's work per
/// evaluation. The database's work is pg_stat_database's transactions committed, rows written and blocks touched.
/// The script compares the sizes: the 1-process run is the baseline.
/// </summary>
public static class ScaleOut
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SweepWindow = TimeSpan.FromSeconds(60);

    public static async Task<int> Run(string connection, string schema, int slos, string[] urls)
    {
        var clients = urls.Select(u => new HttpClient { BaseAddress = new Uri(u), Timeout = TimeSpan.FromMinutes(1) }).ToArray();
        foreach (var c in clients) c.DefaultRequestHeaders.Authorization = new("Bearer", "dev-admin-key");
        await Shared(clients[0], urls.Length);

        await Webhook(clients, Warmup, "warm");
        var before = await Stats(connection);
        var (sent, elapsed) = await Webhook(clients, Measured, "run");
        var after = await Stats(connection);
        Console.WriteLine($"processes {urls.Length}  webhook: {sent / elapsed.TotalSeconds,8:F0} notifications/s   per notification: {Per(after - before, sent)}");

        // Pushed SLOs without data: each evaluation reads the stream and the status and records nothing.
        var defined = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async w =>
        {
            for (var n = w; n < slos; n += 32)
            {
                var name = $"scale-{n}";
                var response = await clients[n % clients.Length].PutAsJsonAsync($"/api/v1/slos/{name}", new
                {
                    name, service = "bench", by = "bench", target = 0.999,
                    sli = new { kind = "availability" }, window = new { kind = "rolling", duration = "30d" },
                });
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref defined);
            }
        }));
        // A first sweep after the definitions; then one minute of sweeps, nothing else running.
        await Task.Delay(TimeSpan.FromSeconds(25));
        var sweepBefore = await Stats(connection);
        var handledBefore = await Handled(connection, schema);
        await Task.Delay(SweepWindow);
        var sweepAfter = await Stats(connection);
        var evaluations = await Handled(connection, schema) - handledBefore;
        Console.WriteLine($"processes {urls.Length}  sweep of {defined} SLOs: {evaluations,8} evaluations in {SweepWindow.TotalSeconds:F0} s   per evaluation: {Per(sweepAfter - sweepBefore, evaluations)}");
        return 0;
    }

    private static string Per(Work work, long count) => count == 0
        ? "-"
        : $"{(double)work.Commits / count:F2} transactions, {(double)work.Rows / count:F1} rows written, {(double)work.Blocks / count:F0} blocks";

    /// <summary>Waits until the processes are registered and every partition runs on one of them.</summary>
    private static async Task Shared(HttpClient client, int processes)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var view = await client.GetFromJsonAsync<JsonElement>("/api/v1/ops/cluster");
            if (view.GetProperty("nodes").GetArrayLength() == processes && view.GetProperty("unassignedPartitions").GetArrayLength() == 0
                && view.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("partitions").GetArrayLength() > 0)) return;
            await Task.Delay(500);
        }
        throw new TimeoutException($"{processes} processes did not share the work within 2 minutes");
    }

    private static async Task<(long Sent, TimeSpan Elapsed)> Webhook(HttpClient[] clients, TimeSpan duration, string run)
    {
        long sent = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async w =>
        {
            var client = clients[w % clients.Length];
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/alertmanager/webhook")
                {
                    Content = new StringContent(Notification($"{run}-{w}-{n}", (w * 7919 + n) % 1000), Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new("Bearer", "dev-alertmanager-token");
                (await client.SendAsync(request)).EnsureSuccessStatusCode();
                Interlocked.Increment(ref sent);
            }
        }));
        return (sent, clock.Elapsed);
    }

    private static string Notification(string fingerprint, int group) => JsonSerializer.Serialize(new
    {
        receiver = "sre", status = "firing", version = "4", externalURL = "http://alertmanager:9093", truncatedAlerts = 0,
        groupKey = $"{{}}:{{alertname=\"Bench\", service=\"bench-{group}\"}}",
        groupLabels = new { alertname = "Bench", service = $"bench-{group}" },
        commonLabels = new { alertname = "Bench", service = $"bench-{group}", severity = "ticket" },
        commonAnnotations = new { },
        alerts = new[]
        {
            new
            {
                status = "firing", labels = new { alertname = "Bench", service = $"bench-{group}", severity = "ticket" }, annotations = new { },
                startsAt = "2026-11-27T10:00:00Z", endsAt = "0001-01-01T00:00:00Z", generatorURL = "http://prometheus/graph", fingerprint,
            },
        },
    });

    private sealed record Work(long Commits, long Rows, long Blocks)
    {
        public static Work operator -(Work a, Work b) => new(a.Commits - b.Commits, a.Rows - b.Rows, a.Blocks - b.Blocks);
    }

    private static async Task<Work> Stats(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        // The statistics a backend reports are flushed at most every second or so: cleared in this snapshot.
        await using (var clear = new NpgsqlCommand("select pg_stat_clear_snapshot()", db)) await clear.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(
            "select xact_commit, tup_inserted + tup_updated + tup_deleted, blks_hit + blks_read from pg_stat_database where datname = current_database()", db);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Work(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>SLO evaluations handled so far: Wolverine keeps each handled envelope for a while (idempotency).</summary>
    private static async Task<long> Handled(string connection, string schema)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select count(*) from {schema}.wolverine_incoming_envelopes where status = 'Handled' and message_type ilike '%evaluateslo%'", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
