using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;

namespace Sre.Host.Toil;

public sealed record RecordAutomationRequest(string? TaskKey = null, DateTimeOffset? DeliveredAt = null, string? Description = null, string? By = null);

public static class RecordAutomationEndpoint
{
    public static ProblemDetails Validate(RecordAutomationRequest request, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.CheckName("taskKey", request.TaskKey, errors);
        FieldRules.CheckInstant("deliveredAt", request.DeliveredAt, clock.GetUtcNow(), errors);
        FieldRules.CheckText("description", request.Description, 2000, errors);
        FieldRules.CheckText("by", request.By, 200, errors);
        return errors.Count > 0 ? Problems.InvalidDetails(errors) : WolverineContinue.NoProblems;
    }

    /// <summary>An automation of a task key went live; its impact is read at .../automations/{id}/impact.</summary>
    [WolverinePost("/api/v1/toil/automations")]
    [Authorize(Policies.Write)]
    public static (IResult, IStartStream) Post(RecordAutomationRequest request, TimeProvider clock, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var delivered = new ToilAutomationDelivered(Guid.CreateVersion7(now), request.TaskKey!, request.DeliveredAt ?? now,
            request.Description, now, Actor.Of(http, request.By));
        return (Results.Created($"/api/v1/toil/automations/{delivered.AutomationId}", ToilAutomation.Create(delivered) with { Version = 1 }),
            MartenOps.StartStream<ToilAutomation>(delivered.AutomationId, delivered));
    }
}
