using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

public sealed record RecordAutomationRequest(string? TaskKey = null, DateTimeOffset? DeliveredAt = null, string? Description = null, string? By = null);

public static class RecordAutomationEndpoint
{
    /// <summary>An automation of a task key went live; its impact is read at .../automations/{id}/impact.</summary>
    [WolverinePost("/api/v1/toil/automations")]
    [Authorize(Policies.Write)]
    public static async Task<IResult> Post(RecordAutomationRequest request, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        FieldRules.CheckName("taskKey", request.TaskKey, errors);
        FieldRules.CheckInstant("deliveredAt", request.DeliveredAt, now, errors);
        FieldRules.CheckText("description", request.Description, 2000, errors);
        FieldRules.CheckText("by", request.By, 200, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var delivered = new ToilAutomationDelivered(Guid.CreateVersion7(now), request.TaskKey!, request.DeliveredAt ?? now,
            request.Description, now, Actor.Of(http, request.By));
        session.Events.StartStream<ToilAutomation>(delivered.AutomationId, delivered);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Created($"/api/v1/toil/automations/{delivered.AutomationId}", ToilAutomation.Create(delivered) with { Version = 1 });
    }

    [WolverineGet("/api/v1/toil/automations/{id}")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http) =>
        await session.LoadAsync<ToilAutomation>(id, http.RequestAborted) is { } found
            ? Results.Ok(found)
            : Problems.NotFound($"No automation {id}.");
}
