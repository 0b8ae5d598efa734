using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Sre.Domain.Slos;
using Sre.Host.Slos.Prometheus;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Slos;

/// <summary>
/// Outages of either side, against a real Prometheus serving a known history: Prometheus stopped (the pull retries,
/// records no fault, and catches up once it is back) and the service stopped for an hour (caught up in one range, with
/// the numbers of an SLO that was pulled all along).
/// </summary>
public class PrometheusOutageTests(AppFixture fixture) : PrometheusPullContext(fixture)
{

    private const string Ok = "http_requests_total{job=\"checkout\",code=\"200\"}";
    private const string Failed = "http_requests_total{job=\"checkout\",code=\"500\"}";
    private const string Total = "sum(rate(http_requests_total{job=\"checkout\"}[{{.window}}]))";
    private const string Bad = "sum(rate(http_requests_total{job=\"checkout\",code=~\"5..\"}[{{.window}}]))";

    /// <summary>
    /// From T-1h to T+2h, a sample every 15 s: 10 requests/s answered 200; 500s at 0.5/s from T-30m to T-20m and at
    /// 2/s from T+20m to T+25m (so the burn rates of the hour move).
    /// </summary>
    private static IReadOnlyList<PrometheusWithHistory.Sample> History()
    {
        var samples = new List<PrometheusWithHistory.Sample>();
        double ok = 0, failed = 0;
        for (var at = T.AddHours(-1); at <= T.AddHours(2); at = at.AddSeconds(15))
        {
            samples.Add(new(Ok, ok, at));
            samples.Add(new(Failed, failed, at));
            ok += 150;
            if (at >= T.AddMinutes(-30) && at < T.AddMinutes(-20)) failed += 7.5;
            if (at >= T.AddMinutes(20) && at < T.AddMinutes(25)) failed += 30;
        }
        return samples;
    }

    /// <summary>The slices ending after <paramref name="from"/> up to <paramref name="through"/>, from the samples: each series' increase over the samples in [end - 1m, end].</summary>
    private static List<ObservedSlice> Expected(DateTimeOffset from, DateTimeOffset through)
    {
        var samples = History();
        long Increase(string series, DateTimeOffset end)
        {
            var values = samples.Where(s => s.Series == series && s.At >= end - Minute && s.At <= end).OrderBy(s => s.At).Select(s => s.Value).ToList();
            return (long)(values[^1] - values[0]);
        }
        var slices = new List<ObservedSlice>();
        for (var end = from + Minute; end <= through; end += Minute)
        {
            var (ok, failed) = (Increase(Ok, end), Increase(Failed, end));
            slices.Add(new ObservedSlice(end - Minute, end, ok + failed, ok));
        }
        return slices;
    }

    protected override IReadOnlyList<PrometheusWithHistory.Sample> Samples => History();

    private static object Pulled(string name) => new
    {
        name, service = "checkout", by = "alice", target = 0.99,
        sli = new { kind = "availability", badQuery = Bad, totalQuery = Total, dataSource = "history", historyFrom = T.AddHours(-1) },
        window = new { kind = "rolling", duration = "1d" },
    };

    /// <summary>
    /// A pull while Prometheus is down. The resilience pipeline waits its backoff on the service's clock (Polly takes the
    /// TimeProvider from the container): the clock moves a second at a time until the pull has given up.
    /// </summary>
    private async Task PullWhilePrometheusIsDown()
    {
        var sweep = Puller.SweepAll(CancellationToken.None);
        while (!sweep.IsCompleted)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(sweep, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }
        await sweep;
    }

