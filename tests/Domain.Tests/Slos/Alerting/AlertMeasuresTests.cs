using Sre.Domain.Slos.Alerting;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos.Alerting;

public class AlertMeasuresTests
{
    private static DateTimeOffset At(int minutes) => Defined.AddMinutes(minutes);

    private static BudgetEvent Event(int start, int end) => new(At(start), At(end), 10, 0.05, At(start - 60), At(end + 60));

    private static BacktestAlert Alert(int start, int? end) => new("page", "page:1h/5m", At(start), end is { } e ? At(e) : null);

    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(30);

    [Fact]
    public void an_alert_counts_when_it_starts_between_the_events_start_and_its_end_plus_the_grace_both_included()
    {
        var e = Event(100, 200);
        Assert.False(AlertMeasures.Matches(Alert(99, 300), e, Grace));
        Assert.True(AlertMeasures.Matches(Alert(100, 300), e, Grace));
        Assert.True(AlertMeasures.Matches(Alert(230, 300), e, Grace));
        Assert.False(AlertMeasures.Matches(Alert(231, 300), e, Grace));
    }

    [Fact]
    public void an_alert_matching_two_events_counts_once_in_precision_and_for_each_event()
    {
        // Events 100–200 and 220–240; the alert at 225 matches both (225 ≤ 200 + 30), the one at 50 neither.
        var measures = AlertMeasures.Of([Alert(50, 60), Alert(110, 150), Alert(225, 300)], [Event(100, 200), Event(220, 240)], Grace);

        Assert.Equal((3, 2, 2.0 / 3), (measures.Alerts, measures.SignificantAlerts, measures.Precision!.Value));
        Assert.Equal((2, 2, 1.0), (measures.Events, measures.DetectedEvents, measures.Recall));
        // Detection: 110 − 100 = 10 and 225 − 220 = 5. Reset: the last end of each event's alerts, 300 − 200 and 300 − 240.
        Assert.Equal(new DurationSummary(2, TimeSpan.FromMinutes(7.5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)), measures.Detection);
        Assert.Equal(new DurationSummary(2, TimeSpan.FromMinutes(80), TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(100)), measures.Reset);
    }

    [Fact]
    public void an_alert_ending_before_the_event_resets_in_no_time_and_one_still_firing_leaves_no_reset_time()
    {
        var ended = AlertMeasures.Of([Alert(110, 150)], [Event(100, 200)], Grace);
        Assert.Equal(TimeSpan.Zero, ended.Reset.Mean);

        var firing = AlertMeasures.Of([Alert(110, 150), Alert(120, null)], [Event(100, 200)], Grace);
        Assert.Equal((1, DurationSummary.None), (firing.DetectedEvents, firing.Reset));
    }

    [Fact]
    public void an_event_no_alert_caught_lowers_recall_and_has_no_detection_time()
    {
        var measures = AlertMeasures.Of([Alert(110, 150)], [Event(100, 200), Event(1000, 1100)], Grace);
        Assert.Equal((0.5, 1), (measures.Recall, measures.Detection.Count));
    }

    [Fact]
    public void percentiles_are_by_nearest_rank()
    {
        var tenValues = DurationSummary.Of(Enumerable.Range(1, 10).Select(i => TimeSpan.FromMinutes(i)));
        Assert.Equal((TimeSpan.FromMinutes(5.5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(9)), (tenValues.Mean!.Value, tenValues.P50!.Value, tenValues.P90!.Value));
        Assert.Equal(DurationSummary.None, DurationSummary.Of([]));
    }
}
