using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>
/// Closes a resolved incident. A postmortem must be recorded first for the severities listed in
/// Incidents:PostmortemRequiredSeverities, and for an incident that spent more than Slos:PostmortemAtIncidentSpend
/// of a linked SLO's budget.
/// </summary>
public sealed record CloseIncident(string? By = null, long? ExpectedVersion = null) : IIncidentCommand;

public sealed class IncidentOptions
{
    public string[] PostmortemRequiredSeverities { get; set; } = ["critical", "page"];
}

public static class CloseIncidentEndpoint
{
    // The budget an incident spent is read now, not only from what the evaluator recorded, so that a close right after
    // the resolution cannot slip through before the next sweep.
    public static Task<IReadOnlyList<SloSpend>> LoadAsync(
        Incident incident, IDocumentSession session, SliceStore slices, TimeProvider clock, CancellationToken ct) =>
        IncidentSloSpend.For(session, slices, incident, clock.GetUtcNow(), ct);

    [WolverinePost("/api/v1/incidents/{id}/close")]
    [Authorize(Policies.Write)]
    public static Decision Post(
        CloseIncident command, [WriteAggregate] Incident incident, IReadOnlyList<SloSpend> spends, HttpContext http, TimeProvider clock,
        IOptions<IncidentOptions> options, IOptions<SloPolicyOptions> policy)
    {
        var overspent = spends.FirstOrDefault(s => s.BudgetSpent > policy.Value.PostmortemAtIncidentSpend);
        return IncidentLifecycle.Close(
            overspent is null || incident.PostmortemRequiredFor is not null
                ? incident
                : incident with { PostmortemRequiredFor = $"spent {overspent.BudgetSpent:P1} of the error budget of SLO '{overspent.Slo}'" },
            options.Value.PostmortemRequiredSeverities.Contains(incident.Severity, StringComparer.OrdinalIgnoreCase),
            Actor.Of(http, command.By),
            clock.GetUtcNow());
    }
}
