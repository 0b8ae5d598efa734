using Sre.Domain.Alertmanager;
using Sre.Domain.Incidents;
using static Sre.Domain.Tests.Given;

namespace Sre.Domain.Tests.Alertmanager;

public class AlertIngestionTests
{
    private static readonly IngestOptions Options = new();
    private static readonly Guid NewId = Guid.NewGuid();

    [Fact]
    public void first_firing_alert_opens_an_incident_named_after_its_summary()
    {
        var changes = Decide(null, Notification(Alert("fp1", slo: "checkout-availability")), Options, NewId);

        var change = Assert.Single(changes);
        Assert.True(change.Opens);
        var opened = Assert.IsType<IncidentOpened>(change.Events[0]);
        Assert.Equal(("Checkout error ratio above 2%", "checkout", "page", 1), (opened.Title, opened.Service, opened.Severity, opened.Sequence));
        var incident = new Given.Ingested(IncidentEvolution.Fold(null, change.Events), change.Events);
        Assert.Equal(["checkout-availability"], incident.Incident.Slos);
        Assert.Equal(AlertStatus.Firing, Assert.Single(incident.Alerts).Status);
    }

    [Fact]
    public void title_falls_back_to_alertname_and_service()
    {
        var n = Notification(Alert("fp1")) with { CommonAnnotations = new() };
        var opened = (IncidentOpened)Decide(null, n, Options, NewId)[0].Events[0];
        Assert.Equal("HighErrorRate on checkout", opened.Title);
    }

    [Fact]
    public void service_and_severity_come_from_the_configured_label_names()
    {
        var alert = Alert("fp1") with { Labels = new() { ["alertname"] = "X", ["app"] = "cart", ["priority"] = "P1" } };
        var n = Notification(alert) with { CommonLabels = new(), GroupLabels = new() };
        var options = new IngestOptions { ServiceLabel = "app", SeverityLabel = "priority" };
        var opened = (IncidentOpened)Decide(null, n, options, NewId)[0].Events[0];
        Assert.Equal(("cart", "P1"), (opened.Service, opened.Severity));
    }

    [Fact]
    public void duplicate_notification_appends_nothing()
    {
        var n = Notification(Alert("fp1"), Alert("fp2"));
        var incident = Ingest(Options, n);
        Assert.Empty(Decide(incident, n with { NotificationId = Guid.NewGuid() }, Options, NewId));
    }

    [Fact]
    public void new_alert_of_the_group_joins_the_open_incident()
    {
        var incident = Ingest(Options, Notification(Alert("fp1")));
        var change = Assert.Single(Decide(incident, Notification(Alert("fp1"), Alert("fp2")), Options, NewId));
        Assert.False(change.Opens);
        Assert.Equal(incident!.Incident.Id, change.IncidentId);
        Assert.IsType<AlertFired>(Assert.Single(change.Events));
    }

    [Fact]
    public void alert_events_tell_whether_they_are_the_first_report_of_their_occurrence()
    {
        var opening = Assert.Single(Decide(null, Notification(Alert("fp1")), Options, NewId));
        Assert.True(Assert.Single(opening.Events.OfType<AlertFired>()).FirstReport);

        var incident = Ingest(Options, Notification(Alert("fp1")));
        var change = Assert.Single(Decide(incident, Notification(Alert("fp1", "resolved"), Alert("fp2"), Alert("fp3", "resolved")), Options, NewId));
        Assert.Equal(
            [("fp1", false), ("fp2", true), ("fp3", true)],
            change.Events.Select(e => e switch
            {
                AlertFired f => (f.Alert.Fingerprint, f.FirstReport),
                AlertResolved r => (r.Alert.Fingerprint, r.FirstReport),
                _ => ("other", null),
            }).Where(x => x.Item1 != "other").OrderBy(x => x.Item1).Select(x => (x.Item1, x.Item2!.Value)).ToList());
    }

    [Fact]
    public void same_fingerprint_with_a_new_start_is_a_new_occurrence()
    {
        var incident = Ingest(Options, Notification(Alert("fp1")), Notification(Alert("fp1", startsAt: T0.AddHours(1))));
        Assert.Equal(2, incident!.Alerts.Count);
    }

