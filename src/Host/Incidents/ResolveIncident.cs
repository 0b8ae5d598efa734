using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>The incident is over, whatever Alertmanager says of its alerts.</summary>
public sealed record ResolveIncident(string? By = null, string? Note = null, long? ExpectedVersion = null);

public static class ResolveIncidentEndpoint
{

    [WolverinePost("/api/v1/incidents/{id}/resolve")]
    [Authorize(Policies.Write)]
    public static Task<IResult> Post(Guid id, ResolveIncident command, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        IncidentWrites.Decide(id, command.ExpectedVersion, http, session,
            incident => IncidentLifecycle.Resolve(incident, command.Note, Actor.Of(http, command.By), clock.GetUtcNow()));
}
