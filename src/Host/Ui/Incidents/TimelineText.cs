using Sre.Domain.Incidents;

namespace Sre.Host.Ui.Incidents;

/// <summary>One line a person reads for each event of an incident's timeline (the API's timeline gives the same event in full).</summary>
public static class TimelineText
{
    public static string Of(object data) => data switch
    {
        IncidentOpened e => $"Opened: {e.Title} ({e.Severity}, {e.Service})",
        IncidentDeclared e => $"Declared: {e.Title} ({e.Severity}, {e.Service})",
        AlertFired e => $"Alert firing: {Alert(e.Alert)}",
        AlertResolved e => $"Alert resolved: {Alert(e.Alert)}",
        AlertTriaged e => $"Alert {e.Fingerprint} triaged as {e.Verdict.ToString().ToLowerInvariant()}",
        AlertsTruncated e => $"{e.Count} alerts of a notification left out (Alertmanager truncated it)",
        AlertOccurrenceMoved e => $"Alert moved here: {Alert(e.Alert)}",
        AlertGroupAttached e => $"Alert group attached: {e.GroupKey}",
        IncidentMerged e => $"Merged into incident {e.IntoIncidentId}",
        IncidentAcknowledged => "Acknowledged",
        IncidentMitigated e => e.Note is { Length: > 0 } n ? $"Mitigated: {n}" : "Mitigated",
        IncidentResolved e => e.Note is { Length: > 0 } n ? $"Resolved: {n}" : "Resolved",
        IncidentReopened e => e.Reason is { Length: > 0 } r ? $"Reopened: {r}" : "Reopened",
        IncidentNoteAdded e => e.Text,
        IncidentSeverityChanged e => $"Severity {e.From} → {e.To}",
        IncidentCommanderAssigned e => $"Incident commander: {e.Commander}",
        PostmortemRecorded e => $"Postmortem: {e.Summary} ({e.Link})",
        PostmortemRequired e => $"Postmortem required: spent {SloText.Percent(e.BudgetSpent, 1)} of the budget of SLO '{e.Slo}'",
        IncidentClosed => "Closed",
        _ => data.GetType().Name,
    };

    private static string Alert(AlertSnapshot alert) =>
        $"{alert.Labels.GetValueOrDefault("alertname", alert.Fingerprint)} {string.Join(", ", alert.Labels.Where(l => l.Key != "alertname").Select(l => $"{l.Key}={l.Value}"))}";
}