    [Fact]
    public void every_alert_resolved_resolves_the_incident_as_alertmanager()
    {
        var incident = Ingest(Options, Notification(Alert("fp1"), Alert("fp2")),
            Notification(Alert("fp1", "resolved", endsAt: T0.AddMinutes(5)), Alert("fp2", "resolved", endsAt: T0.AddMinutes(6))))!;
        Assert.Equal(IncidentStatus.Resolved, incident.Incident.Status);
        Assert.Equal(Actors.Alertmanager, incident.Incident.Resolved!.By);
    }

    [Fact]
    public void some_alerts_resolved_leave_the_incident_open()
    {
        var incident = Ingest(Options, Notification(Alert("fp1"), Alert("fp2")), Notification(Alert("fp1", "resolved"), Alert("fp2")))!;
        Assert.Equal(IncidentStatus.Triggered, incident.Incident.Status);
        Assert.Equal(AlertStatus.Resolved, incident.Alert("fp1", T0)!.Status);
    }

    [Fact]
    public void auto_resolve_can_be_switched_off()
    {
        var options = Options with { AutoResolve = false };
        var incident = Ingest(options, Notification(Alert("fp1")), Notification(Alert("fp1", "resolved")))!;
        Assert.Equal(IncidentStatus.Triggered, incident.Incident.Status);
        Assert.All(incident.Alerts, a => Assert.Equal(AlertStatus.Resolved, a.Status));
    }

    [Fact]
    public void firing_alert_after_the_incident_was_resolved_opens_a_new_incident()
    {
        var first = Ingest(Options, Notification(Alert("fp1")), Notification(Alert("fp1", "resolved")))!;
        var changes = Decide(first, Notification(Alert("fp1", startsAt: T0.AddHours(2))), Options,
            IncidentIds.For(GroupKey, 2));

        var change = Assert.Single(changes);
        Assert.True(change.Opens);
        Assert.Equal(IncidentIds.For(GroupKey, 2), change.IncidentId);
        Assert.Equal(2, ((IncidentOpened)change.Events[0]).Sequence);
    }

    [Fact]
    public void repeated_resolved_notification_after_resolution_appends_nothing()
    {
        var resolved = Notification(Alert("fp1", "resolved"));
        var incident = Ingest(Options, Notification(Alert("fp1")), resolved);
        Assert.Empty(Decide(incident, resolved, Options, NewId));
    }

    [Fact]
    public void resolved_alert_never_seen_firing_is_still_recorded()
    {
        var incident = Ingest(Options, Notification(Alert("fp9", "resolved")))!;
        Assert.Equal(AlertStatus.Resolved, Assert.Single(incident.Alerts).Status);
        Assert.Equal(IncidentStatus.Resolved, incident.Incident.Status);
    }

    [Fact]
    public void truncated_alerts_are_recorded_once_per_count()
    {
        var n = Notification(3, Alert("fp1"));
        var incident = Ingest(Options, n)!;
        Assert.Equal(3, incident.Incident.TruncatedAlerts);
        Assert.Empty(Decide(incident, n, Options, NewId));
        var more = Assert.Single(Decide(incident, Notification(5, Alert("fp1")), Options, NewId));
        Assert.IsType<AlertsTruncated>(Assert.Single(more.Events));
    }

    [Fact]
    public void a_late_firing_of_a_resolved_occurrence_changes_nothing()
    {
        var firing = Notification(Alert("a1"));
        var resolved = Notification(Alert("a1", "resolved", endsAt: T0.AddMinutes(10)));
        var incident = Ingest(Options, firing, resolved)!;

        // An HA peer's or a retried delivery of the first notification arrives after the resolution.
        Assert.Empty(Decide(incident, firing with { NotificationId = Guid.NewGuid() }, Options, NewId));
        var alert = incident.Alert("a1", T0)!;
        Assert.Equal((AlertStatus.Resolved, T0.AddMinutes(10)), (alert.Status, alert.EndsAt));
    }

    [Fact]
    public void a_late_firing_beside_news_keeps_the_resolved_occurrence_resolved()
    {
        var incident = Ingest(Options, Notification(Alert("a1"), Alert("a2")),
            Notification(Alert("a1", "resolved", endsAt: T0.AddMinutes(10)), Alert("a2")))!;

        // A stale a1 firing rides along with a2's resolution: a2 resolves, a1 stays resolved, so the incident resolves.
        var after = incident.Then(Notification(Alert("a1"), Alert("a2", "resolved", endsAt: T0.AddMinutes(12))));
        Assert.Equal(AlertStatus.Resolved, after.Alert("a1", T0)!.Status);
        Assert.Equal(T0.AddMinutes(10), after.Alert("a1", T0)!.EndsAt);
        Assert.Equal(IncidentStatus.Resolved, after.Incident.Status);
    }

