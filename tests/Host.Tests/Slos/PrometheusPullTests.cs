using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using Sre.Host.Slos.Prometheus;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

/// <summary>
/// SLIs pulled from a real Prometheus serving a known Istio-shaped history (built by promtool from OpenMetrics): every
/// slice, and the status's numbers, equal what the samples give, computed here without the service's code.
/// </summary>
public class PrometheusPullTests(AppFixture fixture) : PrometheusPullContext(fixture)
{
    private readonly string _shortRetentionUrl = fixture.ShortRetentionPrometheusUrl;

    private const string Ok = "istio_requests_total{reporter=\"destination\",destination_service_name=\"checkout\",response_code=\"200\"}";
    private const string Failed = "istio_requests_total{reporter=\"destination\",destination_service_name=\"checkout\",response_code=\"503\"}";
    // The client side's view of the same requests: a query without reporter="destination" would count them twice.
    private const string SourceSide = "istio_requests_total{reporter=\"source\",destination_service_name=\"checkout\",response_code=\"200\"}";

    // The latency histogram: Prometheus 2 writes the bound as le="100", Prometheus 3 as le="100.0".
    private const string Within100 = "istio_request_duration_milliseconds_bucket{reporter=\"destination\",destination_service_name=\"checkout\",le=\"100\"}";
    private const string Timed = "istio_request_duration_milliseconds_count{reporter=\"destination\",destination_service_name=\"checkout\"}";

    private const string Total = "sum(rate(istio_requests_total{reporter=\"destination\",destination_service_name=\"checkout\"}[{{.window}}]))";
    private const string PaymentsOk = "istio_requests_total{reporter=\"destination\",destination_service_name=\"payments\",response_code=\"200\"}";
    private const string PaymentsFailed = "istio_requests_total{reporter=\"destination\",destination_service_name=\"payments\",response_code=\"503\"}";
    private const string Bad = "sum(rate(istio_requests_total{reporter=\"destination\",destination_service_name=\"checkout\",response_code=~\"5..\"}[{{.window}}]))";

    /// <summary>
    /// From T-3h, a sample every 15 s: 10 requests/s answered 200 (the counter reset at T-1h), and 503s at 0.5/s between
    /// T-2h and T-1h30m; no sample strictly between T-40m and T-30m (a scrape gap); the last scrape at T+1h. Beside it, the
    /// payments service: 10 requests/s, of which 0.5/s answered 503 from T-3h to T-1h (a burn longer than the hour a
    /// budget event's windows span).
    /// </summary>
    private static IReadOnlyList<PrometheusWithHistory.Sample> History()
    {
        var samples = new List<PrometheusWithHistory.Sample>();
        double ok = 0, failed = 0, source = 0, within = 0, timed = 0, payments = 0, paymentsFailed = 0;
        for (var at = T.AddHours(-3); at <= T.AddHours(1); at = at.AddSeconds(15))
        {
            samples.Add(new(PaymentsOk, payments, at));
            samples.Add(new(PaymentsFailed, paymentsFailed, at));
            payments += at < T.AddHours(-1) ? 142.5 : 150;
            if (at < T.AddHours(-1)) paymentsFailed += 7.5;
            if (at == T.AddHours(-1)) ok = 0;
            if (at > T.AddMinutes(-40) && at < T.AddMinutes(-30)) { ok += 150; continue; }
            samples.Add(new(Ok, ok, at));
            samples.Add(new(Failed, failed, at));
            samples.Add(new(SourceSide, source, at));
            samples.Add(new(Within100, within, at));
            samples.Add(new(Timed, timed, at));
            // 10 of the 11 requests a second within 100 ms until T-20m, 8 from then on.
            within += at < T.AddMinutes(-20) ? 150 : 120;
            timed += 165;
            ok += 150;
            source += 150;
            if (at >= T.AddHours(-2) && at < T.AddMinutes(-90)) failed += 7.5;
        }
        return samples;
    }

