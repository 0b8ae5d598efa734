using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Incidents;

/// <summary>Records the postmortem of an incident: where it is written, its summary and its action items.</summary>
public sealed record RecordPostmortem(
    string Link, string Summary, string? By = null, IReadOnlyList<ActionItem>? ActionItems = null, long? ExpectedVersion = null) : IIncidentCommand;

public static class RecordPostmortemEndpoint
{
    public static readonly string[] Priorities = ["P0", "P1", "P2", "P3", "P4"];

    public static ProblemDetails Validate(RecordPostmortem command)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(command.Link, UriKind.Absolute, out var link) || (link.Scheme != Uri.UriSchemeHttp && link.Scheme != Uri.UriSchemeHttps))
            errors["link"] = ["must be an absolute http or https URL."];
        if (string.IsNullOrWhiteSpace(command.Summary)) errors["summary"] = ["is required."];
        var items = command.ActionItems ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i].Title)) errors[$"actionItems[{i}].title"] = ["is required."];
            if (!Priorities.Contains(items[i].Priority))
                errors[$"actionItems[{i}].priority"] = [$"must be one of {string.Join(", ", Priorities)}."];
        }
        return errors.Count == 0 ? WolverineContinue.NoProblems : Problems.InvalidDetails(errors);
    }

    [WolverinePost("/api/v1/incidents/{id}/postmortem")]
    [Authorize(Policies.Write)]
    public static Decision Post(RecordPostmortem command, [WriteAggregate] Incident incident, HttpContext http, TimeProvider clock) =>
        IncidentLifecycle.RecordPostmortem(
            incident, command.Link, command.Summary, command.ActionItems ?? [], Actor.Of(http, command.By), clock.GetUtcNow());
}
