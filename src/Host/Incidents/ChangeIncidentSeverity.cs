using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>The incident turns out more or less severe than its alerts said.</summary>
public sealed record ChangeIncidentSeverity(string? By = null, string Severity = "", long? ExpectedVersion = null) : IIncidentCommand;

public static class ChangeIncidentSeverityEndpoint
{
    public static ProblemDetails Validate(ChangeIncidentSeverity command) => Problems.Required(("severity", command.Severity));

    [WolverinePost("/api/v1/incidents/{id}/severity")]
    [Authorize(Policies.Write)]
    public static Decision Post(ChangeIncidentSeverity command, [WriteAggregate] Incident incident, HttpContext http, TimeProvider clock) =>
        IncidentLifecycle.ChangeSeverity(incident, command.Severity, Actor.Of(http, command.By), clock.GetUtcNow());
}
