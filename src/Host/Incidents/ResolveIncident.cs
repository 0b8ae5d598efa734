using Marten;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>The incident is over, whatever Alertmanager says of its alerts.</summary>
public sealed record ResolveIncident(string By, string? Note = null, long? ExpectedVersion = null);

public static class ResolveIncidentEndpoint
{
    public static ProblemDetails Validate(ResolveIncident command) => Problems.Required(("by", command.By));

    [WolverinePost("/api/v1/incidents/{id}/resolve")]
    public static Task<IResult> Post(Guid id, ResolveIncident command, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        IncidentWrites.Decide(id, command.ExpectedVersion, http, session,
            incident => IncidentLifecycle.Resolve(incident, command.Note, command.By, clock.GetUtcNow()));
}
