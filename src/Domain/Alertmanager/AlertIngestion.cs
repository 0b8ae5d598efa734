using Sre.Domain.Incidents;

namespace Sre.Domain.Alertmanager;

/// <summary>Events for one incident stream: a new stream when <see cref="Opens"/>, else an append.</summary>
public sealed record IncidentChange(Guid IncidentId, bool Opens, IReadOnlyList<object> Events);

/// <summary>
/// Turns a notification into incident events. An alert occurrence is its fingerprint + startsAt:
/// an occurrence already known with the same status brings nothing, so Alertmanager's repeats and
/// retries append nothing. New occurrences join the group's open incident; when the group has none,
/// a firing one opens a new incident. What is known of the current incident's alerts comes as an
/// <see cref="AlertBook"/>: the occurrences the notification names and, when it resolves any, every firing one.
/// </summary>
public static class AlertIngestion
{
    public static IReadOnlyList<IncidentChange> Decide(
        Incident? current, AlertBook alerts, AlertNotification n, IngestOptions options, DateTimeOffset now, Guid newIncidentId)
    {
        var toCurrent = new List<object>();
        var unknown = new List<ReceivedAlert>();
        foreach (var alert in n.Alerts)
        {
            var known = current is null ? null : alerts.StatusOf(alert.Fingerprint, alert.StartsAt);
            if (known is null) unknown.Add(alert);
            else if (IncidentAlerts.After(known, StatusOf(alert)) != known) toCurrent.Add(AlertEvent(n, alert, now, firstReport: false));
        }

        var opensNew = unknown.Count > 0 && current is not { IsOpen: true } && (current is null || unknown.Any(a => a.IsFiring));
        if (!opensNew) toCurrent.AddRange(unknown.Select(a => AlertEvent(n, a, now, firstReport: true)));

        var changes = new List<IncidentChange>();
        if (current is not null)
        {
            var events = Finish(current, alerts, toCurrent, n, options, now, truncationHere: !opensNew);
            if (events.Count > 0) changes.Add(new IncidentChange(current.Id, false, events));
        }
        if (opensNew)
        {
            var opened = Open(n, unknown, options, now, newIncidentId, (current?.SequenceIn(n.GroupKey) ?? 0) + 1);
            var events = Finish(Incident.Create(opened), AlertBook.Empty, unknown.Select(a => AlertEvent(n, a, now, firstReport: true)).ToList(), n, options, now, true);
            changes.Add(new IncidentChange(newIncidentId, true, [opened, .. events]));
        }
        return changes;
    }

    private static List<object> Finish(
        Incident before, AlertBook alerts, List<object> events, AlertNotification n, IngestOptions options, DateTimeOffset now,
        bool truncationHere)
    {
        // A count of 0 after a truncated notification is recorded too: it is what lets the group resolve.
        if (truncationHere && before.TruncatedAlerts != n.TruncatedAlerts)
            events.Add(new AlertsTruncated(n.NotificationId, n.TruncatedAlerts, now, n.By));
        // A declared incident is resolved by the people who declared it, not by its alerts.
        if (events.Count == 0 || !options.AutoResolve || before.Declared) return events;

        if (before.IsOpen && ShowsEveryAlert(before, n, events) && alerts.With(events).NoneFiring)
            events.Add(new IncidentResolved("Alertmanager reported every alert resolved.", now, n.By));
        return events;
    }

    /// <summary>
    /// Whether the notification is evidence that the group's alerts are all known: it is not truncated (Alertmanager
    /// computes a truncated notification's status from the alerts it kept, so the ones cut may still fire), and it
    /// brought news: an alert resolved, or the end of a truncation with every alert it shows resolved. (A late copy of
    /// an earlier notification that ends a truncation but shows an alert firing is no evidence; and a notification that
    /// resolves an alert makes the webhook read every firing occurrence of the incident, which the book then holds.)
    /// </summary>
    private static bool ShowsEveryAlert(Incident before, AlertNotification n, List<object> events) =>
        n.TruncatedAlerts == 0
        && (events.Any(e => e is AlertResolved) || (before.TruncatedAlerts > 0 && n.Alerts.All(a => !a.IsFiring)));

    private static IncidentOpened Open(
        AlertNotification n, List<ReceivedAlert> alerts, IngestOptions options, DateTimeOffset now, Guid id, int sequence)
    {
        string? Label(string name) =>
            n.CommonLabels.GetValueOrDefault(name)
            ?? n.GroupLabels.GetValueOrDefault(name)
            ?? alerts.Select(a => a.Labels.GetValueOrDefault(name)).FirstOrDefault(v => !string.IsNullOrEmpty(v));

        var service = Label(options.ServiceLabel) ?? "unknown";
        var severity = Label(options.SeverityLabel) ?? "unknown";
        var alertName = Label("alertname") ?? "alert";
        var title = n.CommonAnnotations.GetValueOrDefault("summary") is { Length: > 0 } summary
            ? summary
            : $"{alertName} on {service}";
        var labels = n.CommonLabels.Count > 0 ? n.CommonLabels : n.GroupLabels;
        return new IncidentOpened(id, n.GroupKey, sequence, title, service, severity, labels, n.Receiver, n.ExternalUrl, now,
            n.By);
    }

    private static AlertStatus StatusOf(ReceivedAlert a) => a.IsFiring ? AlertStatus.Firing : AlertStatus.Resolved;

    private static object AlertEvent(AlertNotification n, ReceivedAlert a, DateTimeOffset now, bool firstReport)
    {
        var snapshot = new AlertSnapshot(a.Fingerprint, a.StartsAt, a.EndsAt, a.Labels, a.Annotations, a.GeneratorUrl);
        return a.IsFiring
            ? new AlertFired(n.NotificationId, snapshot, now, n.By, firstReport)
            : new AlertResolved(n.NotificationId, snapshot, now, n.By, firstReport);
    }
}