    [Fact]
    public async Task prometheus_down_is_retried_records_no_fault_and_the_pull_after_it_returns_catches_up_every_slice_once()
    {
        await Client().DefineSlo(Pulled("outage"));
        await Client().DefineSlo(Pulled("outage-too"));
        Clock.SetUtcNow(T.AddMinutes(10));
        await PullAll();
        Assert.Equal(T.AddMinutes(8), (await Events("outage")).OfType<SliPulled>().Last().Through);
        var before = await Events("outage");

        Prometheus.Stop();
        var retries = Host.Services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>()
            .Get($"{PrometheusSetup.ClientName}-standard").Retry.MaxRetryAttempts;
        Assert.True(retries > 0);
        using (var attempts = new HttpAttempts(PrometheusUrl))
        {
            Clock.SetUtcNow(T.AddMinutes(20));
            await PullWhilePrometheusIsDown();
            // Each attempt of the pipeline was sent and refused: the first and every retry, then the pull gave up, and the
            // sweep did not ask the unreachable source again for the other SLO.
            Assert.Equal((1 + retries, 1 + retries), (attempts.Count, attempts.Failed));
            Clock.SetUtcNow(T.AddMinutes(21));
            await PullWhilePrometheusIsDown();
            Assert.Equal((2 * (1 + retries), 2 * (1 + retries)), (attempts.Count, attempts.Failed));
        }
        // Nothing recorded: no fault (the SLO stays pulled), no slice, no progress.
        Assert.Equal(before.Count, (await Events("outage")).Count);

        Prometheus.Restart();
        await Prometheus.Ready(Http);
        using var catchUp = new HttpAttempts(PrometheusUrl);
        Clock.SetUtcNow(T.AddMinutes(30));
        await PullAll();

        var events = await Events("outage");
        Assert.DoesNotContain(events, e => e is SliPullFaulted);
        Assert.Equal(T.AddMinutes(28), events.OfType<SliPulled>().Last().Through);
        Assert.Equal(Expected(T.AddHours(-1), T.AddMinutes(28)), await Stored("outage"));
        Assert.Equal(Expected(T.AddHours(-1), T.AddMinutes(28)), await Stored("outage-too"));
        // The catch-up took one range of each SLO (its two queries): the circuit breaker did not hold it back.
        Assert.Equal((4, 0), (catchUp.Count, catchUp.Failed));
    }

    [Fact]
    public async Task an_slo_defined_while_prometheus_is_down_asks_once_and_is_filled_by_the_next_pull()
    {
        Prometheus.Stop();
        using (var attempts = new HttpAttempts(PrometheusUrl))
        {
            // The pull the definition sets off asks once, without the backoff (no clock is moved here): the definition's
            // side effects settle, and nothing but the definition is recorded.
            await Client().DefineSlo(Pulled("defined-in-outage"));
            Assert.Equal((1, 1), (attempts.Count, attempts.Failed));
        }
        Assert.Single(await Events("defined-in-outage"));

        Prometheus.Restart();
        await Prometheus.Ready(Http);
        Clock.SetUtcNow(T.AddMinutes(10));
        await PullAll();
        Assert.Equal(Expected(T.AddHours(-1), T.AddMinutes(8)), await Stored("defined-in-outage"));
        Assert.DoesNotContain(await Events("defined-in-outage"), e => e is SliPullFaulted);
    }

    [Fact]
    public async Task an_slo_not_pulled_for_an_hour_is_caught_up_in_one_range_with_the_numbers_of_one_pulled_every_minute()
    {
        await Client().DefineSlo(Pulled("every-minute"));
        await Client().DefineSlo(Pulled("after-an-hour"));
        await PullAll();
        var pulledBefore = (await Events("after-an-hour")).OfType<SliPulled>().Count();

        // An hour in which one SLO is pulled every minute and the other is not pulled at all (the service was down).
        for (var minute = 1; minute <= 60; minute++)
        {
            Clock.SetUtcNow(T.AddMinutes(minute));
            await Host.Settled(() => Puller.Pull(SloIds.For("every-minute"), CancellationToken.None));
        }
        using var requests = new HttpAttempts(PrometheusUrl);
        await PullAll();

        // The hour is one range of both queries; the SLO pulled every minute had nothing left to pull.
        Assert.Equal(2, requests.Count);
        Assert.Equal(pulledBefore + 1, (await Events("after-an-hour")).OfType<SliPulled>().Count());
        var expected = Expected(T.AddHours(-1), T.AddMinutes(58));
        Assert.Equal(expected, await Stored("every-minute"));
        Assert.Equal(expected, await Stored("after-an-hour"));

        // Their numbers now, budget and burn rates, are the same.
        var (steady, caughtUp) = (await Get<JsonElement>("/api/v1/slos/every-minute/status"), await Get<JsonElement>("/api/v1/slos/after-an-hour/status"));
        foreach (var number in new[] { "sli", "budget", "burnRates", "timeToExhaustionSeconds", "noData" })
            Assert.Equal(steady.GetProperty(number).GetRawText(), caughtUp.GetProperty(number).GetRawText());
        Assert.Contains(steady.GetProperty("burnRates").EnumerateArray(), w => w.GetProperty("burnRate").ValueKind == JsonValueKind.Number && w.GetProperty("burnRate").GetDouble() > 1);
    }
}
