using Marten;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Host.Slos;

namespace Sre.Host.Incidents;

/// <summary>The share of each linked SLO's budget an incident spent, from its start (a declared incident's impact start)
/// to its resolution (or now).</summary>
public sealed record SloSpend(string Slo, double? BudgetSpent);

public static class IncidentSloSpend
{
    public static async Task<IReadOnlyList<SloSpend>> For(
        IQuerySession session, SliceStore slices, Incident incident, DateTimeOffset now, CancellationToken ct)
    {
        var spends = new List<SloSpend>();
        var start = incident.ImpactStartedAt ?? incident.OpenedAt;
        var end = incident.Resolved?.At ?? incident.Closed?.At ?? now;
        foreach (var name in incident.Slos)
        {
            var slo = await session.LoadAsync<Slo>(SloIds.For(name), ct);
            var data = slo is null ? null : await SloReads.Load(slices, slo, end, ct, from: start);
            spends.Add(data is { } d
                ? new SloSpend(name, IncidentBudget.Spent(d.Definition, slo!.CountsFrom, d.Slices, start, end))
                : new SloSpend(name, null));
        }
        return spends;
    }
}
