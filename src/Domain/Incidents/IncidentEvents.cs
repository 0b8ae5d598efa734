namespace Sre.Domain.Incidents;

// The incident stream: every change is a past-tense fact carrying who did it and when.
// The timeline of an incident is this stream, in order.

public interface IIncidentEvent
{
    DateTimeOffset At { get; }
    string By { get; }
}

public sealed record IncidentOpened(
    Guid IncidentId,
    string GroupKey,
    int Sequence,
    string Title,
    string Service,
    string Severity,
    Dictionary<string, string> Labels,
    string Receiver,
    string? ExternalUrl,
    DateTimeOffset At,
    string By) : IIncidentEvent;

/// <summary>
/// An incident that no alert opened, declared by a person (one reported by a customer, say): its title, service, severity,
/// labels, the SLOs it concerns, and when its impact started (<paramref name="ImpactStartedAt"/>, at or before
/// <paramref name="At"/>). It has no Alertmanager group until one is attached (<see cref="AlertGroupAttached"/>).
/// </summary>
public sealed record IncidentDeclared(
    Guid IncidentId,
    string Title,
    string Service,
    string Severity,
    Dictionary<string, string> Labels,
    IReadOnlyList<string> Slos,
    DateTimeOffset ImpactStartedAt,
    string? Description,
    DateTimeOffset At,
    string By) : IIncidentEvent;

/// <summary>
/// The notifications of the Alertmanager group <paramref name="GroupKey"/> go to this incident from now on.
/// <paramref name="Sequence"/>: the number of incidents the group had opened so far (the next one it opens is the one
/// after, <c>IncidentIds.For</c>). <paramref name="MergedIncidentId"/>: the group's own incident whose alert occurrences
/// moved here with it (<see cref="AlertOccurrenceMoved"/>, then <see cref="IncidentMerged"/> on that incident), or null.
/// </summary>
public sealed record AlertGroupAttached(string GroupKey, int Sequence, Guid? MergedIncidentId, DateTimeOffset At, string By) : IIncidentEvent;

/// <summary>
/// An alert occurrence of another incident (<paramref name="FromIncidentId"/>), merged into this one, as that incident
/// last knew it: its report, status, first notification, notifications and triage verdict.
/// </summary>
public sealed record AlertOccurrenceMoved(
    Guid FromIncidentId,
    AlertSnapshot Alert,
    AlertStatus Status,
    DateTimeOffset FirstNotifiedAt,
    IReadOnlyList<Guid> NotificationIds,
    AlertVerdict? Verdict,
    string? TriagedBy,
    DateTimeOffset At,
    string By) : IIncidentEvent;

/// <summary>
/// This incident, opened by the Alertmanager group <paramref name="GroupKey"/>, is the same problem as the incident
/// <paramref name="IntoIncidentId"/>: its alert occurrences and the group moved there. It is resolved by this, for good
/// (it cannot be reopened), and counts in no statistics or alert-quality measure: the other incident does.
/// </summary>
public sealed record IncidentMerged(Guid IntoIncidentId, string GroupKey, DateTimeOffset At, string By) : IIncidentEvent;

/// <summary>
/// An alert occurrence (fingerprint + startsAt) reported firing by a notification. <paramref name="FirstReport"/>: the
/// incident had no report of this occurrence before (true), or had one (false); null in events written before it was
/// recorded. The alert projection need not look for a document of a first report.
/// </summary>
public sealed record AlertFired(Guid NotificationId, AlertSnapshot Alert, DateTimeOffset At, string By, bool? FirstReport = null)
    : IIncidentEvent;

/// <summary>An alert occurrence reported resolved by a notification; <see cref="AlertFired.FirstReport"/> alike.</summary>
public sealed record AlertResolved(Guid NotificationId, AlertSnapshot Alert, DateTimeOffset At, string By, bool? FirstReport = null)
    : IIncidentEvent;

/// <summary>Alertmanager cut alerts from a notification (max_alerts): the incident may miss some.</summary>
public sealed record AlertsTruncated(Guid NotificationId, int Count, DateTimeOffset At, string By) : IIncidentEvent;

public sealed record IncidentAcknowledged(DateTimeOffset At, string By) : IIncidentEvent;

public sealed record IncidentMitigated(string? Note, DateTimeOffset At, string By) : IIncidentEvent;

public sealed record IncidentResolved(string? Note, DateTimeOffset At, string By) : IIncidentEvent;

public sealed record IncidentReopened(string? Reason, DateTimeOffset At, string By) : IIncidentEvent;

public sealed record IncidentNoteAdded(string Text, DateTimeOffset At, string By) : IIncidentEvent;

public sealed record IncidentSeverityChanged(string From, string To, DateTimeOffset At, string By) : IIncidentEvent;

public sealed record IncidentCommanderAssigned(string Commander, DateTimeOffset At, string By) : IIncidentEvent;

public sealed record PostmortemRecorded(
    string Link,
    string Summary,
    IReadOnlyList<ActionItem> ActionItems,
    DateTimeOffset At,
    string By) : IIncidentEvent;

public sealed record IncidentClosed(DateTimeOffset At, string By) : IIncidentEvent;

public sealed record AlertTriaged(
    string Fingerprint,
    DateTimeOffset StartsAt,
    AlertVerdict Verdict,
    DateTimeOffset At,
    string By) : IIncidentEvent;

/// <summary>The incident spent more than the policy allows of an SLO's budget: it cannot be closed without a postmortem.</summary>
public sealed record PostmortemRequired(string Slo, double BudgetSpent, DateTimeOffset At, string By) : IIncidentEvent;

public sealed record AlertSnapshot(
    string Fingerprint,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    Dictionary<string, string> Labels,
    Dictionary<string, string> Annotations,
    string? GeneratorUrl);

public sealed record ActionItem(string Title, string Priority, string? Owner = null, string? Link = null);

public enum AlertVerdict
{
    Actionable,
    Noise,
}

public static class Actors
{
    public const string Alertmanager = "alertmanager";
}
