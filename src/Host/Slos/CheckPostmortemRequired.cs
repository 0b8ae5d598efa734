using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Host.Incidents;

namespace Sre.Host.Slos;

/// <summary>Check whether an open incident has spent enough of a linked SLO's budget to need a postmortem.</summary>
public sealed record CheckPostmortemRequired(Guid IncidentId);

/// <summary>
/// Records <see cref="PostmortemRequired"/> on an incident that spent more than <c>Slos:PostmortemAtIncidentSpend</c> of
/// a linked SLO's budget (the close command checks the spend itself too). Appended with the version read: an incident
/// that changed meanwhile fails the commit, and the retry looks at it again.
/// </summary>
public static class CheckPostmortemRequiredHandler
{
    public static async Task Handle(
        CheckPostmortemRequired message, IDocumentSession session, SliceStore slices, TimeProvider clock,
        IOptions<SloPolicyOptions> options, CancellationToken ct)
    {
        if (await session.LoadAsync<Incident>(message.IncidentId, ct) is not { } incident || !IsCandidate(incident)) return;
        var now = clock.GetUtcNow();
        var spends = await IncidentSloSpend.For(session, slices, incident, now, ct);
        if (spends.FirstOrDefault(s => s.BudgetSpent > options.Value.PostmortemAtIncidentSpend) is not { } over) return;
        session.Events.Append(incident.Id, incident.Version + 1, new PostmortemRequired(over.Slo, over.BudgetSpent!.Value, now, SloEvaluation.Evaluator));
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Not closed, linked to an SLO, not yet marked, and not merged into another (which answers for it).</summary>
    public static bool IsCandidate(Incident incident) =>
        incident.Status != IncidentStatus.Closed && incident.PostmortemRequiredFor == null && incident.Slos.Count > 0
        && incident.MergedInto == null;
}
