using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Sre.Domain.Slos;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>
/// Live data: a real Prometheus scrapes, every second, an exporter this test runs and whose counters it sets; the
/// service pulls the SLI as time passes. Each stored slice equals what the samples Prometheus actually scraped give,
/// computed here from the raw samples as Prometheus 2.42's <c>rate</c> does, without the service's code.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PrometheusLiveTests : IAsyncLifetime
{
    private static readonly TimeSpan Slice = PullingServices.SliceLength;
    private readonly CounterExporter _exporter = new();
    private PrometheusWithHistory _prometheus = null!;
    private PullingServices _services = null!;
    private string _service = "";

    public async Task InitializeAsync()
    {
        _prometheus = PrometheusWithHistory.Scraping(_exporter.Target);
        _services = new PullingServices(_prometheus.Url);
        var started = _services.Start();
        await _prometheus.Ready(_services.Http);
        _service = (await started).Url;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _prometheus.DisposeAsync();
        _exporter.Dispose();
    }

    [Fact]
    public async Task slices_pulled_as_time_passes_equal_what_prometheus_scraped_from_the_counters_the_test_sets()
    {
        using var stop = new CancellationTokenSource();
        // Every second: 10 to 20 requests, 3 of them failed every fourth second.
        var counting = _exporter.Count(tick => (10 + 5 * (tick % 3), tick % 4 == 0 ? 3 : 0), stop.Token);
        var historyFrom = Align(DateTimeOffset.UtcNow) - Slice;
        await _services.DefineSlo(_service, new
        {
            name = "live", service = "checkout", by = "alice", target = 0.9,
            sli = new { kind = "availability", badQuery = "sum(rate(live_errors_total[{{.window}}]))", totalQuery = "sum(rate(live_requests_total[{{.window}}]))", historyFrom },
            window = new { kind = "rolling", duration = "1h" },
        });

        IReadOnlyList<object> events = [];
        await Repository.Eventually(async () => PullingServices.Slices(events = await _services.Events("live")).Count >= 3,
            TimeSpan.FromSeconds(90), "three slices of live data are pulled");
        await stop.CancelAsync();
        await counting;

        // Pulled as time passed, a pull a slice or so, not all at the end.
        var through = PullingServices.PulledThrough(events)!.Value;
        Assert.True(events.OfType<SliPulled>().Count() >= 3);
        var samples = (Requests: await Scraped("live_requests_total", through), Errors: await Scraped("live_errors_total", through));
        // What Prometheus holds is what the exporter served: the counters the test set, nothing else.
        var served = _exporter.Served();
        Assert.Subset(served.Requests, samples.Requests.Select(s => (long)s.Value).ToHashSet());
        Assert.Subset(served.Errors, samples.Errors.Select(s => (long)s.Value).ToHashSet());
        Assert.True(samples.Requests.Count >= 20);

        var expected = new List<ObservedSlice>();
        for (var end = historyFrom + Slice; end <= through; end += Slice)
        {
            if (Events(Rate(samples.Requests, end)) is not (> 0 and var total)) continue;
            var bad = Math.Clamp(Events(Rate(samples.Errors, end)) ?? 0, 0, total);
            expected.Add(new ObservedSlice(end - Slice, end, total, total - bad));
        }
        Assert.Equal(expected, PullingServices.Slices(events));
        Assert.Contains(expected, s => s.Good < s.Total);

        // The SLO's numbers count every slice stored (its 1h window holds them all), the pull going on meanwhile.
        long Stored(IEnumerable<object> stream) => PullingServices.Slices(stream).Sum(s => s.Total);
        var before = Stored(await _services.Events("live"));
        var sli = (await _services.Http.GetFromJsonAsync<JsonElement>($"{_service}/api/v1/slos/live/status")).GetProperty("sli");
        Assert.InRange(sli.GetProperty("total").GetInt64(), before, Stored(await _services.Events("live")));
        var listed = await _services.Http.GetFromJsonAsync<JsonElement>($"{_service}/api/v1/slos");
        Assert.Equal("live", Assert.Single(listed.EnumerateArray()).GetProperty("name").GetString());
    }

    private static DateTimeOffset Align(DateTimeOffset instant) => DateTimeOffset.UnixEpoch.AddTicks((instant - DateTimeOffset.UnixEpoch).Ticks / Slice.Ticks * Slice.Ticks);

    /// <summary>The events of a slice for a per-second rate, as the README defines them: rate × seconds, to the nearest, halves away from zero.</summary>
    private static long? Events(double? perSecond) =>
        perSecond is { } rate && double.IsFinite(rate) && rate >= 0
            ? (long)Math.Round((decimal)rate * (decimal)Slice.TotalSeconds, MidpointRounding.AwayFromZero)
            : null;

    /// <summary>The raw samples Prometheus stored for a series up to <paramref name="at"/> (its milliseconds, value).</summary>
    private async Task<List<(long Ms, double Value)>> Scraped(string series, DateTimeOffset at)
    {
        var time = (at.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture);
        var answer = await _services.Http.GetStringAsync($"{_prometheus.Url}/api/v1/query?query={Uri.EscapeDataString($"{series}[5m]")}&time={time}");
        var values = JsonDocument.Parse(answer).RootElement.GetProperty("data").GetProperty("result")[0].GetProperty("values");
        return values.EnumerateArray()
            .Select(v => ((long)Math.Round(v[0].GetDecimal() * 1000m), double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>
    /// <c>rate(series[slice])</c> at <paramref name="end"/> as Prometheus 2.42 computes it (promql/functions.go,
    /// extrapolatedRate): the samples in [end - slice, end]; none with fewer than two; the increase, a drop counted as a
    /// reset; extrapolated to the range's edges when the first and last samples are within 1.1 average intervals of
    /// them (else by half an interval), never to before the counter's zero; per second of the range.
    /// </summary>
    private static double? Rate(List<(long Ms, double Value)> all, DateTimeOffset end)
    {
        var (rangeEnd, rangeStart) = (end.ToUnixTimeMilliseconds(), (end - Slice).ToUnixTimeMilliseconds());
        var points = all.Where(p => p.Ms >= rangeStart && p.Ms <= rangeEnd).ToList();
        if (points.Count < 2) return null;
        var result = points[^1].Value - points[0].Value;
        double last = 0;
        foreach (var p in points)
        {
            if (p.Value < last) result += last;
            last = p.Value;
        }
        var toStart = (double)(points[0].Ms - rangeStart) / 1000;
        var toEnd = (double)(rangeEnd - points[^1].Ms) / 1000;
        var sampled = (double)(points[^1].Ms - points[0].Ms) / 1000;
        var average = sampled / (points.Count - 1);
        if (result > 0 && points[0].Value >= 0)
        {
            var toZero = sampled * (points[0].Value / result);
            if (toZero < toStart) toStart = toZero;
        }
        var threshold = average * 1.1;
        var interval = sampled;
        interval += toStart < threshold ? toStart : average / 2;
        interval += toEnd < threshold ? toEnd : average / 2;
        return result * (interval / sampled) / Slice.TotalSeconds;
    }
}