    /// <summary>
    /// The slice ending at <paramref name="end"/> as Prometheus 2.42 counts it, from the samples: a series' increase over
    /// the samples in [end - 1m, end] (a drop is a reset: the new value is new events), none with fewer than two
    /// samples; the total is the sum over the series that have one, no data when none has.
    /// </summary>
    private static ObservedSlice? Expected(IReadOnlyList<PrometheusWithHistory.Sample> samples, DateTimeOffset end)
    {
        long? Increase(string series)
        {
            var values = samples.Where(s => s.Series == series && s.At >= end - Minute && s.At <= end).OrderBy(s => s.At).Select(s => s.Value).ToList();
            return values.Count < 2 ? null : (long)values.Zip(values.Skip(1), (a, b) => b >= a ? b - a : b).Sum();
        }
        var (ok, failed) = (Increase(Ok), Increase(Failed));
        if (ok is null && failed is null) return null;
        var total = (ok ?? 0) + (failed ?? 0);
        return total == 0 ? null : new ObservedSlice(end - Minute, end, total, total - (failed ?? 0));
    }

    protected override IReadOnlyList<PrometheusWithHistory.Sample> Samples => History();

    private static object Pulled(string name, string bad = Bad) => new
    {
        name, service = "checkout", by = "alice", target = 0.99,
        sli = new { kind = "availability", badQuery = bad, totalQuery = Total, dataSource = "history", historyFrom = T.AddHours(-3) },
        window = new { kind = "rolling", duration = "1d" },
    };

    [Fact]
    public async Task history_and_catch_up_store_every_slice_once_as_the_samples_give_it()
    {
        await Client().DefineSlo(Pulled("istio-checkout"));
        // Its history fills as it is defined, up to the last slice due (two scrape intervals ago), before any periodic pull.
        Assert.Equal(T.AddMinutes(-2), (await Events("istio-checkout")).OfType<SliPulled>().Last().Through);
        Clock.SetUtcNow(T.AddMinutes(30));
        await PullAll();
        await PullAll();
        var first = await Events("istio-checkout");
        // Up to the last slice that ended two scrape intervals (the default lag) ago: nothing left for the second pull.
        Assert.Equal(T.AddMinutes(28), first.OfType<SliPulled>().Last().Through);
        Assert.Single(first, e => e is SliPulled p && p.Through == T.AddMinutes(28));

        // The service was down for an hour and a half: the next pull catches up from what it stored.
        Clock.SetUtcNow(T.AddHours(2));
        await PullAll();

        var samples = History();
        var expected = Enumerable.Range(1, 298).Select(i => T.AddHours(-3).AddMinutes(i)).Select(end => Expected(samples, end)).OfType<ObservedSlice>().ToList();
        var stored = await Stored("istio-checkout");
        Assert.Equal(expected, stored);
        // The history as designed: the gap and the time after the last scrape have no data, the reset lost no slice.
        Assert.DoesNotContain(stored, s => s.End > T.AddMinutes(-40) && s.End <= T.AddMinutes(-30));
        Assert.DoesNotContain(stored, s => s.End > T.AddHours(1));
        Assert.Contains(stored, s => s.End == T.AddMinutes(-90) && s.Good == s.Total - 30);

        var status = await Get<JsonElement>("/api/v1/slos/istio-checkout/status");
        Assert.Equal(expected.Sum(s => s.Total), status.GetProperty("sli").GetProperty("total").GetInt64());
        Assert.Equal(expected.Sum(s => s.Good!.Value), status.GetProperty("sli").GetProperty("good").GetInt64());
    }

