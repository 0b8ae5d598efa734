using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>
/// Closes a resolved incident. A postmortem must be recorded first for the severities listed in
/// Incidents:PostmortemRequiredSeverities, and for an incident that spent more than Slos:PostmortemAtIncidentSpend
/// of a linked SLO's budget.
/// </summary>
public sealed record CloseIncident(string? By = null, long? ExpectedVersion = null);

public sealed class IncidentOptions
{
    public string[] PostmortemRequiredSeverities { get; set; } = ["critical", "page"];
}

public static class CloseIncidentEndpoint
{

    [WolverinePost("/api/v1/incidents/{id}/close")]
    [Authorize(Policies.Write)]
    public static async Task<IResult> Post(
        Guid id, CloseIncident command, HttpContext http, IDocumentSession session, TimeProvider clock,
        IOptions<IncidentOptions> options, IOptions<SloPolicyOptions> policy, SliceStore slices)
    {
        // The budget an incident spent is read now, not only from what the evaluator recorded, so that a close
        // right after the resolution cannot slip through before the next sweep.
        var incident = await session.LoadAsync<Incident>(id, http.RequestAborted);
        var spends = incident is null ? [] : await IncidentSloSpend.For(session, slices, incident, clock.GetUtcNow(), http.RequestAborted);
        var overspent = spends.FirstOrDefault(s => s.BudgetSpent > policy.Value.PostmortemAtIncidentSpend);
        return await IncidentWrites.Decide(id, command.ExpectedVersion, http, session,
            current => IncidentLifecycle.Close(
                overspent is null || current.PostmortemRequiredFor is not null
                    ? current
                    : current with { PostmortemRequiredFor = $"spent {overspent.BudgetSpent:P1} of the error budget of SLO '{overspent.Slo}'" },
                options.Value.PostmortemRequiredSeverities.Contains(current.Severity, StringComparer.OrdinalIgnoreCase),
                Actor.Of(http, command.By),
                clock.GetUtcNow()));
    }
}
