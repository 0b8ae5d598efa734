using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>Names the incident commander who coordinates the response.</summary>
public sealed record AssignIncidentCommander(string? By = null, string Commander = "", long? ExpectedVersion = null) : IIncidentCommand;

public static class AssignIncidentCommanderEndpoint
{
    public static ProblemDetails Validate(AssignIncidentCommander command) => Problems.Required(("commander", command.Commander));

    [WolverinePost("/api/v1/incidents/{id}/commander")]
    [Authorize(Policies.Write)]
    public static Decision Post(AssignIncidentCommander command, [WriteAggregate] Incident incident, HttpContext http, TimeProvider clock) =>
        IncidentLifecycle.AssignCommander(incident, command.Commander, Actor.Of(http, command.By), clock.GetUtcNow());
}
