using Sre.Domain.Incidents;

namespace Sre.Host.Ui.Incidents;

/// <summary>
/// The kinds the incident page's timeline filters by: alerts (fired, resolved, triaged, moved, attached), status
/// changes (opened, declared, acknowledged, mitigated, resolved, reopened, merged, closed), notes (notes and the
/// postmortem), other changes (severity, commander, postmortem required) and the service's deployments.
/// </summary>
public static class TimelineKinds
{
    public const string Alerts = "alerts", Status = "status", Notes = "notes", Changes = "changes", Deployments = "deployments";
    public static readonly string[] All = [Alerts, Status, Notes, Changes, Deployments];

    public static string Of(string eventType) => eventType switch
    {
        nameof(AlertFired) or nameof(AlertResolved) or nameof(AlertTriaged) or nameof(AlertsTruncated)
            or nameof(AlertOccurrenceMoved) or nameof(AlertGroupAttached) => Alerts,
        nameof(IncidentNoteAdded) or nameof(PostmortemRecorded) => Notes,
        nameof(IncidentSeverityChanged) or nameof(IncidentCommanderAssigned) or nameof(PostmortemRequired) => Changes,
        _ => Status,
    };

    /// <summary>The kinds a URL asks for (<c>?kind=alerts&amp;kind=notes</c>); none named is every kind.</summary>
    public static IReadOnlySet<string> Chosen(IEnumerable<string?> asked)
    {
        var chosen = asked.OfType<string>().Where(k => All.Contains(k)).ToHashSet();
        return chosen.Count == 0 ? All.ToHashSet() : chosen;
    }
}
