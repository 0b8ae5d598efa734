using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

public static class GetAutomationImpactEndpoint
{
    public static ProblemDetails Validate(int? baselineWeeks) => Problems.OutOfRange(("baselineWeeks", baselineWeeks, 1, 104));

    /// <summary>Weekly minutes of the automated task key before (baseline: 12 weeks) and after its delivery, and the hours saved so far.</summary>
    [WolverineGet("/api/v1/toil/automations/{id}/impact")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(Guid id, int? baselineWeeks, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        var weeks = baselineWeeks ?? 12;
        if (await session.LoadAsync<ToilAutomation>(id, http.RequestAborted) is not { } automation)
            return Problems.NotFound($"No automation {id}.");

        var now = clock.GetUtcNow();
        var since = automation.DeliveredAt.AddDays(-7 * weeks);
        var entries = await session.Query<ToilEntry>()
            .Where(e => e.TaskKey == automation.TaskKey && e.PerformedAt >= since && e.PerformedAt <= now)
            .ToListAsync(http.RequestAborted);
        return Results.Ok(AutomationImpact.Compute(automation, entries.ToList(), now, weeks));
    }
}
