using Sre.Domain.Alertmanager;
using Sre.Domain.Incidents;
using Sre.Domain.Slos.Alerting;
using static Sre.Domain.Tests.Given;

namespace Sre.Domain.Tests.Incidents;

/// <summary>Declared incidents (issue 23): a late alert's group attached, its incident merged, detection time.</summary>
public class DeclaredIncidentTests
{
    private static readonly Guid DeclaredId = new("0195f3a0-0000-7000-8000-000000000001");

    private static Incident Declared(DateTimeOffset impactStartedAt, DateTimeOffset at) => Incident.Create(new IncidentDeclared(
        DeclaredId, "Customers cannot pay", "checkout", "page", new() { ["team"] = "payments" }, ["checkout-availability"],
        impactStartedAt, "Reported by support", at, "alice")) with { Version = 1 };

    /// <summary>The alert-born incident of the group: one alert first notified at T0 (the Given notification time).</summary>
    private static Ingested GroupIncident() => Ingest(new(), Notification(Alert("a1", slo: "checkout-availability")))!;

    private static Incident Stored(Ingested ingested) => ingested.Incident with { Version = ingested.Events.Count };

    [Fact]
    public void a_group_whose_incident_began_after_the_impact_is_merged_with_its_occurrences_as_they_were()
    {
        var late = GroupIncident();
        var declared = Declared(T0.AddMinutes(-20), T0.AddMinutes(-5));

        var decision = IncidentAttachment.Attach(declared, GroupKey, late.Incident.Sequence, new GroupIncident(Stored(late), late.Alerts), "bob",
            T0.AddMinutes(10));

        Assert.Null(decision.Refusal);
        var attached = Assert.IsType<AlertGroupAttached>(decision.Events[0]);
        Assert.Equal((GroupKey, 1, late.Incident.Id), (attached.GroupKey, attached.Sequence, attached.MergedIncidentId));
        var moved = Assert.IsType<AlertOccurrenceMoved>(Assert.Single(decision.Events.Skip(1)));
        Assert.Equal(("a1", T0, AlertStatus.Firing), (moved.Alert.Fingerprint, moved.FirstNotifiedAt, moved.Status));
        var also = decision.Also!;
        Assert.Equal((late.Incident.Id, late.Events.Count), (also.StreamId, also.Version));
        Assert.Equal(new IncidentMerged(DeclaredId, GroupKey, T0.AddMinutes(10), "bob"), Assert.Single(also.Events));

        var after = IncidentEvolution.Fold(declared, decision.Events);
        Assert.Equal(T0, after.FirstAlertAt);
        Assert.Equal(new Dictionary<string, int> { [GroupKey] = 1 }, after.AttachedGroups);
        Assert.Equal([late.Incident.Id], after.MergedIncidents);
        var alert = Assert.Single(IncidentAlerts.Fold(DeclaredId, decision.Events));
        Assert.Equal((DeclaredId, T0), (alert.IncidentId, alert.NotifiedAt));
        Assert.Equal(late.Alerts[0].NotificationIds, alert.NotificationIds);

        var merged = IncidentEvolution.Fold(late.Incident, also.Events);
        Assert.Equal((IncidentStatus.Resolved, DeclaredId), (merged.Status, merged.MergedInto));
        Assert.NotNull(IncidentLifecycle.Reopen(merged, null, "bob", T0.AddMinutes(11)).Refusal);
    }

    [Fact]
    public void the_groups_next_notifications_go_to_the_declared_incident_which_its_alerts_never_resolve()
    {
        var late = GroupIncident();
        var declared = Declared(T0.AddMinutes(-20), T0.AddMinutes(-5));
        var decision = IncidentAttachment.Attach(declared, GroupKey, 1, new GroupIncident(Stored(late), late.Alerts), "bob", T0.AddMinutes(10));
        var now = new Ingested(IncidentEvolution.Fold(declared, decision.Events), decision.Events);

        var resolved = now.Then(Notification(Alert("a1", "resolved", endsAt: T0.AddMinutes(30))));

        Assert.Equal(AlertStatus.Resolved, resolved.Alert("a1", T0)!.Status);
        Assert.Equal(IncidentStatus.Triggered, resolved.Incident.Status);
        Assert.DoesNotContain(resolved.Events, e => e is IncidentResolved);
    }

