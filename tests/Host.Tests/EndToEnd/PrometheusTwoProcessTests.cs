using Sre.Domain.Slos;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>
/// Two service processes on one database pulling the same SLOs from a real Prometheus (a known history around the real
/// now), each every second: every slice is stored once, as the samples give it, each budget event is recorded once, and
/// when one process is killed the other goes on pulling.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PrometheusTwoProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Slice = PullingServices.SliceLength;
    private static readonly string[] Slos = ["pulled-a", "pulled-b", "pulled-c", "pulled-d"];
    // The history: from ten minutes before the test to five minutes after it, so that new slices have data too.
    private readonly DateTimeOffset _from = Align(DateTimeOffset.UtcNow) - TimeSpan.FromMinutes(10);
    private PrometheusWithHistory _prometheus = null!;
    private PullingServices _services = null!;
    private readonly List<(string Url, ChildProcess Process)> _processes = [];

    private static DateTimeOffset Align(DateTimeOffset instant) => DateTimeOffset.UnixEpoch.AddTicks((instant - DateTimeOffset.UnixEpoch).Ticks / Slice.Ticks * Slice.Ticks);

    private static string Ok(string slo) => $"pulled_requests_total{{job=\"{slo}\",code=\"200\"}}";
    private static string Failed(string slo) => $"pulled_requests_total{{job=\"{slo}\",code=\"500\"}}";

    /// <summary>A sample every 5 s (so one on each slice's edges): 20 requests/s answered 200 for each SLO, and 500s, a different number for each.</summary>
    private List<PrometheusWithHistory.Sample> History()
    {
        var samples = new List<PrometheusWithHistory.Sample>();
        for (var s = 0; s < Slos.Length; s++)
        {
            double ok = 0, failed = 0;
            for (var (at, i) = (_from, 0); at <= _from + TimeSpan.FromMinutes(15); at = at.AddSeconds(5), i++)
            {
                samples.Add(new(Ok(Slos[s]), ok, at));
                samples.Add(new(Failed(Slos[s]), failed, at));
                ok += 100;
                failed += i % (s + 2) == 0 ? s + 1 : 0;
            }
        }
        return samples;
    }

    /// <summary>The slices of an SLO from the history's start through <paramref name="through"/>: each series' increase between the samples on the slice's edges.</summary>
    private List<ObservedSlice> Expected(string slo, DateTimeOffset through)
    {
        var samples = History().ToDictionary(s => (s.Series, s.At), s => s.Value);
        long Increase(string series, DateTimeOffset end) => (long)(samples[(series, end)] - samples[(series, end - Slice)]);
        var slices = new List<ObservedSlice>();
        for (var end = _from + Slice; end <= through; end += Slice)
        {
            var (ok, failed) = (Increase(Ok(slo), end), Increase(Failed(slo), end));
            slices.Add(new ObservedSlice(end - Slice, end, ok + failed, ok));
        }
        return slices;
    }

    public async Task InitializeAsync()
    {
        _prometheus = await PrometheusWithHistory.Start(History());
        _services = new PullingServices(_prometheus.Url);
        var started = new[] { _services.Start(), _services.Start() };
        await _prometheus.Ready(_services.Http);
        _processes.AddRange(await Task.WhenAll(started));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _prometheus.DisposeAsync();
    }

    /// <summary>Waits until every SLO has been pulled through a slice that ended at or after <paramref name="instant"/>.</summary>
    private Task PulledPast(DateTimeOffset instant, string what) =>
        Repository.Eventually(async () =>
        {
            foreach (var slo in Slos)
                if (PullingServices.PulledThrough(await _services.Events(slo)) is not { } through || through < Align(instant) + Slice) return false;
            return true;
        }, TimeSpan.FromSeconds(60), what);

    [Fact]
    public async Task two_processes_store_each_slice_once_and_the_survivor_goes_on_pulling_when_one_is_killed()
    {
        for (var i = 0; i < Slos.Length; i++)
            await _services.DefineSlo(_processes[i % 2].Url, new
            {
                name = Slos[i], service = "checkout", by = "alice", target = 0.99,
                sli = new
                {
                    kind = "availability", historyFrom = _from,
                    badQuery = $"sum(rate(pulled_requests_total{{job=\"{Slos[i]}\",code=~\"5..\"}}[{{{{.window}}}}]))",
                    totalQuery = $"sum(rate(pulled_requests_total{{job=\"{Slos[i]}\"}}[{{{{.window}}}}]))",
                },
                window = new { kind = "rolling", duration = "1h" },
            });
        // Each SLO is pulled every second by the process that owns its work partition: the history, then each new slice.
        await PulledPast(DateTimeOffset.UtcNow, "both processes pull the history and a new slice");

        _processes[0].Process.Kill();
        await PulledPast(DateTimeOffset.UtcNow, "the surviving process pulls a slice that ended after the other was killed");

        foreach (var slo in Slos)
        {
            var events = await _services.Events(slo);
            var slices = PullingServices.Slices(events);
            Assert.Equal(slices.Count, slices.DistinctBy(s => (s.Start, s.End)).Count());
            Assert.Equal(Expected(slo, PullingServices.PulledThrough(events)!.Value), slices.OrderBy(s => s.End));

            // Every SLO spends more than 2% of its hour's budget within the hour from its first slices on: one budget
            // event, recorded once whichever process evaluated, then extended, each extension replacing the one before.
            var recorded = Assert.Single(events.OfType<BudgetEventRecorded>());
            var chain = events.OfType<BudgetEventExtended>().Select(e => (e.Event, e.Extends)).ToList();
            Assert.All(chain.Zip(chain.Select(c => c.Event).Prepend(recorded.Event)), link => Assert.Equal(link.Second, Assert.Single(link.First.Extends)));
        }
    }
}
