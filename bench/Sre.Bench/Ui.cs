using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Sre.Bench;

/// <summary>
/// The UI's side of bench/ui (wrk measures the requests): the data, the session cookie, and the SLO list's weight.
///   Sre.Bench ui-seed &lt;url&gt; &lt;slos&gt; &lt;incidents&gt;
///   Sre.Bench ui-cookie &lt;url&gt;
///   Sre.Bench ui-weight &lt;url&gt;
/// </summary>
public static partial class Ui
{
    private const int Connections = 16;
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

    /// <summary>Prints the UI session cookie of the bench key (<c>name=value</c>), signed in through the form.</summary>
    public static async Task<int> Cookie(string url)
    {
        var client = await SignedIn(url);
        Console.WriteLine(client.DefaultRequestHeaders.GetValues("Cookie").Single());
        return 0;
    }

    /// <summary>The SLO list's weight as a browser receives it: the HTML and every asset it references, as negotiated.</summary>
    public static async Task<int> Weight(string url)
    {
        var weight = await Weight(url, await SignedIn(url));
        Console.WriteLine($"page weight of /ui/slos with every asset, compressed as negotiated (br, gzip): {weight.Total / 1024.0:N1} KB");
        foreach (var (path, bytes) in weight.Parts) Console.WriteLine($"    {bytes / 1024.0,7:N1} KB  {path}");
        return 0;
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
