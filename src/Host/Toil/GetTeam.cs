using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

/// <summary>A team and its size over time.</summary>
public static class GetTeamEndpoint
{
    [WolverineGet("/api/v1/teams/{team}")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string team, IQuerySession session, HttpContext http) =>
        await session.LoadAsync<Team>(Team.IdFor(team), http.RequestAborted) is { } found
            ? Results.Ok(found)
            : Problems.NotFound($"No team named '{team}'.");
}
