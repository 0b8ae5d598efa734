namespace Sre.Domain.Incidents;

/// <summary>A command refused by the rules of the incident's current state (HTTP 409).</summary>
public sealed record Refusal(string Reason);

/// <summary>
/// The decisions of the incident lifecycle: triggered → acknowledged → mitigated → resolved → closed.
/// Each takes the current state and answers the events to append, or a refusal. Pure: no I/O, no clock.
/// </summary>
public static class IncidentLifecycle
{
    public static Decision Acknowledge(Incident incident, string by, DateTimeOffset now) =>
        incident.Status == IncidentStatus.Triggered
            ? Decision.Of(new IncidentAcknowledged(now, by))
            : Refuse(incident, "acknowledged");

    public static Decision Mitigate(Incident incident, string? note, string by, DateTimeOffset now) =>
        incident.Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged
            ? Decision.Of(new IncidentMitigated(note, now, by))
            : Refuse(incident, "mitigated");

    public static Decision Resolve(Incident incident, string? note, string by, DateTimeOffset now) =>
        incident.IsOpen
            ? Decision.Of(new IncidentResolved(note, now, by))
            : Refuse(incident, "resolved");

    /// <summary>Reopens a resolved incident; one merged into another stays resolved (its alerts are the other's now).</summary>
    public static Decision Reopen(Incident incident, string? reason, string by, DateTimeOffset now) =>
        incident.MergedInto is { } into
            ? Decision.Refuse($"The incident was merged into {into} and cannot be reopened.")
            : incident.Status == IncidentStatus.Resolved
                ? Decision.Of(new IncidentReopened(reason, now, by))
                : Refuse(incident, "reopened");

    public static Decision AddNote(Incident incident, string text, string by, DateTimeOffset now) =>
        incident.Status != IncidentStatus.Closed
            ? Decision.Of(new IncidentNoteAdded(text, now, by))
            : Refuse(incident, "annotated");

    public static Decision ChangeSeverity(Incident incident, string severity, string by, DateTimeOffset now)
    {
        if (incident.Status == IncidentStatus.Closed) return Refuse(incident, "changed");
        return incident.Severity == severity
            ? Decision.Refuse($"The incident's severity is already '{severity}'.")
            : Decision.Of(new IncidentSeverityChanged(incident.Severity, severity, now, by));
    }

    public static Decision AssignCommander(Incident incident, string commander, string by, DateTimeOffset now) =>
        incident.Status != IncidentStatus.Closed
            ? Decision.Of(new IncidentCommanderAssigned(commander, now, by))
            : Refuse(incident, "assigned");

    public static Decision RecordPostmortem(
        Incident incident, string link, string summary, IReadOnlyList<ActionItem> items, string by, DateTimeOffset now) =>
        incident.Status != IncidentStatus.Closed
            ? Decision.Of(new PostmortemRecorded(link, summary, items, now, by))
            : Refuse(incident, "given a postmortem");

    public static Decision Close(Incident incident, bool postmortemRequired, string by, DateTimeOffset now)
    {
        if (incident.Status != IncidentStatus.Resolved)
            return Decision.Refuse($"Only a resolved incident can be closed; this one is {Lower(incident.Status)}.");
        if (postmortemRequired && incident.Postmortem is null)
            return Decision.Refuse($"A {incident.Severity} incident needs a postmortem before it is closed.");
        if (incident.PostmortemRequiredFor is { } why && incident.Postmortem is null)
            return Decision.Refuse($"The incident {why}: it needs a postmortem before it is closed.");
        return Decision.Of(new IncidentClosed(now, by));
    }

    /// <summary>Triage one alert occurrence, or every alert of the incident when <paramref name="fingerprint"/> is null.</summary>
    public static Decision Triage(
        IReadOnlyList<IncidentAlert> alerts, string? fingerprint, DateTimeOffset? startsAt, AlertVerdict verdict, string by, DateTimeOffset now,
        Incident? incident = null)
    {
        if (incident?.MergedInto is { } into)
            return Decision.Refuse($"The incident was merged into {into}: its alerts are triaged there.");
        var targets = alerts
            .Where(a => fingerprint is null || (a.Fingerprint == fingerprint && (startsAt is null || a.StartsAt == startsAt)))
            .ToList();
        if (targets.Count == 0)
            return Decision.Refuse(fingerprint is null
                ? "The incident has no alerts to triage."
                : $"The incident has no alert with fingerprint '{fingerprint}'" + (startsAt is null ? "." : $" starting at {startsAt:O}."));
        return Decision.Of(targets
            .Where(a => a.Verdict != verdict)
            .Select(a => (object)new AlertTriaged(a.Fingerprint, a.StartsAt, verdict, now, by))
            .ToArray());
    }

    private static Decision Refuse(Incident incident, string verb) =>
        Decision.Refuse($"An incident that is {Lower(incident.Status)} cannot be {verb}.");

    private static string Lower(IncidentStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>Events for another incident's stream, appended in the same transaction, expecting that stream at <see cref="Version"/>.</summary>
public sealed record StreamAppend(Guid StreamId, long Version, IReadOnlyList<object> Events);

/// <summary>
/// The outcome of a decision: events to append (possibly none), or a refusal; and, for a decision that changes a second
/// incident too (a merge), that incident's events (<see cref="Also"/>).
/// </summary>
public sealed record Decision(IReadOnlyList<object> Events, Refusal? Refusal, StreamAppend? Also = null)
{
    public static Decision Of(params object[] events) => new(events, null);
    public static Decision Refuse(string reason) => new([], new Refusal(reason));
}
