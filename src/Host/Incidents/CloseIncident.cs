using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>Closes a resolved incident; severities listed in Incidents:PostmortemRequiredSeverities need a postmortem first.</summary>
public sealed record CloseIncident(string By, long? ExpectedVersion = null);

public sealed class IncidentOptions
{
    public string[] PostmortemRequiredSeverities { get; set; } = ["critical", "page"];
}

public static class CloseIncidentEndpoint
{
    public static ProblemDetails Validate(CloseIncident command) => Problems.Required(("by", command.By));

    [WolverinePost("/api/v1/incidents/{id}/close")]
    public static Task<IResult> Post(
        Guid id, CloseIncident command, HttpContext http, IDocumentSession session, TimeProvider clock, IOptions<IncidentOptions> options) =>
        IncidentWrites.Decide(id, command.ExpectedVersion, http, session,
            incident => IncidentLifecycle.Close(
                incident,
                options.Value.PostmortemRequiredSeverities.Contains(incident.Severity, StringComparer.OrdinalIgnoreCase),
                command.By,
                clock.GetUtcNow()));
}
