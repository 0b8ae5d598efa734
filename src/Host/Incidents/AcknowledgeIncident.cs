using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>A responder takes the incident: only a triggered incident can be acknowledged.</summary>
public sealed record AcknowledgeIncident(string? By = null, long? ExpectedVersion = null) : IIncidentCommand;

public static class AcknowledgeIncidentEndpoint
{
    [WolverinePost("/api/v1/incidents/{id}/acknowledge")]
    [Authorize(Policies.Write)]
    public static Decision Post(AcknowledgeIncident command, [WriteAggregate] Incident incident, HttpContext http, TimeProvider clock) =>
        IncidentLifecycle.Acknowledge(incident, Actor.Of(http, command.By), clock.GetUtcNow());
}
