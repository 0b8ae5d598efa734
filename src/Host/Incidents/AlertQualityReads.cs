using Marten;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;

namespace Sre.Host.Incidents;

/// <summary>What the alert-quality measures are computed from, in a window: the SLOs in scope, the alerts and the significant events.</summary>
public sealed record AlertQualityInputs(
    IReadOnlyList<Slo> Slos, IReadOnlyList<NotifiedAlert> Alerts, IReadOnlyList<SignificantEvent> Events)
{
    /// <summary>The four measures of these inputs (<see cref="SloAlertQuality.Compute"/>).</summary>
    public AlertQualityMeasures Measure(TimeSpan grace) =>
        SloAlertQuality.Compute(Alerts, Events, Slos.Select(s => (s.Name, s.Service)).ToList(), grace);
}

/// <summary>
/// Reads the inputs of <see cref="SloAlertQuality"/> over a window, optionally for one service or one SLO.
/// <list type="bullet">
/// <item>Alerts: the occurrences of incidents first notified within the window (their resolution: Alertmanager's endsAt
/// of a resolved one; their triage); those of an incident merged into another are that one's and counted there.</item>
/// <item>Significant events: the budget events each SLO keeps (<see cref="Slo.BudgetEvents"/>) and the declared incidents
/// (<see cref="SignificantEvent.Of(Incident, DateTimeOffset)"/>) that overlap the window.</item>
/// <item>An alert concerns the SLO of its label <c>slo</c> and the service of its label <c>serviceLabel</c> (<c>Alertmanager:ServiceLabel</c>)
/// (else its incident's). <c>slo</c> keeps the SLO's events and the alerts that concern it or its service; <c>service</c>
/// the events of the service (or of its SLOs) and the alerts of the service or of its SLOs.</item>
/// </list>
/// </summary>
public static class AlertQualityReads
{
    /// <summary>An occurrence as the measures see it: its SLO (label <c>slo</c>), its service (label
    /// <paramref name="serviceLabel"/>, else its incident's), its first notification and its resolution.</summary>
    public static NotifiedAlert Notified(IncidentAlert a, Incident incident, string serviceLabel) => new(
        a.Id, a.AlertName, a.Labels.GetValueOrDefault(Incident.SloLabelName), a.Labels.GetValueOrDefault(serviceLabel) ?? incident.Service,
        a.NotifiedAt, a.Status == AlertStatus.Resolved ? a.EndsAt : null, a.Verdict, a.IncidentId);

    public static async Task<AlertQualityInputs> Load(
        IQuerySession session, DateTimeOffset from, DateTimeOffset to, string? service, string? slo, string serviceLabel, CancellationToken ct)
    {
        var sloQuery = session.Query<Slo>().AsQueryable();
        if (!string.IsNullOrEmpty(slo)) sloQuery = sloQuery.Where(s => s.Name == slo);
        if (!string.IsNullOrEmpty(service)) sloQuery = sloQuery.Where(s => s.Service == service);
        var slos = await sloQuery.ToListAsync(ct);

        // An alert first notified in the window changed its incident then: no incident that last changed before holds one.
        // A declared incident whose impact goes on may not have changed since.
        var incidents = await session.Query<Incident>()
            .Where(i => i.LastChange.At >= from || (i.Declared && i.Opened.At <= to && i.Resolved == null))
            .ToListAsync(ct);
        var byId = incidents.ToDictionary(i => i.Id);
        var counted = incidents.Where(i => i.MergedInto is null).Select(i => i.Id).ToArray();
        var occurrences = await session.Query<IncidentAlert>().Where(a => a.IncidentId.IsOneOf(counted)).ToListAsync(ct);
        bool InScope(string alertSlo, string alertService) =>
            (string.IsNullOrEmpty(slo) || slos.Any(s => alertSlo == s.Name || alertService == s.Service))
            && (string.IsNullOrEmpty(service) || alertService == service || slos.Any(s => alertSlo == s.Name));
        var alerts = occurrences
            .Where(a => a.NotifiedAt >= from && a.NotifiedAt <= to)
            .Select(a => Notified(a, byId[a.IncidentId], serviceLabel))
            .Where(a => InScope(a.Slo ?? "", a.Service))
            .ToList();

        var budgetEvents = slos.SelectMany(s => s.BudgetEvents.Where(e => e.End >= from && e.Start <= to).Select(e => SignificantEvent.Of(s.Name, s.Service, e)));
        var declared = incidents.Select(i => SignificantEvent.Of(i, to)).OfType<SignificantEvent>()
            .Where(e => e.End >= from && e.Start <= to)
            .Where(e => (string.IsNullOrEmpty(slo) || e.Slos.Contains(slo))
                && (string.IsNullOrEmpty(service) || e.Service == service || slos.Any(s => e.Slos.Contains(s.Name))));
        return new AlertQualityInputs(slos, alerts, [.. budgetEvents, .. declared]);
    }
}
