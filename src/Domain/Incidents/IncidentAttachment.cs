namespace Sre.Domain.Incidents;

/// <summary>The incident an Alertmanager group's notifications go to now (its <c>AlertGroup</c>), with its alert occurrences.</summary>
public sealed record GroupIncident(Incident Incident, IReadOnlyList<IncidentAlert> Alerts);

/// <summary>
/// Attaching an Alertmanager group to an incident (a declared one, typically, whose alert arrived late): the group's
/// notifications go to that incident from then on. Pure: no I/O, no clock.
/// <list type="bullet">
/// <item>A group no incident took yet, or whose incident is over and began before the impact did (a past problem), is
/// attached as it is: its next notifications come here.</item>
/// <item>A group whose own incident (one it opened) began at or after the impact started (the target's
/// <see cref="Incident.ImpactStartedAt"/>, else its opening) is the same problem seen late: that incident is merged
/// here. Its occurrences move here as it knew them (first notification, status, verdict:
/// <see cref="AlertOccurrenceMoved"/>), and it is resolved as merged (<see cref="IncidentMerged"/>), unless it is closed
/// already: a closed incident stays as it was, and only the group is attached.</item>
/// <item>Refused (409): a target that is closed or merged; a group's own incident that has other groups attached; a group whose incident is still open and either began before
/// the impact (resolve it first) or is another incident the group was attached to.</item>
/// <item>A group already attached here: nothing to do.</item>
/// </list>
/// </summary>
public static class IncidentAttachment
{
    /// <param name="target">The incident to attach the group to.</param>
    /// <param name="groupKey">Alertmanager's groupKey.</param>
    /// <param name="groupSequence">How many incidents the group opened so far (0 for a group never seen).</param>
    /// <param name="current">The group's incident now, or null for a group never seen.</param>
    /// <param name="by">Who attaches it.</param>
    /// <param name="now">When.</param>
    public static Decision Attach(
        Incident target, string groupKey, int groupSequence, GroupIncident? current, string by, DateTimeOffset now)
    {
        if (target.Status == IncidentStatus.Closed || target.MergedInto is not null)
            return Decision.Refuse(target.MergedInto is { } into
                ? $"The incident was merged into {into}: attach the group there."
                : "An incident that is closed cannot take an alert group.");
        if (current is null) return Decision.Of(new AlertGroupAttached(groupKey, groupSequence, null, now, by));

        var other = current.Incident;
        if (other.Id == target.Id) return Decision.Of();
        var ownIncident = !other.Declared && other.GroupKey == groupKey;
        var sameProblem = ownIncident && other.OpenedAt >= (target.ImpactStartedAt ?? target.OpenedAt);
        if (sameProblem && other.AttachedGroups.Count > 0)
            return Decision.Refuse($"The group's incident {other.Id} has other groups attached; it cannot be merged.");
        if (sameProblem && other.Status != IncidentStatus.Closed) return Merge(target, groupKey, groupSequence, current, by, now);
        if (other.IsOpen)
            return Decision.Refuse(ownIncident
                ? $"The group's incident {other.Id} is open and began at {other.OpenedAt:O}, before this incident's impact: resolve it first."
                : $"The group's notifications go to the open incident {other.Id}.");
        return Decision.Of(new AlertGroupAttached(groupKey, groupSequence, null, now, by));
    }

    private static Decision Merge(Incident target, string groupKey, int groupSequence, GroupIncident merged, string by, DateTimeOffset now)
    {
        var from = merged.Incident;
        var events = new List<object> { new AlertGroupAttached(groupKey, groupSequence, from.Id, now, by) };
        events.AddRange(IncidentAlerts.Ordered(merged.Alerts).Select(a => new AlertOccurrenceMoved(
            from.Id, new AlertSnapshot(a.Fingerprint, a.StartsAt, a.EndsAt, a.Labels, a.Annotations, a.GeneratorUrl), a.Status,
            a.NotifiedAt, a.NotificationIds, a.Verdict, a.TriagedBy, now, by)));
        return new Decision(events, null, new StreamAppend(from.Id, from.Version, [new IncidentMerged(target.Id, groupKey, now, by)]));
    }
}
