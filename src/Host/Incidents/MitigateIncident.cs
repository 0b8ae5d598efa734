using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>The impact is stopped, the cause may remain.</summary>
public sealed record MitigateIncident(string? By = null, string? Note = null, long? ExpectedVersion = null) : IIncidentCommand;

public static class MitigateIncidentEndpoint
{
    [WolverinePost("/api/v1/incidents/{id}/mitigate")]
    [Authorize(Policies.Write)]
    public static Decision Post(MitigateIncident command, [WriteAggregate] Incident incident, HttpContext http, TimeProvider clock) =>
        IncidentLifecycle.Mitigate(incident, command.Note, Actor.Of(http, command.By), clock.GetUtcNow());
}