    [Fact]
    public async Task a_burn_pulled_minute_by_minute_records_the_budget_event_one_search_over_the_whole_burn_finds()
    {
        // The payments 503s run from T-3h to T-1h. One SLO follows them a minute at a time: each pull evaluates in its own
        // commit and searches only the windows its new slice ends in, and those of the event it may grow (which began
        // more than the hour of a window before).
        Clock.AdjustTime(T.AddMinutes(-175));
        await Client().DefineSlo(Payments("minute-by-minute"));
        for (var minute = -174; minute <= -50; minute++)
        {
            Clock.SetUtcNow(T.AddMinutes(minute));
            await Host.Settled(() => Puller.Pull(SloIds.For("minute-by-minute"), CancellationToken.None));
        }
        // The other pulls the same history in one range, and its evaluation searches all of it at once.
        await Client().DefineSlo(Payments("at-once"));

        var events = await Events("minute-by-minute");
        Assert.Single(events.OfType<BudgetEventRecorded>());
        // It grew as the burn went on: each extension replaces the one before.
        var extended = events.OfType<BudgetEventExtended>().ToList();
        Assert.True(extended.Count > 60, $"{extended.Count} extensions");
        Assert.All(extended.Skip(1).Zip(extended), pair => Assert.Equal(pair.Second.Event, Assert.Single(pair.First.Extends)));

        await using var session = Store.QuerySession();
        BudgetEvent Only(Slo? slo) => Assert.Single(slo!.BudgetEvents);
        var (followed, searched) = (Only(await session.LoadAsync<Slo>(SloIds.For("minute-by-minute"))), Only(await session.LoadAsync<Slo>(SloIds.For("at-once"))));
        Assert.Equal((searched.Start, searched.End, searched.Bad, searched.Spent), (followed.Start, followed.End, followed.Bad, followed.Spent));
        // From the first bad slice to the last: the minutes from T-3h to T-1h.
        Assert.Equal((T.AddMinutes(-180), T.AddMinutes(-60)), (followed.Start, followed.End));
    }

    [Fact]
    public async Task a_pull_of_several_ranges_searches_the_windows_of_every_range_it_committed()
    {
        // The payments history in ranges of 30 slices: the pull that fills it commits five, and evaluates with the last.
        var prometheus = Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PrometheusOptions>>().Value;
        prometheus.MaxPointsPerQuery = 30;
        try
        {
            Clock.AdjustTime(T.AddMinutes(-50));
            await Client().DefineSlo(Payments("in-ranges"));
            // 128 slices due (T-3h to T-52m): four ranges of 30 and one of 8.
            Assert.Equal(5, (await Events("in-ranges")).OfType<SliPulled>().Count());
        }
        finally
        {
            prometheus.MaxPointsPerQuery = Domain.Slos.Pull.SlicePlan.MaxPoints;
        }
        await Client().DefineSlo(Payments("at-once"));

        await using var session = Store.QuerySession();
        BudgetEvent Only(Slo? slo) => Assert.Single(slo!.BudgetEvents);
        var (inRanges, searched) = (Only(await session.LoadAsync<Slo>(SloIds.For("in-ranges"))), Only(await session.LoadAsync<Slo>(SloIds.For("at-once"))));
        Assert.Equal((T.AddMinutes(-180), T.AddMinutes(-60)), (searched.Start, searched.End));
        Assert.Equal(searched, inRanges);
    }

    private static object Payments(string name) => new
    {
        name, service = "payments", by = "alice", target = 0.99,
        sli = new
        {
            kind = "availability", dataSource = "history", historyFrom = T.AddHours(-3),
            badQuery = "sum(rate(istio_requests_total{reporter=\"destination\",destination_service_name=\"payments\",response_code=~\"5..\"}[{{.window}}]))",
            totalQuery = "sum(rate(istio_requests_total{reporter=\"destination\",destination_service_name=\"payments\"}[{{.window}}]))",
        },
        window = new { kind = "rolling", duration = "1d" },
    };

