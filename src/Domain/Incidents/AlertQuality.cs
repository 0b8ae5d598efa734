using Sre.Domain.Slos.Alerting;

namespace Sre.Domain.Incidents;

/// <summary>
/// One alert rule (alertname) over a window: its notifications, occurrences and incidents, the triage counts and the
/// precision they give, the mean time to acknowledge and reset time (seconds); and <see cref="Measures"/>, the four
/// measures of the SRE workbook against the significant events (<see cref="SloAlertQuality"/>), or null when not computed.
/// </summary>
public sealed record AlertRuleQuality(
    string AlertName,
    int Notifications,
    int Occurrences,
    int Incidents,
    int Triaged,
    int Actionable,
    double? Precision,
    double? MeanSecondsToAcknowledge,
    double? MeanResetSeconds,
    AlertQualityRow? Measures = null);

/// <summary>
/// How good each alert rule is: precision is actionable / triaged occurrences; time to acknowledge runs from
/// the alert's start to the incident's acknowledgement; reset time from the incident's mitigation (else
/// resolution) to the alert's end. Noisiest rules first.
/// </summary>
public static class AlertQuality
{
    /// <summary>The rules of the incidents' alerts; alerts of other incidents are ignored.</summary>
    public static IReadOnlyList<AlertRuleQuality> Compute(IEnumerable<Incident> incidents, IEnumerable<IncidentAlert> alerts)
    {
        var byId = incidents.ToDictionary(i => i.Id);
        var rows = alerts.Where(a => byId.ContainsKey(a.IncidentId)).Select(a => (Incident: byId[a.IncidentId], Alert: a));
        return rows
            .GroupBy(r => r.Alert.AlertName)
            .Select(Rule)
            .OrderByDescending(q => q.Notifications)
            .ThenBy(q => q.Precision ?? 1.0)
            .ThenBy(q => q.AlertName, StringComparer.Ordinal)
            .ToList();
    }

    private static AlertRuleQuality Rule(IGrouping<string, (Incident Incident, IncidentAlert Alert)> rule)
    {
        var triaged = rule.Count(r => r.Alert.Verdict is not null);
        var actionable = rule.Count(r => r.Alert.Verdict == AlertVerdict.Actionable);
        var toAck = rule
            .Where(r => r.Incident.Acknowledged is not null)
            // An incident acknowledged before the alert started (a declared one, its alert late) took no time to acknowledge it.
            .Select(r => Math.Max(0, (r.Incident.Acknowledged!.At - r.Alert.StartsAt).TotalSeconds))
            .ToList();
        var reset = rule
            .Where(r => r.Alert.Status == AlertStatus.Resolved && r.Alert.EndsAt is not null)
            .Select(r => (End: r.Alert.EndsAt!.Value, Fixed: (r.Incident.Mitigated ?? r.Incident.Resolved)?.At))
            .Where(x => x.Fixed is not null)
            .Select(x => Math.Max(0, (x.End - x.Fixed!.Value).TotalSeconds))
            .ToList();

        return new AlertRuleQuality(
            rule.Key,
            rule.SelectMany(r => r.Alert.NotificationIds).Distinct().Count(),
            rule.Select(r => (r.Alert.Fingerprint, r.Alert.StartsAt)).Distinct().Count(),
            rule.Select(r => r.Incident.Id).Distinct().Count(),
            triaged,
            actionable,
            triaged == 0 ? null : (double)actionable / triaged,
            toAck.Count == 0 ? null : toAck.Average(),
            reset.Count == 0 ? null : reset.Average());
    }
}