    [Fact]
    public void once_the_declared_incident_is_over_the_group_opens_its_next_incident_in_sequence()
    {
        var late = GroupIncident();
        var declared = Declared(T0.AddMinutes(-20), T0.AddMinutes(-5));
        var decision = IncidentAttachment.Attach(declared, GroupKey, 1, new GroupIncident(Stored(late), late.Alerts), "bob", T0.AddMinutes(10));
        var over = IncidentEvolution.Fold(declared, [.. decision.Events, new IncidentResolved(null, T0.AddMinutes(40), "alice")]);

        var next = IncidentIds.For(GroupKey, over.SequenceIn(GroupKey) + 1);
        var changes = AlertIngestion.Decide(over, AlertBook.Of(IncidentAlerts.Fold(DeclaredId, decision.Events)),
            Notification(Alert("a2", startsAt: T0.AddHours(2))), new IngestOptions(), T0.AddHours(2), next);

        var opened = Assert.IsType<IncidentOpened>(Assert.Single(changes, c => c.Opens).Events[0]);
        Assert.Equal((2, IncidentIds.For(GroupKey, 2)), (opened.Sequence, opened.IncidentId));
    }

    [Fact]
    public void a_group_never_seen_or_whose_past_incident_is_over_is_attached_without_a_merge()
    {
        var declared = Declared(T0.AddMinutes(20), T0.AddMinutes(25));
        var unseen = IncidentAttachment.Attach(declared, GroupKey, 0, null, "bob", T0.AddMinutes(30));
        Assert.Equal(new AlertGroupAttached(GroupKey, 0, null, T0.AddMinutes(30), "bob"), Assert.Single(unseen.Events));

        var past = GroupIncident().With(IncidentLifecycle.Resolve(GroupIncident().Incident, null, "carol", T0.AddMinutes(5)));
        var attached = IncidentAttachment.Attach(declared, GroupKey, 1, new GroupIncident(Stored(past), past.Alerts), "bob", T0.AddMinutes(30));
        Assert.Equal(new AlertGroupAttached(GroupKey, 1, null, T0.AddMinutes(30), "bob"), Assert.Single(attached.Events));
        Assert.Null(attached.Also);
    }

    [Fact]
    public void refused_for_an_open_incident_that_began_before_the_impact_another_open_incident_or_a_closed_target()
    {
        var early = GroupIncident();
        var declared = Declared(T0.AddMinutes(20), T0.AddMinutes(25));
        Assert.Contains("resolve it first",
            IncidentAttachment.Attach(declared, GroupKey, 1, new GroupIncident(Stored(early), early.Alerts), "bob", T0.AddMinutes(30)).Refusal!.Reason);

        var otherDeclared = Declared(T0, T0) with { Id = Guid.NewGuid() };
        Assert.Contains("open incident",
            IncidentAttachment.Attach(declared, GroupKey, 1, new GroupIncident(otherDeclared, []), "bob", T0.AddMinutes(30)).Refusal!.Reason);

        var closed = declared with { Status = IncidentStatus.Closed };
        Assert.NotNull(IncidentAttachment.Attach(closed, GroupKey, 0, null, "bob", T0.AddMinutes(30)).Refusal);

        var again = IncidentAttachment.Attach(declared, GroupKey, 1, new GroupIncident(declared, []), "bob", T0.AddMinutes(30));
        Assert.Equal((0, (Refusal?)null), (again.Events.Count, again.Refusal));
    }

    [Fact]
    public void detection_time_runs_from_the_impact_to_the_first_alert_and_merged_incidents_count_once()
    {
        var detected = Declared(T0.AddMinutes(-10), T0.AddMinutes(-5)) with { FirstAlertAt = T0 };
        var undetected = Declared(T0.AddMinutes(-30), T0.AddMinutes(-1)) with { Id = Guid.NewGuid() };
        var merged = Stored(GroupIncident()) with { Id = Guid.NewGuid(), MergedInto = DeclaredId };

        var stats = IncidentStatistics.Compute("checkout", [detected, undetected, merged], T0.AddHours(-1), T0.AddHours(1));

        Assert.Equal(2, stats.Incidents);
        Assert.Equal(new DetectionStats(2, 1, 1, Sre.Domain.Time.DurationSummary.Of([TimeSpan.FromMinutes(10)])), stats.Detection);
    }

