using System.Globalization;
using System.Text;

namespace Sre.Host.Tests.Support;

/// <summary>
/// A real Prometheus (Debian's 2.42) serving a known history: the samples are written as OpenMetrics, turned into TSDB
/// blocks by <c>promtool tsdb create-blocks-from openmetrics</c>, and served with a retention far longer than the history,
/// with no scrape target (or a given retention; or, <see cref="Scraping"/>, one scraping a test's exporter). The tests
/// compute what the service should pull from the same samples, independently.
/// </summary>
public sealed class PrometheusWithHistory : IAsyncDisposable
{
    private readonly string _work;
    private readonly string _retention;
    private ChildProcess? _process;

    private PrometheusWithHistory(string work, string url, string retention)
    {
        _work = work;
        Url = url;
        _retention = retention;
    }

    public string Url { get; }

    /// <summary>Counter samples: series (name with labels in PromQL notation), value, time.</summary>
    public sealed record Sample(string Series, double Value, DateTimeOffset At);

    /// <summary>
    /// Builds the history and starts Prometheus on it, at <paramref name="url"/> or on a free port, keeping data for
    /// <paramref name="retention"/> (<c>--storage.tsdb.retention.time</c>; far longer than the history by default).
    /// </summary>
    public static async Task<PrometheusWithHistory> Start(IEnumerable<Sample> samples, string? url = null, string retention = "100y")
    {
        var work = Directory.CreateTempSubdirectory("sre-prom-history-").FullName;
        var prometheus = new PrometheusWithHistory(work, url ?? $"http://127.0.0.1:{Repository.FreePort()}", retention);
        var file = Path.Combine(work, "history.om");
        await File.WriteAllTextAsync(file, OpenMetrics(samples));
        var promtool = Environment.GetEnvironmentVariable("SRE_TEST_PROMTOOL") ?? "promtool";
        var data = Path.Combine(work, "data");
        var (code, output) = await Repository.Run(promtool, "tsdb", "create-blocks-from", "openmetrics", file, data);
        if (code != 0) throw new InvalidOperationException($"promtool refused the history: {output}");
        await File.WriteAllTextAsync(Path.Combine(work, "prometheus.yml"), "global:\n  scrape_interval: 15s\n");
        prometheus.Launch();
        return prometheus;
    }

    /// <summary>
    /// Prometheus on an empty data folder scraping one target (<c>host:port</c>, path <c>/metrics</c>) every second, on a
    /// free port: live data, as the exporter the test runs serves it.
    /// </summary>
    public static PrometheusWithHistory Scraping(string target)
    {
        var work = Directory.CreateTempSubdirectory("sre-prom-live-").FullName;
        var prometheus = new PrometheusWithHistory(work, $"http://127.0.0.1:{Repository.FreePort()}", "100y");
        File.WriteAllText(Path.Combine(work, "prometheus.yml"),
            $"global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: live\n    static_configs:\n      - targets: ['{target}']\n");
        prometheus.Launch();
        return prometheus;
    }

    private void Launch()
    {
        var binary = Environment.GetEnvironmentVariable("SRE_TEST_PROMETHEUS") ?? "/usr/bin/prometheus";
        _process = ChildProcess.Start(binary,
            [$"--config.file={Path.Combine(_work, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(_work, "data")}",
                $"--storage.tsdb.retention.time={_retention}", $"--web.listen-address={new Uri(Url).Authority}"],
            Path.Combine(_work, "prometheus.log"), new Dictionary<string, string>());
    }

    /// <summary>Waits until Prometheus answers queries.</summary>
    public async Task Ready(HttpClient http) =>
        await Repository.Eventually(async () => (await http.GetAsync($"{Url}/-/ready")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60), $"Prometheus at {Url} is ready");

    /// <summary>Stops Prometheus (SIGKILL), keeping its data.</summary>
    public void Stop()
    {
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts it again on the same data and address.</summary>
    public void Restart()
    {
        Stop();
        Launch();
    }

    /// <summary>Counters as OpenMetrics wants them: each family declared once, its series' samples together, in time order.</summary>
    private static string OpenMetrics(IEnumerable<Sample> samples)
    {
        var text = new StringBuilder();
        foreach (var family in samples.GroupBy(s => s.Series.Split('{')[0]))
        {
            var name = family.Key.EndsWith("_total") ? family.Key[..^"_total".Length] : family.Key;
            text.Append(CultureInfo.InvariantCulture, $"# TYPE {name} {(family.Key.EndsWith("_total") ? "counter" : "unknown")}\n");
            foreach (var series in family.GroupBy(s => s.Series))
            foreach (var s in series.OrderBy(s => s.At))
                text.Append(CultureInfo.InvariantCulture, $"{s.Series} {s.Value:R} {s.At.ToUnixTimeMilliseconds() / 1000m}\n");
        }
        return text.Append("# EOF\n").ToString();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        Directory.Delete(_work, recursive: true);
        return ValueTask.CompletedTask;
    }
}
