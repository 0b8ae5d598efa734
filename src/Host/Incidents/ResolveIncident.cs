using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>The incident is over, whatever Alertmanager says of its alerts.</summary>
public sealed record ResolveIncident(string? By = null, string? Note = null, long? ExpectedVersion = null) : IIncidentCommand;

public static class ResolveIncidentEndpoint
{
    [WolverinePost("/api/v1/incidents/{id}/resolve")]
    [Authorize(Policies.Write)]
    public static Decision Post(ResolveIncident command, [WriteAggregate] Incident incident, HttpContext http, TimeProvider clock) =>
        IncidentLifecycle.Resolve(incident, command.Note, Actor.Of(http, command.By), clock.GetUtcNow());
}
