using Sre.Host.Slos;
using Sre.Host.Slos.Prometheus;

namespace Sre.Host.Tests.Slos;

/// <summary>Which SLOs the periodic evaluation leaves to their pull.</summary>
public class SloSweepTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly PrometheusOptions Prometheus = new(); // lag 2m (two 1m scrapes), a pull every minute
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(0, false, true)]
    [InlineData(4, false, true)] // the lag, a pull interval and a 1m slice
    [InlineData(5, false, false)] // the pull fell behind: the sweep evaluates
    [InlineData(1, true, false)] // faulted: not pulled any more
    public void a_pulled_slo_that_keeps_up_is_evaluated_by_its_pull(int minutesBehind, bool faulted, bool byPull) =>
        Assert.Equal(byPull, SloSweep.EvaluatedByItsPull(Now.AddMinutes(-minutesBehind), faulted, null, Now, Prometheus, Minute));

    [Fact]
    public void a_pushed_slo_is_always_swept() => Assert.False(SloSweep.EvaluatedByItsPull(null, false, null, Now, Prometheus, Minute));

    [Fact]
    public void an_slo_pulled_less_often_than_the_sweep_runs_stays_in_the_sweep()
    {
        // Slices of 5 minutes: the pull advances every 5 minutes, the windows slide every minute.
        Assert.False(SloSweep.EvaluatedByItsPull(Now.AddMinutes(-2), false, TimeSpan.FromMinutes(5), Now, Prometheus, Minute));
        Assert.True(SloSweep.EvaluatedByItsPull(Now.AddMinutes(-7), false, TimeSpan.FromMinutes(5), Now, Prometheus, TimeSpan.FromMinutes(5)));
        // A source configured with longer slices counts for SLIs that give none.
        var longer = new PrometheusOptions { Sources = { ["slow"] = new PrometheusSource { SliceLength = TimeSpan.FromMinutes(5) } } };
        Assert.False(SloSweep.EvaluatedByItsPull(Now.AddMinutes(-2), false, null, Now, longer, Minute));
    }
}