    [Fact]
    public async Task the_istio_red_preset_pulls_errors_duration_and_rate_from_the_mesh_metrics()
    {
        var response = await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/red-slos", new
        {
            errors = new { target = 0.99 }, duration = new { threshold = "100ms", target = 0.9 }, rate = new { minPerMinute = 300 },
            window = new { kind = "rolling", duration = "1d" },
            source = new { prometheus = "history", mesh = "istio" },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Clock.SetUtcNow(T.AddMinutes(30));
        await PullAll();

        // Errors: the same requests as the hand-written queries above, 5xx bad; duration: within the 100 ms bucket;
        // rate: every request. The preset fills in from the start of the 1d window; the samples start at T-3h.
        var samples = History();
        var ends = Enumerable.Range(1, 208).Select(i => T.AddHours(-3).AddMinutes(i)).ToList();
        Assert.Equal(ends.Select(end => Expected(samples, end)).OfType<ObservedSlice>(), await Stored("checkout-errors"));
        long? Increase(string series, DateTimeOffset end)
        {
            var values = samples.Where(s => s.Series == series && s.At >= end - Minute && s.At <= end).OrderBy(s => s.At).Select(s => s.Value).ToList();
            return values.Count < 2 ? null : (long)(values[^1] - values[0]);
        }
        var duration = ends.Where(end => Increase(Timed, end) is > 0)
            .Select(end => new ObservedSlice(end - Minute, end, Increase(Timed, end)!.Value, Increase(Within100, end)!.Value)).ToList();
        Assert.Equal(duration, await Stored("checkout-duration"));
        Assert.Contains(duration, s => s.Good == 600 && s.Total == 660);
        Assert.Contains(duration, s => s.Good == 480 && s.Total == 660);
        Assert.Equal(ends.Select(end => Expected(samples, end)).OfType<ObservedSlice>().Select(s => s.Total),
            (await Stored("checkout-rate")).Select(s => s.Total));
    }

    [Fact]
    public async Task a_query_prometheus_refuses_is_one_fault_of_its_slo_and_the_others_are_pulled()
    {
        await Client().DefineSlo(Pulled("broken", bad: "sum(rate(istio_requests_total{response_code=~\"5..\"}[{{.window}}])"));
        await Client().DefineSlo(Pulled("istio-checkout"));
        Clock.SetUtcNow(T.AddMinutes(10));
        await PullAll();
        Clock.SetUtcNow(T.AddMinutes(20));
        await PullAll();

        var fault = Assert.Single((await Events("broken")).OfType<SliPullFaulted>());
        Assert.Equal("bad_data", fault.Kind);
        Assert.Contains("parse error", fault.Message);
        Assert.DoesNotContain(await Events("broken"), e => e is SliObserved);
        Assert.Equal(T.AddMinutes(18), (await Events("istio-checkout")).OfType<SliPulled>().Last().Through);

        // The status and the list say where each SLO's data comes from, how fresh it is, and what stopped a pull.
        var source = (await Get<JsonElement>("/api/v1/slos/istio-checkout/status")).GetProperty("source");
        Assert.Equal(("prometheus", "history", T.AddMinutes(18), 120.0),
            (source.GetProperty("kind").GetString(), source.GetProperty("dataSource").GetString(),
                source.GetProperty("pulledThrough").GetDateTimeOffset(), source.GetProperty("ageSeconds").GetDouble()));
        var list = await Get<JsonElement>("/api/v1/slos");
        var broken = list.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "broken").GetProperty("source");
        Assert.Equal("bad_data", broken.GetProperty("fault").GetProperty("kind").GetString());

        // On /metrics: the refusal by kind, the age of the last slice pulled, and the requests to the data source.
        var metrics = await (await Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Matches("sre_slo_pull_errors_total\\{[^}]*kind=\"bad_data\"[^}]*slo=\"broken\"[^}]*\\} 1\\b", metrics);
        Assert.Matches("sre_slo_pull_age_seconds\\{[^}]*slo=\"istio-checkout\"[^}]*\\} 120\\b", metrics);
        Assert.Matches("sre_slo_pull_duration_seconds_count\\{[^}]*slo=\"istio-checkout\"[^}]*\\} [1-9]", metrics);
        Assert.Matches("http_client_request_duration_seconds_count\\{[^}]*server_address=\"127\\.0\\.0\\.1\"", metrics);
    }

    [Fact]
    public async Task new_queries_with_another_slice_length_pull_the_history_again_without_counting_any_span_twice()
    {
        await Client().DefineSlo(Pulled("istio-checkout"));
        Clock.SetUtcNow(T.AddMinutes(30));
        await PullAll();
        var before = await Stored("istio-checkout");

        // The same requests written another way, in 5-minute slices: a new pull of the history.
        var redefined = JsonSerializer.SerializeToElement(Pulled("istio-checkout", bad: Bad.Replace("sum(rate(", "sum by () (rate(")));
        var body = JsonSerializer.Deserialize<Dictionary<string, object>>(redefined.GetRawText())!;
        var sli = JsonSerializer.Deserialize<Dictionary<string, object>>(redefined.GetProperty("sli").GetRawText())!;
        sli["sliceLength"] = "5m";
        body["sli"] = sli;
        Assert.Equal(HttpStatusCode.OK, (await Client().Send(HttpMethod.Put, "/api/v1/slos/istio-checkout", body)).StatusCode);
        Clock.SetUtcNow(T.AddMinutes(40));
        await PullAll();

        // The minute slices stored before keep their numbers; a 5-minute slice is stored only where none of them lies.
        var after = await Stored("istio-checkout");
        Assert.Equal(before, after.Where(s => s.End - s.Start == Minute));
        var ordered = after.OrderBy(s => s.Start).ToList();
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start, $"{pair.First} overlaps {pair.Second}"));
        Assert.Contains(after, s => s.End - s.Start == TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task a_slice_pushed_to_a_pulled_slo_is_refused_with_the_source_named()
    {
        await Client().DefineSlo(Pulled("istio-checkout"));
        var response = await Client().Send(HttpMethod.Post, "/api/v1/slos/istio-checkout/observations",
            new { slices = new[] { new { start = T.AddMinutes(-2), end = T.AddMinutes(-1), good = 1, total = 1 } } });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("'history'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        // Only the pull (which filled the history as the SLO was defined) recorded slices.
        Assert.Contains(await Events("istio-checkout"), e => e is SliObserved);
        Assert.DoesNotContain(await Events("istio-checkout"), e => e is SliObserved { By: not SliPuller.Puller });
    }

    /// <summary>The share of the slice's requests answered within 100 ms, as a threshold SLI's query.</summary>
    private const string ShareWithin100 =
        "sum(rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\",destination_service_name=\"checkout\",le=\"100\"}[{{.window}}]))"
        + " / sum(rate(istio_request_duration_milliseconds_count{reporter=\"destination\",destination_service_name=\"checkout\"}[{{.window}}]))";

    /// <summary>
    /// The 5-minute slices from T-3h to the last scrape, each made by <paramref name="slice"/> from its end and its share of
    /// requests within 100 ms, computed here from the samples; none where a slice has fewer than two samples.
    /// </summary>
    private static List<ObservedSlice> FastShares(Func<DateTimeOffset, double, ObservedSlice> slice)
    {
        var samples = History();
        var step = TimeSpan.FromMinutes(5);
        var expected = new List<ObservedSlice>();
        for (var end = T.AddHours(-3) + step; end <= T.AddHours(2).AddMinutes(-2); end += step)
        {
            List<double> Values(string series) => samples.Where(x => x.Series == series && x.At >= end - step && x.At <= end).OrderBy(x => x.At).Select(x => x.Value).ToList();
            var (within, timed) = (Values(Within100), Values(Timed));
            if (timed.Count < 2) continue;
            expected.Add(slice(end, (within[^1] - within[0]) / (timed[^1] - timed[0])));
        }
        return expected;
    }

    [Fact]
    public async Task a_threshold_sli_judges_each_slice_of_its_own_length_by_its_value()
    {
        var response = await Client().Send(HttpMethod.Put, "/api/v1/slos/checkout-fast", new
        {
            name = "checkout-fast", service = "checkout", by = "alice", target = 0.9,
            sli = new { kind = "latency", thresholdQuery = ShareWithin100, op = "gte", value = 0.89, sliceLength = "5m", dataSource = "history", historyFrom = T.AddHours(-3) },
            window = new { kind = "rolling", duration = "1d" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Clock.SetUtcNow(T.AddHours(2));
        await PullAll();

        // Each 5-minute slice is one event: good when the share of requests within 100 ms over it is at least 0.89 (10 of
        // 11 a second until T-20m, 8 of 11 after), computed here from the samples; no data where a slice has fewer than
        // two samples (the scrape gap, after the last scrape).
        var expected = FastShares((end, share) => new ObservedSlice(end - TimeSpan.FromMinutes(5), end, 1, share >= 0.89 ? 1 : 0));
        Assert.Equal(expected, await Stored("checkout-fast"));
        Assert.Contains(expected, s => s.Good == 1);
        Assert.Contains(expected, s => s.Good == 0);

        var status = await Get<JsonElement>("/api/v1/slos/checkout-fast/status");
        Assert.Equal(expected.Count, status.GetProperty("sli").GetProperty("total").GetInt64());
        Assert.Equal(expected.Count(s => s.Good == 1), status.GetProperty("sli").GetProperty("good").GetInt64());

        // Threshold SLIs are judged by the service: no recording rules, and OpenSLO gives them back as a thresholdMetric.
        Assert.Equal(HttpStatusCode.Conflict, (await Client().GetAsync("/api/v1/slos/checkout-fast/prometheus-rules")).StatusCode);
        var openSlo = await (await Client().GetAsync("/api/v1/slos/checkout-fast/openslo")).Content.ReadAsStringAsync();
        Assert.Contains("thresholdMetric:", openSlo);
        Assert.Contains("op: gte", openSlo);
        Assert.Contains("sre.dev/slice-length: 5m", openSlo);
    }

    [Fact]
    public async Task an_openslo_raw_ratio_is_pulled_and_each_slice_counts_as_its_ratio()
    {
        var yaml = $$"""
            apiVersion: openslo/v1
            kind: SLO
            metadata:
              name: checkout-fast-share
              annotations:
                sre.dev/slice-length: 5m
                sre.dev/history-from: {{T.AddHours(-3):O}}
            spec:
              service: checkout
              indicator:
                metadata:
                  name: checkout-fast-share
                spec:
                  ratioMetric:
                    counter: false
                    rawType: success
                    raw:
                      metricSource:
                        metricSourceRef: history
                        type: Prometheus
                        spec:
                          query: {{JsonSerializer.Serialize(ShareWithin100)}}
              timeWindow:
                - duration: 1d
                  isRolling: true
              budgetingMethod: RatioTimeslices
              objectives:
                - target: 0.9
                  timeSliceWindow: 5m
            """;
        var response = await Client().PostAsync("/api/v1/slos/openslo", new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Clock.SetUtcNow(T.AddHours(2));
        await PullAll();

        // Each 5-minute slice is the query's ratio as a million events, its share good (10 of 11 a second until T-20m, 8 of
        // 11 after), computed here from the samples; no data where a slice has fewer than two samples.
        var expected = FastShares((end, share) =>
            new ObservedSlice(end - TimeSpan.FromMinutes(5), end, SliSpec.RawScale, (long)Math.Round(share * SliSpec.RawScale, MidpointRounding.AwayFromZero)));
        Assert.Equal(expected, await Stored("checkout-fast-share"));
        Assert.Equal(2, expected.Select(s => s.Good).Distinct().Count());
    }

    [Fact]
    public async Task history_prometheus_no_longer_holds_is_a_gap_and_the_status_says_how_much_had_no_data()
    {
        // A Prometheus that keeps two hours of data (it says so at /api/v1/status/runtimeinfo); the SLO asks for five.
        await using var shortRetention = await PrometheusWithHistory.Start(History(), _shortRetentionUrl, retention: "2h");
        await shortRetention.Ready(Http);
        Clock.SetUtcNow(T.AddHours(2));
        var slo = new
        {
            name = "checkout-kept", service = "checkout", by = "alice", target = 0.99,
            sli = new { kind = "availability", badQuery = Bad, totalQuery = Total, dataSource = "short", historyFrom = T.AddHours(-3) },
            window = new { kind = "rolling", duration = "1d" },
        };
        await Client().DefineSlo(slo);
        await PullAll();

        // Slices that ended before now - 2h are a gap, not asked for; from there every slice is as the samples give it.
        var events = await Events("checkout-kept");
        var gap = Assert.Single(events.OfType<SliGapRecorded>());
        Assert.Equal((T.AddHours(-3), T, "retention"), (gap.From, gap.To, gap.Reason));
        var samples = History();
        var expected = Enumerable.Range(1, 118).Select(i => T.AddMinutes(i)).Select(end => Expected(samples, end)).OfType<ObservedSlice>().ToList();
        Assert.Equal(expected, await Stored("checkout-kept"));

        // The status: the gap, and the share of the pulled span (T-3h to the last slice pulled, T+1h58m) with no data:
        // the gap and the hour after the last scrape.
        var source = (await Get<JsonElement>("/api/v1/slos/checkout-kept/status")).GetProperty("source");
        var span = (T.AddHours(2).AddMinutes(-2) - T.AddHours(-3)).TotalSeconds;
        var noData = span - expected.Count * 60;
        Assert.Equal(noData, source.GetProperty("noData").GetProperty("seconds").GetDouble());
        Assert.Equal(noData / span, source.GetProperty("noData").GetProperty("ratio").GetDouble(), 12);
        Assert.Equal("retention", source.GetProperty("gaps")[0].GetProperty("reason").GetString());
    }
}
