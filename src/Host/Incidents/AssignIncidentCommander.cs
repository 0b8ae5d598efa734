using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>Names the incident commander who coordinates the response.</summary>
public sealed record AssignIncidentCommander(string? By = null, string Commander = "", long? ExpectedVersion = null);

public static class AssignIncidentCommanderEndpoint
{
    public static ProblemDetails Validate(AssignIncidentCommander command) => Problems.Required(("commander", command.Commander));

    [WolverinePost("/api/v1/incidents/{id}/commander")]
    [Authorize(Policies.Write)]
    public static Task<IResult> Post(Guid id, AssignIncidentCommander command, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        IncidentWrites.Decide(id, command.ExpectedVersion, http, session,
            incident => IncidentLifecycle.AssignCommander(incident, command.Commander, Actor.Of(http, command.By), clock.GetUtcNow()));
}
