using Sre.Domain.Incidents;
using Sre.Domain.Time;
using static Sre.Domain.Tests.Given;

namespace Sre.Domain.Tests.Incidents;

public class StatisticsTests
{
    private static Incident Opened(int minutesAfterT0, string severity = "page") =>
        Triggered(severity) with { Id = Guid.NewGuid(), Opened = new Stamp(T0.AddMinutes(minutesAfterT0), "alertmanager") };

    private static Incident AckedAfter(Incident i, int minutes) =>
        i.With(IncidentLifecycle.Acknowledge(i, "alice", i.OpenedAt.AddMinutes(minutes)));

    private static Incident ResolvedAfter(Incident i, int minutes) =>
        i.With(IncidentLifecycle.Resolve(i, null, "alice", i.OpenedAt.AddMinutes(minutes)));

    [Fact]
    public void percentiles_interpolate_between_ranks()
    {
        var summary = DurationSummary.Of(new[] { 1, 2, 3, 4 }.Select(s => TimeSpan.FromSeconds(s)));
        Assert.Equal((4, 2.5, 2.5), (summary.Count, summary.MeanSeconds!.Value, summary.P50Seconds!.Value));
        Assert.Equal(3.7, summary.P90Seconds!.Value, 9);
    }

    [Fact]
    public void no_data_gives_null_figures_not_nan()
    {
        var summary = DurationSummary.Of([]);
        Assert.Equal(new DurationSummary(0, null, null, null), summary);
    }

    [Fact]
    public void mtta_counts_only_incidents_opened_in_the_window()
    {
        var incidents = new[]
        {
            AckedAfter(Opened(0), 2), AckedAfter(Opened(10, "ticket"), 4), ResolvedAfter(Opened(20), 30), AckedAfter(Opened(-100), 60),
        };
        var stats = IncidentStatistics.Compute("checkout", incidents, T0, T0.AddHours(1));

        Assert.Equal(3, stats.Incidents);
        Assert.Equal(new Dictionary<string, int> { ["page"] = 2, ["ticket"] = 1 }, stats.BySeverity);
        Assert.Equal(2, stats.OpenNow);
        Assert.Equal(2, stats.TimeToAcknowledge.Count);
        Assert.Equal(180, stats.TimeToAcknowledge.MeanSeconds);
        Assert.Equal((1, 1800.0), (stats.TimeToResolve.Count, stats.TimeToResolve.MeanSeconds!.Value));
    }

    [Fact]
    public void alert_quality_measures_precision_and_puts_noisiest_first()
    {
        var noisy = Ingest(new(), Notification(Alert("a", alertName: "DiskFull")), Notification(Alert("b", alertName: "DiskFull")))!;
        noisy = noisy.With(IncidentLifecycle.Triage(noisy.Alerts, "a", null, AlertVerdict.Noise, "alice", T0));
        noisy = noisy.With(IncidentLifecycle.Triage(noisy.Alerts, "b", null, AlertVerdict.Actionable, "alice", T0));
        var quiet = Ingest(new(), Notification(Alert("c", alertName: "Latency")))!;
        quiet = quiet with { Incident = quiet.Incident with { Id = Guid.NewGuid() } };
        quiet = quiet.With(IncidentLifecycle.Acknowledge(quiet.Incident, "bob", T0.AddMinutes(10)));
        var other = Ingest(new(), Notification(Alert("d", alertName: "Elsewhere")))!;
        other = other with { Incident = other.Incident with { Id = Guid.NewGuid() } };

        // Alerts of incidents outside the window (here: "other") do not count.
        var rules = AlertQuality.Compute([quiet.Incident, noisy.Incident], [.. quiet.Alerts, .. noisy.Alerts, .. other.Alerts]);

        Assert.Equal(["DiskFull", "Latency"], rules.Select(r => r.AlertName));
        Assert.Equal((2, 2, 1, 0.5), (rules[0].Notifications, rules[0].Occurrences, rules[0].Incidents, rules[0].Precision!.Value));
        Assert.Null(rules[1].Precision);
        Assert.Equal(600, rules[1].MeanSecondsToAcknowledge);
    }

    [Fact]
    public void reset_time_runs_from_mitigation_to_the_alert_end()
    {
        var incident = Ingest(new(), Notification(Alert("a")))!;
        incident = incident.With(IncidentLifecycle.Mitigate(incident.Incident, null, "alice", T0.AddMinutes(10)));
        incident = incident.With(Decision.Of(new AlertResolved(Guid.NewGuid(),
            new AlertSnapshot("a", T0, T0.AddMinutes(25), new() { ["alertname"] = "HighErrorRate" }, new(), null), T0.AddMinutes(26), "alertmanager")));
        Assert.Equal(15 * 60, Assert.Single(AlertQuality.Compute([incident.Incident], incident.Alerts)).MeanResetSeconds);
    }
}
