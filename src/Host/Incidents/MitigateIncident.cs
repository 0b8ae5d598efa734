using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>The impact is stopped, the cause may remain.</summary>
public sealed record MitigateIncident(string? By = null, string? Note = null, long? ExpectedVersion = null);

public static class MitigateIncidentEndpoint
{

    [WolverinePost("/api/v1/incidents/{id}/mitigate")]
    [Authorize(Policies.Write)]
    public static Task<IResult> Post(Guid id, MitigateIncident command, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        IncidentWrites.Decide(id, command.ExpectedVersion, http, session,
            incident => IncidentLifecycle.Mitigate(incident, command.Note, Actor.Of(http, command.By), clock.GetUtcNow()));
}
