using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>A note on the incident's timeline.</summary>
public sealed record AddIncidentNote(string? By = null, string Text = "", long? ExpectedVersion = null) : IIncidentCommand;

public static class AddIncidentNoteEndpoint
{
    public static ProblemDetails Validate(AddIncidentNote command) => Problems.Required(("text", command.Text));

    [WolverinePost("/api/v1/incidents/{id}/notes")]
    [Authorize(Policies.Write)]
    public static Decision Post(AddIncidentNote command, [WriteAggregate] Incident incident, HttpContext http, TimeProvider clock) =>
        IncidentLifecycle.AddNote(incident, command.Text, Actor.Of(http, command.By), clock.GetUtcNow());
}
