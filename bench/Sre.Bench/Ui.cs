using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Sre.Bench;

/// <summary>
/// The UI against the JSON API of the same data in the same run: the SLO list (1,000 SLOs) against GET /api/v1/slos,
/// and the incidents page (100,000 incidents) against GET /api/v1/incidents, each at 16 connections; then the SLO
/// list's weight as a browser gets it (the HTML and every asset it references, compressed as negotiated).
///   Sre.Bench ui-seed &lt;url&gt; &lt;slos&gt; &lt;incidents&gt;
///   Sre.Bench ui &lt;url&gt;
/// </summary>
public static partial class Ui
{
    private const int Connections = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("BENCH_SECONDS") ?? "15"));
    private static readonly string Key = Environment.GetEnvironmentVariable("BENCH_KEY") ?? "dev-admin-key";

    public static async Task<int> Seed(string url, int slos, int incidents)
    {
        var http = Api(url);
        var watch = Stopwatch.StartNew();
        await System.Threading.Tasks.Parallel.ForAsync(0, slos, new ParallelOptions { MaxDegreeOfParallelism = Connections }, async (i, ct) =>
        {
            var name = $"ui-{i:D4}";
            (await http.PutAsJsonAsync($"/api/v1/slos/{name}", new
            {
                name, service = $"service-{i % 50:D2}", by = "bench", target = 0.999,
                sli = new { kind = "availability" }, window = new { kind = "rolling", duration = "30d" },
                labels = new Dictionary<string, string> { ["team"] = $"team-{i % 7}", ["tier"] = (i % 3).ToString() },
            }, ct)).EnsureSuccessStatusCode();
        });
        Console.Error.WriteLine($"{slos} SLOs defined in {watch.Elapsed.TotalSeconds:N0} s");
        watch.Restart();
        await System.Threading.Tasks.Parallel.ForAsync(0, incidents, new ParallelOptions { MaxDegreeOfParallelism = Connections }, async (i, ct) =>
        {
            (await http.PostAsJsonAsync("/api/v1/incidents", new
            {
                title = $"Incident {i}", service = $"service-{i % 50:D2}", severity = (i % 4) switch { 0 => "critical", 1 => "page", _ => "warning" },
                labels = new Dictionary<string, string> { ["team"] = $"team-{i % 7}" }, by = "bench",
            }, ct)).EnsureSuccessStatusCode();
        });
        Console.Error.WriteLine($"{incidents} incidents declared in {watch.Elapsed.TotalSeconds:N0} s");
        // Each SLO gets data once the clock has moved past its definition: one slice of the last few seconds.
        var end = DateTimeOffset.UtcNow;
        await System.Threading.Tasks.Parallel.ForAsync(0, slos, new ParallelOptions { MaxDegreeOfParallelism = Connections }, async (i, ct) =>
        {
            var bad = i % 10 == 0 ? 5 : i % 10;
            (await http.PostAsJsonAsync($"/api/v1/slos/ui-{i:D4}/observations", new
            {
                slices = new[] { new { start = end.AddSeconds(-1), end, good = 1000 - bad, total = 1000 } },
            }, ct)).EnsureSuccessStatusCode();
        });
        return 0;
    }

    public static async Task<int> Run(string url)
    {
        var api = Api(url);
        var ui = await SignedIn(url);
        Console.WriteLine($"{Connections} connections, {Duration.TotalSeconds:N0} s each, after a warm-up");
        var results = new List<(string Label, Figures Api, Figures Page)>();
        foreach (var (label, json, page) in new[]
                 {
                     ("SLO list", "/api/v1/slos?sort=remainingBudget", "/ui/slos"),
                     ("incidents", "/api/v1/incidents", "/ui/incidents"),
                 })
        {
            var a = await Measure(api, json);
            var p = await Measure(ui, page);
            Console.WriteLine($"{label,-10} JSON {json,-34} {a}");
            Console.WriteLine($"{label,-10} page {page,-34} {p}");
            Console.WriteLine($"{label,-10} ratio page / JSON: mean {p.Mean / a.Mean:N2}x, p99 {p.P99 / a.P99:N2}x");
            results.Add((label, a, p));
        }
        var weight = await Weight(url, ui);
        Console.WriteLine($"page weight of /ui/slos, compressed as negotiated (br, gzip): {weight.Total / 1024.0:N1} KB");
        foreach (var (path, bytes) in weight.Parts) Console.WriteLine($"    {bytes / 1024.0,7:N1} KB  {path}");
        var ok = results.All(r => r.Page.Mean <= 1.5 * r.Api.Mean && r.Page.P99 < 50) && weight.Total < 150 * 1024;
        Console.WriteLine(ok ? "within the targets: page within 1.5x of its JSON, p99 under 50 ms, under 150 KB" : "OUTSIDE the targets");
        return 0;
    }

    public sealed record Figures(double PerSecond, double Mean, double P50, double P99, long Bytes)
    {
        public override string ToString() =>
            $"{PerSecond,7:N0} req/s  mean {Mean,6:N1} ms  p50 {P50,6:N1} ms  p99 {P99,6:N1} ms  {Bytes / 1024.0,7:N1} KB";
    }

    private static async Task<Figures> Measure(HttpClient http, string path)
    {
        // Warm-up: the first requests compile and fill the caches, as they would in a running service.
        for (var i = 0; i < 20; i++) (await http.GetAsync(path)).EnsureSuccessStatusCode();
        var latencies = new ConcurrentBag<double>();
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            while (clock.Elapsed < Duration)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(path);
                var body = await response.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync();
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                Interlocked.Exchange(ref bytes, body.Length);
            }
        }));
        var sorted = latencies.Order().ToArray();
        return new Figures(sorted.Length / clock.Elapsed.TotalSeconds, sorted.Average(), sorted[sorted.Length / 2],
            sorted[(int)(sorted.Length * 0.99)], bytes);
    }

    /// <summary>The HTML and each script and style sheet it references, as a browser fetches them (compressed, not decompressed here).</summary>
    private static async Task<(long Total, List<(string Path, long Bytes)> Parts)> Weight(string url, HttpClient signedIn)
    {
        var cookie = signedIn.DefaultRequestHeaders.GetValues("Cookie").Single();
        using var raw = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            BaseAddress = new Uri(url),
        };
        raw.DefaultRequestHeaders.Add("Cookie", cookie);
        raw.DefaultRequestHeaders.Add("Accept-Encoding", "br, gzip");
        var parts = new List<(string, long)>();
        var html = await raw.GetAsync("/ui/slos");
        var htmlBytes = await html.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync();
        parts.Add(($"/ui/slos ({html.Content.Headers.ContentEncoding.FirstOrDefault() ?? "identity"})", htmlBytes.Length));
        var text = await (await signedIn.GetAsync("/ui/slos")).Content.ReadAsStringAsync();
        foreach (Match m in Assets().Matches(text))
        {
            var asset = await raw.GetAsync(m.Groups[1].Value);
            var bytes = await asset.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync();
            parts.Add(($"{m.Groups[1].Value} ({asset.Content.Headers.ContentEncoding.FirstOrDefault() ?? "identity"})", bytes.Length));
        }
        return (parts.Sum(p => p.Item2), parts);
    }

    [GeneratedRegex("(?:src|href)=\"(/ui/[^\"]+\\.(?:js|css))\"")]
    private static partial Regex Assets();

    private static HttpClient Api(string url) => new(new SocketsHttpHandler { MaxConnectionsPerServer = Connections })
    {
        BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2), DefaultRequestHeaders = { Authorization = new("Bearer", Key) },
    };

    /// <summary>A client carrying the UI's session cookie: signed in through the form, as a browser does.</summary>
    private static async Task<HttpClient> SignedIn(string url)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = Connections })
        {
            BaseAddress = new Uri(url),
        };
        var form = await (await http.GetAsync("/ui/signin")).Content.ReadAsStringAsync();
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signIn = await http.PostAsync("/ui/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = Key, ["__RequestVerificationToken"] = token,
        }));
        if (signIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in: {(int)signIn.StatusCode}");
        var header = cookies.GetCookieHeader(new Uri(url));
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = Connections }) { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Add("Cookie", header);
        return client;
    }
}
