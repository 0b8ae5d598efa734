using Marten;
using Sre.Domain.Incidents;
using Sre.Host.Incidents;
using Sre.Host.Slos;

namespace Sre.Host.Ui.Incidents;

/// <summary>
/// An incident as a row of the list and the CSV: its duration (opened to resolved, or to now while unresolved) and
/// the largest share of a linked SLO's error budget it spent (<see cref="IncidentSloSpend"/>, what the API's
/// <c>sloBudgets</c> answers), with that SLO's name; null for an incident linked to no SLO.
/// </summary>
public sealed record IncidentRow(Incident Incident, TimeSpan Duration, double? BudgetSpent, string? SpentOf)
{
    public static async Task<IReadOnlyList<IncidentRow>> For(
        IEnumerable<Incident> incidents, IQuerySession session, SliceStore slices, DateTimeOffset now, CancellationToken ct)
    {
        var rows = new List<IncidentRow>();
        foreach (var incident in incidents)
        {
            var spends = incident.Slos.Count == 0 ? [] : await IncidentSloSpend.For(session, slices, incident, now, ct);
            var worst = spends.Where(s => s.BudgetSpent is not null).MaxBy(s => s.BudgetSpent);
            rows.Add(new IncidentRow(incident, Of(incident, now), worst?.BudgetSpent, worst?.Slo));
        }
        return rows;
    }

    public static TimeSpan Of(Incident incident, DateTimeOffset now) => (incident.Resolved?.At ?? now) - incident.Opened.At;
}
