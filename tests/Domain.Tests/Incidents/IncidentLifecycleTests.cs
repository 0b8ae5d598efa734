using Sre.Domain.Incidents;
using static Sre.Domain.Tests.Given;

namespace Sre.Domain.Tests.Incidents;

public class IncidentLifecycleTests
{
    private static readonly DateTimeOffset Now = T0.AddMinutes(3);

    [Fact]
    public void triggered_incident_can_be_acknowledged_once()
    {
        var acked = Triggered().With(IncidentLifecycle.Acknowledge(Triggered(), "alice", Now));
        Assert.Equal((IncidentStatus.Acknowledged, "alice", Now), (acked.Status, acked.Acknowledged!.By, acked.Acknowledged.At));
        Assert.NotNull(IncidentLifecycle.Acknowledge(acked, "bob", Now).Refusal);
    }

    [Fact]
    public void lifecycle_runs_from_trigger_to_close()
    {
        var incident = Triggered("ticket");
        incident = incident.With(IncidentLifecycle.Acknowledge(incident, "alice", Now));
        incident = incident.With(IncidentLifecycle.Mitigate(incident, "rolled back", "alice", Now.AddMinutes(5)));
        incident = incident.With(IncidentLifecycle.Resolve(incident, null, "alice", Now.AddMinutes(20)));
        incident = incident.With(IncidentLifecycle.Close(incident, postmortemRequired: false, "alice", Now.AddDays(1)));
        Assert.Equal(IncidentStatus.Closed, incident.Status);
        Assert.Equal(Now.AddMinutes(5), incident.Mitigated!.At);
    }

    [Fact]
    public void mitigated_incident_cannot_be_acknowledged_or_mitigated_again()
    {
        var incident = Triggered();
        incident = incident.With(IncidentLifecycle.Mitigate(incident, null, "alice", Now));
        Assert.NotNull(IncidentLifecycle.Acknowledge(incident, "alice", Now).Refusal);
        Assert.NotNull(IncidentLifecycle.Mitigate(incident, null, "alice", Now).Refusal);
    }

    [Fact]
    public void only_a_resolved_incident_can_be_closed()
    {
        var refusal = IncidentLifecycle.Close(Triggered(), false, "alice", Now).Refusal;
        Assert.Equal("Only a resolved incident can be closed; this one is triggered.", refusal!.Reason);
    }

    [Fact]
    public void close_requires_a_postmortem_where_one_is_required()
    {
        var incident = Triggered();
        incident = incident.With(IncidentLifecycle.Resolve(incident, null, "alice", Now));
        Assert.NotNull(IncidentLifecycle.Close(incident, postmortemRequired: true, "alice", Now).Refusal);

        incident = incident.With(IncidentLifecycle.RecordPostmortem(incident, "https://wiki/pm/1", "Bad deploy",
            [new ActionItem("Add canary", "P0")], "alice", Now));
        Assert.Null(IncidentLifecycle.Close(incident, postmortemRequired: true, "alice", Now).Refusal);
    }

    [Fact]
    public void reopen_only_from_resolved_and_it_is_triggered_again()
    {
        var incident = Triggered();
        Assert.NotNull(IncidentLifecycle.Reopen(incident, "not over", "bob", Now).Refusal);
        incident = incident.With(IncidentLifecycle.Resolve(incident, null, "alice", Now));
        incident = incident.With(IncidentLifecycle.Reopen(incident, "not over", "bob", Now));
        Assert.Equal(IncidentStatus.Triggered, incident.Status);
        Assert.Null(incident.Resolved);
    }

    [Fact]
    public void closed_incident_takes_no_notes_severity_or_commander()
    {
        var incident = Triggered("ticket");
        incident = incident.With(IncidentLifecycle.Resolve(incident, null, "alice", Now));
        incident = incident.With(IncidentLifecycle.Close(incident, false, "alice", Now));
        Assert.NotNull(IncidentLifecycle.AddNote(incident, "late", "bob", Now).Refusal);
        Assert.NotNull(IncidentLifecycle.ChangeSeverity(incident, "page", "bob", Now).Refusal);
        Assert.NotNull(IncidentLifecycle.AssignCommander(incident, "carol", "bob", Now).Refusal);
    }

    [Fact]
    public void severity_change_records_from_and_to_and_refuses_no_change()
    {
        var incident = Triggered("ticket");
        var changed = Assert.IsType<IncidentSeverityChanged>(Assert.Single(IncidentLifecycle.ChangeSeverity(incident, "page", "bob", Now).Events));
        Assert.Equal(("ticket", "page"), (changed.From, changed.To));
        Assert.NotNull(IncidentLifecycle.ChangeSeverity(incident, "ticket", "bob", Now).Refusal);
    }

    [Fact]
    public void triage_marks_one_alert_or_all_and_skips_unchanged_verdicts()
    {
        var incident = Ingest(new(), Notification(Alert("fp1"), Alert("fp2")))!;
        incident = incident.With(IncidentLifecycle.Triage(incident.Alerts, "fp1", null, AlertVerdict.Noise, "alice", Now));
        Assert.Equal(AlertVerdict.Noise, incident.Alert("fp1", T0)!.Verdict);
        Assert.Null(incident.Alert("fp2", T0)!.Verdict);

        var all = IncidentLifecycle.Triage(incident.Alerts, null, null, AlertVerdict.Noise, "alice", Now);
        Assert.Equal("fp2", Assert.IsType<AlertTriaged>(Assert.Single(all.Events)).Fingerprint);
        Assert.NotNull(IncidentLifecycle.Triage(incident.Alerts, "nope", null, AlertVerdict.Noise, "alice", Now).Refusal);
    }
}
