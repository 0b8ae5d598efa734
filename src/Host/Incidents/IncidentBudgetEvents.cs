using Marten;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;

namespace Sre.Host.Incidents;

/// <summary>
/// A budget event an incident counts for (<c>budgetEvents</c> of <c>GET /api/v1/incidents/{id}</c>): the SLO, the event
/// (start, end, bad units, share of the period's budget spent), whether the incident itself counts for it (opened within
/// it, <see cref="SloAlertQuality.Counts"/>) and which of its alert occurrences do (<see cref="SloAlertQuality.Matches"/>).
/// </summary>
public sealed record IncidentBudgetEvent(
    string Slo, DateTimeOffset Start, DateTimeOffset End, decimal Bad, double Spent, bool ByIncident, IReadOnlyList<string> Alerts);

/// <summary>
/// The budget events of the SLOs an incident concerns (its own, and its service's) that it or its alerts count for; with
/// <c>asOf</c> (an incident read as it was then), the budget events recorded by then (the SLOs' recorded and extended
/// events up to that instant, by the time each carries).
/// </summary>
public static class IncidentBudgetEvents
{
    public static async Task<IReadOnlyList<IncidentBudgetEvent>> For(
        IQuerySession session, Incident incident, IReadOnlyList<IncidentAlert> alerts, string serviceLabel, DateTimeOffset? asOf,
        CancellationToken ct)
    {
        if (incident.MergedInto is not null) return [];
        var names = incident.Slos.ToArray();
        var slos = (await session.Query<Slo>().Where(s => s.Service == incident.Service || s.Name.IsOneOf(names)).ToListAsync(ct)).ToList();
        var notified = alerts.Select(a => AlertQualityReads.Notified(a, incident, serviceLabel)).ToList();
        if (asOf is { } instant)
            for (var i = 0; i < slos.Count; i++)
            {
                var then = new Slo();
                foreach (var e in await session.Events.FetchStreamAsync(slos[i].Id, token: ct))
                    then = e.Data switch
                    {
                        BudgetEventRecorded r when r.At <= instant => then.Apply(r),
                        BudgetEventExtended x when x.At <= instant => then.Apply(x),
                        _ => then,
                    };
                slos[i] = slos[i] with { BudgetEvents = then.BudgetEvents };
            }
        var grace = AlertMeasures.DefaultGrace;
        return slos
            .SelectMany(slo => slo.BudgetEvents.Select(e => (Slo: slo.Name, Event: e, Significant: SignificantEvent.Of(slo.Name, slo.Service, e))))
            .Select(x => new IncidentBudgetEvent(x.Slo, x.Event.Start, x.Event.End, x.Event.Bad, x.Event.Spent,
                SloAlertQuality.Counts(incident, x.Significant, grace),
                notified.Where(a => SloAlertQuality.Matches(a, x.Significant, grace)).Select(a => a.Id).ToList()))
            .Where(m => m.ByIncident || m.Alerts.Count > 0)
            .OrderBy(m => m.Start).ThenBy(m => m.Slo, StringComparer.Ordinal)
            .ToList();
    }
}
