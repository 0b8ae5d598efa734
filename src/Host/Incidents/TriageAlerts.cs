using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>
/// Marks an alert occurrence (fingerprint, and startsAt when the fingerprint fired more than once) or, without a
/// fingerprint, every alert of the incident as actionable or noise. Feeds the precision of the alert rules.
/// </summary>
public sealed record TriageAlerts(
    AlertVerdict Verdict, string? By = null, string? Fingerprint = null, DateTimeOffset? StartsAt = null, long? ExpectedVersion = null) : IIncidentCommand;

public static class TriageAlertsEndpoint
{
    [WolverinePost("/api/v1/incidents/{id}/triage")]
    [Authorize(Policies.Write)]
    public static Decision Post(
        TriageAlerts command, [WriteAggregate] Incident incident, IReadOnlyList<IncidentAlert> alerts, HttpContext http, TimeProvider clock) =>
        IncidentLifecycle.Triage(alerts, command.Fingerprint, command.StartsAt, command.Verdict, Actor.Of(http, command.By), clock.GetUtcNow(), incident);
}
