using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>A resolved incident turns out not to be over; it is triggered again.</summary>
public sealed record ReopenIncident(string? By = null, string? Reason = null, long? ExpectedVersion = null) : IIncidentCommand;

public static class ReopenIncidentEndpoint
{
    [WolverinePost("/api/v1/incidents/{id}/reopen")]
    [Authorize(Policies.Write)]
    public static Decision Post(ReopenIncident command, [WriteAggregate] Incident incident, HttpContext http, TimeProvider clock) =>
        IncidentLifecycle.Reopen(incident, command.Reason, Actor.Of(http, command.By), clock.GetUtcNow());
}
