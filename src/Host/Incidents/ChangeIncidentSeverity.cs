using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>The incident turns out more or less severe than its alerts said.</summary>
public sealed record ChangeIncidentSeverity(string? By = null, string Severity = "", long? ExpectedVersion = null);

public static class ChangeIncidentSeverityEndpoint
{
    public static ProblemDetails Validate(ChangeIncidentSeverity command) => Problems.Required(("severity", command.Severity));

    [WolverinePost("/api/v1/incidents/{id}/severity")]
    [Authorize(Policies.Write)]
    public static Task<IResult> Post(Guid id, ChangeIncidentSeverity command, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        IncidentWrites.Decide(id, command.ExpectedVersion, http, session,
            incident => IncidentLifecycle.ChangeSeverity(incident, command.Severity, Actor.Of(http, command.By), clock.GetUtcNow()));
}
