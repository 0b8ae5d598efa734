using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

/// <summary>An automation of a task key, as recorded.</summary>
public static class GetAutomationEndpoint
{
    [WolverineGet("/api/v1/toil/automations/{id}")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http) =>
        await session.LoadAsync<ToilAutomation>(id, http.RequestAborted) is { } found
            ? Results.Ok(found)
            : Problems.NotFound($"No automation {id}.");
}
