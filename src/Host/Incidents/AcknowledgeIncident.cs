using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>A responder takes the incident: only a triggered incident can be acknowledged.</summary>
public sealed record AcknowledgeIncident(string? By = null, long? ExpectedVersion = null);

public static class AcknowledgeIncidentEndpoint
{

    [WolverinePost("/api/v1/incidents/{id}/acknowledge")]
    [Authorize(Policies.Write)]
    public static Task<IResult> Post(Guid id, AcknowledgeIncident command, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        IncidentWrites.Decide(id, command.ExpectedVersion, http, session,
            incident => IncidentLifecycle.Acknowledge(incident, Actor.Of(http, command.By), clock.GetUtcNow()));
}