    [Fact]
    public void the_fold_keeps_a_resolved_occurrence_resolved_whatever_events_follow()
    {
        // Events written before the webhook ignored stale firings still fold to the later fact.
        var id = Guid.NewGuid();
        var snapshot = new AlertSnapshot("a1", T0, null, new() { ["alertname"] = "X" }, new(), null);
        var alerts = IncidentAlerts.Fold(id, [
            new AlertFired(Guid.NewGuid(), snapshot, T0, "alertmanager"),
            new AlertResolved(Guid.NewGuid(), snapshot with { EndsAt = T0.AddMinutes(10) }, T0.AddMinutes(10), "alertmanager"),
            new AlertFired(Guid.NewGuid(), snapshot, T0.AddMinutes(11), "alertmanager"),
        ]);
        var alert = Assert.Single(alerts);
        Assert.Equal((AlertStatus.Resolved, T0.AddMinutes(10), 3), (alert.Status, alert.EndsAt, alert.NotificationIds.Count));
    }

    [Fact]
    public void a_truncated_resolved_notification_does_not_resolve_the_incident()
    {
        var incident = Ingest(Options, Notification(3, Alert("fp1")), Notification(3, Alert("fp1", "resolved")))!;
        Assert.Equal(AlertStatus.Resolved, incident.Alert("fp1", T0)!.Status);
        Assert.Equal(IncidentStatus.Triggered, incident.Incident.Status);
    }

    [Fact]
    public void a_later_notification_that_is_not_truncated_resolves_the_incident()
    {
        var incident = Ingest(Options, Notification(3, Alert("fp1")), Notification(3, Alert("fp1", "resolved")))!;

        var after = incident.Then(Notification(0, Alert("fp1", "resolved")));
        Assert.Equal(0, after.Incident.TruncatedAlerts);
        Assert.Equal(IncidentStatus.Resolved, after.Incident.Status);
        // Its repeat brings nothing.
        Assert.Empty(Decide(after, Notification(0, Alert("fp1", "resolved")), Options, NewId));
    }

    [Fact]
    public void a_notification_that_is_not_truncated_but_shows_a_firing_alert_leaves_the_incident_open()
    {
        var incident = Ingest(Options, Notification(3, Alert("fp1")), Notification(3, Alert("fp1", "resolved")))!;
        var after = incident.Then(Notification(0, Alert("fp1", "resolved"), Alert("fp2")));
        Assert.Equal(IncidentStatus.Triggered, after.Incident.Status);
    }

    [Fact]
    public void a_late_copy_that_ends_a_truncation_but_shows_a_firing_alert_does_not_resolve()
    {
        // N1: a firing; N2: a resolved, c firing, one alert cut; then a late copy of N1 (a firing, nothing cut). The
        // webhook reads every firing occurrence only for a notification that resolves one, so its book holds a alone.
        var n1 = Notification(Alert("a"));
        var incident = Ingest(Options, n1, Notification(1, Alert("a", "resolved"), Alert("c")))!;
        var partial = AlertBook.Of(incident.Alerts.Where(a => a.Fingerprint == "a"));

        var changes = AlertIngestion.Decide(incident.Incident, partial, n1 with { NotificationId = Guid.NewGuid() }, Options, T0, NewId);

        Assert.DoesNotContain(changes.SelectMany(c => c.Events), e => e is IncidentResolved);
    }

    [Fact]
    public void incident_ids_are_name_based_uuids_of_group_and_sequence()
    {
        // Expected values from Python's uuid.uuid5 with the same namespace.
        Assert.Equal(Guid.Parse("5d9c7961-59c6-5b3f-96ae-bcf132af19ae"), IncidentIds.For("{}:{alertname=\"X\"}", 1));
        Assert.Equal(Guid.Parse("a47fa0fd-0d53-5507-a04a-dedcd290380f"), IncidentIds.For("{}:{alertname=\"X\"}", 2));
    }
}
