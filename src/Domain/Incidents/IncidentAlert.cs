namespace Sre.Domain.Incidents;

/// <summary>
/// One alert occurrence (fingerprint + startsAt) of one incident: its latest report, every notification that brought
/// it and its triage verdict. Kept apart from <see cref="Incident"/> so that an incident of thousands of alerts costs
/// a notification no more than an incident of one. <see cref="FirstNotifiedAt"/>: when the first notification of it arrived
/// (null in documents written before it was kept: <see cref="NotifiedAt"/> then takes Alertmanager's startsAt).
/// </summary>
public sealed record IncidentAlert(
    string Id,
    Guid IncidentId,
    string Fingerprint,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    AlertStatus Status,
    Dictionary<string, string> Labels,
    Dictionary<string, string> Annotations,
    string? GeneratorUrl,
    IReadOnlyList<Guid> NotificationIds,
    AlertVerdict? Verdict = null,
    string? TriagedBy = null,
    DateTimeOffset? FirstNotifiedAt = null)
{
    public string AlertName => Labels.GetValueOrDefault("alertname", "");

    /// <summary>When it was first notified: the detection instant of the alert-quality measures.</summary>
    public DateTimeOffset NotifiedAt => FirstNotifiedAt ?? StartsAt;
}

/// <summary>How the alert events of an incident stream make its <see cref="IncidentAlert"/>s.</summary>
public static class IncidentAlerts
{
    public static string IdOf(Guid incidentId, string fingerprint, DateTimeOffset startsAt) =>
        $"{incidentId:N}:{fingerprint}:{startsAt.UtcTicks}";

    /// <summary>The occurrence an alert event concerns, or null for the incident's other events.</summary>
    public static string? IdOf(Guid incidentId, object @event) => @event switch
    {
        AlertFired e => IdOf(incidentId, e.Alert.Fingerprint, e.Alert.StartsAt),
        AlertResolved e => IdOf(incidentId, e.Alert.Fingerprint, e.Alert.StartsAt),
        AlertTriaged e => IdOf(incidentId, e.Fingerprint, e.StartsAt),
        AlertOccurrenceMoved e => IdOf(incidentId, e.Alert.Fingerprint, e.Alert.StartsAt),
        _ => null,
    };

    /// <summary>
    /// The status of an occurrence after a report of it. Resolved is final: a firing report of a resolved occurrence
    /// is a stale delivery (an HA peer's, a retry) and cannot undo the later fact; a rule that fires again does so
    /// with a new startsAt, which is a new occurrence.
    /// </summary>
    public static AlertStatus After(AlertStatus? known, AlertStatus reported) =>
        known == AlertStatus.Resolved ? AlertStatus.Resolved : reported;

    /// <summary>
    /// The occurrence after one of its events: a report replaces what the alert says and adds its notification,
    /// except that a resolved occurrence stays as it was resolved (<see cref="After"/>); the verdict stays until the
    /// next triage. A triage of an occurrence never reported changes nothing.
    /// </summary>
    public static IncidentAlert? Evolve(IncidentAlert? alert, Guid incidentId, object @event) => @event switch
    {
        AlertFired e when alert is { Status: AlertStatus.Resolved } => alert with { NotificationIds = [.. alert.NotificationIds, e.NotificationId] },
        AlertFired e => Report(alert, incidentId, e.Alert, AlertStatus.Firing, e.NotificationId, e.At),
        AlertResolved e => Report(alert, incidentId, e.Alert, AlertStatus.Resolved, e.NotificationId, e.At),
        AlertTriaged e when alert is not null => alert with { Verdict = e.Verdict, TriagedBy = e.By },
        AlertOccurrenceMoved e => Moved(alert, incidentId, e),
        _ => alert,
    };

    /// <summary>Every occurrence of an incident from its events, ordered by start then fingerprint (as the API lists them).</summary>
    public static IReadOnlyList<IncidentAlert> Fold(Guid incidentId, IEnumerable<object> events) => Fold([], incidentId, events);

