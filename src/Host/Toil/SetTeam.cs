using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Toil;

/// <summary>The team's size from <c>effectiveFrom</c> (default now) on; earlier weeks keep the size they had.</summary>
public sealed record SetTeamRequest(int? Engineers = null, double? HoursPerWeek = null, DateTimeOffset? EffectiveFrom = null, string? By = null);

public static class SetTeamEndpoint
{
    [WolverinePut("/api/v1/teams/{team}")]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Put(string team, SetTeamRequest request, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        FieldRules.CheckName("team", team, errors);
        if (request.Engineers is null) errors["engineers"] = ["is required."];
        else if (request.Engineers is < 1 or > 10_000) errors["engineers"] = ["must be between 1 and 10000."];
        if (request.HoursPerWeek is null) errors["hoursPerWeek"] = ["is required."];
        else if (request.HoursPerWeek is not (> 0 and <= 168)) errors["hoursPerWeek"] = ["must be more than 0 and at most 168."];
        if (request.EffectiveFrom > now.AddMinutes(5)) errors["effectiveFrom"] = ["is in the future."];
        FieldRules.CheckText("by", request.By, 200, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var id = Team.IdFor(team);
        var stream = await session.Events.FetchForWriting<Team>(id, http.RequestAborted);
        var set = new TeamCapacitySet(team, request.Engineers!.Value, request.HoursPerWeek!.Value, request.EffectiveFrom ?? now, now, Actor.Of(http, request.By));
        if (stream.Aggregate is { } existing && existing.Capacity.Contains(new TeamCapacity(set.EffectiveFrom, set.Engineers, set.HoursPerWeek)))
            return Results.Ok(existing);
        if (stream.Aggregate is null) session.Events.StartStream<Team>(id, set);
        else stream.AppendOne(set);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Ok(await session.LoadAsync<Team>(id, http.RequestAborted));
    }

    [WolverineGet("/api/v1/teams/{team}")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string team, IQuerySession session, HttpContext http) =>
        await session.LoadAsync<Team>(Team.IdFor(team), http.RequestAborted) is { } found
            ? Results.Ok(found)
            : Problems.NotFound($"No team named '{team}'.");
}