    [Fact]
    public void a_declared_incident_is_a_significant_event_its_attached_alerts_detect_whenever_they_came()
    {
        var declared = Declared(T0, T0.AddMinutes(5)) with
        {
            Mitigated = new Stamp(T0.AddMinutes(30), "alice"), Slos = ["checkout-availability"],
        };
        var e = SignificantEvent.Of(declared, T0.AddHours(5))!;
        Assert.Equal((T0, T0.AddMinutes(30), true), (e.Start, e.End, e.Over));
        NotifiedAlert Alert(string id, string service, int minute, Guid? incident = null) =>
            new(id, "CheckoutErrors", null, service, T0.AddMinutes(minute), T0.AddMinutes(minute + 40), null, incident);
        var alerts = new[]
        {
            Alert("attached-late", "edge", 200, DeclaredId), // hours after the grace, but attached: it counts
            Alert("same-service", "checkout", 20),
            Alert("elsewhere", "search", 20),
        };

        var row = SloAlertQuality.Row("all", alerts, [e], TimeSpan.FromHours(1));

        Assert.Equal(new PrecisionMeasure(2.0 / 3, 3, 2, new PrecisionEvidence(0, 0, 2), 0, 1), row.Precision);
        Assert.Equal(new RecallMeasure(1.0, 1, 1, new EventCount(0, 0), new EventCount(1, 1)), row.Recall);
        // Detection: the first matching notification, 20 minutes after the impact; reset: the last one's end (minute 240)
        // after the mitigation (minute 30).
        Assert.Equal(new SecondsSummary(1, 1200, 1200, 1200), row.DetectionSeconds);
        Assert.Equal(new SecondsSummary(1, 12600, 12600, 12600), row.ResetSeconds);
    }

    [Fact]
    public void an_open_declared_incident_has_no_reset_time_and_an_incident_an_alert_opened_is_no_significant_event()
    {
        var open = SignificantEvent.Of(Declared(T0, T0), T0.AddHours(1))!;
        Assert.Equal((T0.AddHours(1), false), (open.End, open.Over));
        var row = SloAlertQuality.Row("all",
            [new NotifiedAlert("a", "CheckoutErrors", null, "checkout", T0.AddMinutes(1), T0.AddMinutes(2), null)], [open], TimeSpan.Zero);
        Assert.Equal((1, 0), (row.DetectionSeconds.Count, row.ResetSeconds.Count));

        Assert.Null(SignificantEvent.Of(GroupIncident().Incident, T0));
    }

    [Fact]
    public void a_group_attached_back_to_an_incident_it_opened_numbers_its_next_incident_after_the_latest()
    {
        // The group opened #1 (resolved), then #2; attached to #1, which merges #2: its next incident is #3, not #2 again.
        var first = GroupIncident();
        var resolved = first.With(IncidentLifecycle.Resolve(first.Incident, null, "carol", T0.AddMinutes(5)));
        var second = Ingest(new(), Notification(Alert("a2", startsAt: T0.AddMinutes(10))))! with { };
        var secondIncident = Stored(second) with { Id = IncidentIds.For(GroupKey, 2), Sequence = 2, Opened = new Stamp(T0.AddMinutes(10), "alertmanager") };

        var decision = IncidentAttachment.Attach(Stored(resolved), GroupKey, 2, new GroupIncident(secondIncident, second.Alerts), "bob", T0.AddMinutes(20));
        Assert.Null(decision.Refusal);
        var after = IncidentEvolution.Fold(resolved.Incident, decision.Events);

        Assert.Equal(2, after.SequenceIn(GroupKey));
    }

    [Fact]
    public void an_incident_merged_into_another_takes_no_triage()
    {
        var merged = GroupIncident();
        var incident = merged.Incident with { MergedInto = DeclaredId };
        Assert.Contains("merged", IncidentLifecycle.Triage(merged.Alerts, null, null, AlertVerdict.Noise, "bob", T0, incident).Refusal!.Reason);
    }
}