    /// <summary>The occurrences after more of the incident's events.</summary>
    public static IReadOnlyList<IncidentAlert> Fold(IEnumerable<IncidentAlert> before, Guid incidentId, IEnumerable<object> events)
    {
        var alerts = before.ToDictionary(a => a.Id);
        foreach (var e in events)
            if (IdOf(incidentId, e) is { } id && Evolve(alerts.GetValueOrDefault(id), incidentId, e) is { } alert)
                alerts[id] = alert;
        return Ordered(alerts.Values);
    }

    public static IReadOnlyList<IncidentAlert> Ordered(IEnumerable<IncidentAlert> alerts) =>
        alerts.OrderBy(a => a.StartsAt).ThenBy(a => a.Fingerprint, StringComparer.Ordinal).ToList();

    /// <summary>
    /// An occurrence moved from a merged incident: as that incident knew it, joined with what this one already knew of it
    /// (its notifications, the earlier first notification, resolved if either is, the verdict given here if any).
    /// </summary>
    private static IncidentAlert Moved(IncidentAlert? alert, Guid incidentId, AlertOccurrenceMoved e)
    {
        var a = e.Alert;
        var status = IncidentAlerts.After(alert?.Status, e.Status);
        var first = alert?.FirstNotifiedAt is { } known && known < e.FirstNotifiedAt ? known : e.FirstNotifiedAt;
        return new IncidentAlert(IdOf(incidentId, a.Fingerprint, a.StartsAt), incidentId, a.Fingerprint, a.StartsAt,
            alert is { Status: AlertStatus.Resolved } ? alert.EndsAt : a.EndsAt, status, a.Labels, a.Annotations,
            a.GeneratorUrl, [.. (alert?.NotificationIds ?? []).Concat(e.NotificationIds).Distinct()], alert?.Verdict ?? e.Verdict,
            alert?.Verdict is null ? e.TriagedBy : alert.TriagedBy, first);
    }

    private static IncidentAlert Report(
        IncidentAlert? alert, Guid incidentId, AlertSnapshot a, AlertStatus status, Guid notificationId, DateTimeOffset at) =>
        new(IdOf(incidentId, a.Fingerprint, a.StartsAt), incidentId, a.Fingerprint, a.StartsAt, a.EndsAt, status, a.Labels, a.Annotations,
            a.GeneratorUrl, [.. alert?.NotificationIds ?? [], notificationId], alert?.Verdict, alert?.TriagedBy,
            alert is null ? at : alert.FirstNotifiedAt);
}

/// <summary>
/// What a webhook decision knows of an incident's alerts: the status of each occurrence it was given. Given the
/// occurrences a notification names, it tells which are new; given also every firing one, whether all are resolved.
/// </summary>
public sealed record AlertBook(IReadOnlyDictionary<(string Fingerprint, DateTimeOffset StartsAt), AlertStatus> Known)
{
    public static readonly AlertBook Empty = new(new Dictionary<(string, DateTimeOffset), AlertStatus>());

    public static AlertBook Of(IEnumerable<IncidentAlert> alerts) =>
        new(alerts.DistinctBy(a => a.Id).ToDictionary(a => (a.Fingerprint, a.StartsAt), a => a.Status));

    public AlertStatus? StatusOf(string fingerprint, DateTimeOffset startsAt) =>
        Known.TryGetValue((fingerprint, startsAt), out var status) ? status : null;

    public bool NoneFiring => Known.Values.All(s => s == AlertStatus.Resolved);

    /// <summary>The book after the incident's new events.</summary>
    public AlertBook With(IEnumerable<object> events)
    {
        var known = new Dictionary<(string, DateTimeOffset), AlertStatus>(Known);
        foreach (var e in events)
        {
            if (e is AlertFired f)
            {
                var key = (f.Alert.Fingerprint, f.Alert.StartsAt);
                known[key] = IncidentAlerts.After(known.TryGetValue(key, out var before) ? before : null, AlertStatus.Firing);
            }
            else if (e is AlertResolved r) known[(r.Alert.Fingerprint, r.Alert.StartsAt)] = AlertStatus.Resolved;
            else if (e is AlertOccurrenceMoved m)
            {
                var key = (m.Alert.Fingerprint, m.Alert.StartsAt);
                known[key] = IncidentAlerts.After(known.TryGetValue(key, out var before) ? before : null, m.Status);
            }
        }
        return new AlertBook(known);
    }
}
