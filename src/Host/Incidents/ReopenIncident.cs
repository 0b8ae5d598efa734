using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>A resolved incident turns out not to be over; it is triggered again.</summary>
public sealed record ReopenIncident(string? By = null, string? Reason = null, long? ExpectedVersion = null);

public static class ReopenIncidentEndpoint
{

    [WolverinePost("/api/v1/incidents/{id}/reopen")]
    [Authorize(Policies.Write)]
    public static Task<IResult> Post(Guid id, ReopenIncident command, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        IncidentWrites.Decide(id, command.ExpectedVersion, http, session,
            incident => IncidentLifecycle.Reopen(incident, command.Reason, Actor.Of(http, command.By), clock.GetUtcNow()));
}
