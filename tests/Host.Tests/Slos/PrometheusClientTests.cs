using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Host.Slos.Prometheus;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

/// <summary>The client against a real Prometheus serving a known history.</summary>
public class PrometheusClientTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly HttpClient _http = new();
    private PrometheusWithHistory _prometheus = null!;

    private const string Requests = "istio_requests_total";

    // 30 minutes of samples every 15 s: 10 requests/s answered 200, 1/s answered 503, and the 200 counter reset at 08:10.
    private static IEnumerable<PrometheusWithHistory.Sample> History()
    {
        for (var i = 0; i <= 120; i++)
        {
            var at = T.AddSeconds(15 * i);
            var ok = i < 40 ? 150.0 * i : 150.0 * (i - 40);
            yield return new($"{Requests}{{reporter=\"destination\",destination_service_name=\"checkout\",response_code=\"200\"}}", ok, at);
            yield return new($"{Requests}{{reporter=\"destination\",destination_service_name=\"checkout\",response_code=\"503\"}}", 15.0 * i, at);
        }
    }

    public async Task InitializeAsync()
    {
        _prometheus = await PrometheusWithHistory.Start(History());
        await _prometheus.Ready(_http);
    }

    public async Task DisposeAsync()
    {
        await _prometheus.DisposeAsync();
        _http.Dispose();
    }

    private PrometheusSource Source => new() { Url = _prometheus.Url };

    [Fact]
    public async Task a_range_query_answers_one_value_per_slice_end_and_the_slices_count_the_counters_increase()
    {
        var range = new SliceRange(T.AddMinutes(1), T.AddMinutes(20), Minute);
        var client = new PrometheusClient(_http);
        var (total, refusal) = await client.QueryRange(Source,
            SliQueryTemplate.Render($"sum(rate({Requests}{{reporter=\"destination\"}}[{{{{.window}}}}]))", Minute), range, default);
        var (bad, _) = await client.QueryRange(Source,
            SliQueryTemplate.Render($"sum(rate({Requests}{{reporter=\"destination\",response_code=~\"5..\"}}[{{{{.window}}}}]))", Minute), range, default);
        Assert.Null(refusal);

        var slices = PulledSlices.Ratio(range, total!, bad!, CountedEvents.Bad);
        // Computed from the samples, as Prometheus counts a counter's increase: after a reset, the value is new events.
        var samples = History().ToList();
        long Increase(string code, DateTimeOffset end)
        {
            var values = samples.Where(s => s.Series.Contains($"\"{code}\"") && s.At >= end - Minute && s.At <= end).Select(s => s.Value).ToList();
            return (long)values.Zip(values.Skip(1), (a, b) => b >= a ? b - a : b).Sum();
        }
        var expected = Enumerable.Range(1, 20).Select(i => T.AddMinutes(i))
            .Select(end => new ObservedSlice(end - Minute, end, Increase("200", end) + Increase("503", end), Increase("200", end)));
        Assert.Equal(expected, slices);
        // The reset at 08:10 lost the requests of its last 15 s, and rate() did not count the reset as negative.
        Assert.Equal(450 + 60, slices[9].Total);
    }

    [Fact]
    public async Task bad_promql_is_a_refusal_with_prometheus_own_error()
    {
        var (values, refusal) = await new PrometheusClient(_http).QueryRange(Source, "sum(rate(x[1m]",
            new SliceRange(T.AddMinutes(1), T.AddMinutes(2), Minute), default);
        Assert.Null(values);
        Assert.Equal(400, refusal!.Status);
        Assert.Equal("bad_data", refusal.ErrorType);
        Assert.Contains("parse error", refusal.Error);
    }

    [Fact]
    public async Task a_query_without_series_answers_no_value_not_zero()
    {
        var range = new SliceRange(T.AddMinutes(1), T.AddMinutes(2), Minute);
        var (values, _) = await new PrometheusClient(_http).QueryRange(Source, "sum(rate(no_such_metric_total[1m]))", range, default);
        Assert.Empty(values!);
    }
}
