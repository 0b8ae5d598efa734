using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain;
using Sre.Domain.Toil;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Sre.Host.Toil;

/// <summary>The team's size from <c>effectiveFrom</c> (default now) on; earlier weeks keep the size they had.</summary>
public sealed record SetTeamRequest(int? Engineers = null, double? HoursPerWeek = null, DateTimeOffset? EffectiveFrom = null, string? By = null);

public static class SetTeamEndpoint
{
    public static Guid TeamId(string team) => Team.IdFor(team);

    public static ProblemDetails Validate(string team, SetTeamRequest request, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        FieldRules.CheckName("team", team, errors);
        if (request.Engineers is null) errors["engineers"] = ["is required."];
        else if (request.Engineers is < 1 or > 10_000) errors["engineers"] = ["must be between 1 and 10000."];
        if (request.HoursPerWeek is null) errors["hoursPerWeek"] = ["is required."];
        else if (request.HoursPerWeek is not (> 0 and <= 168)) errors["hoursPerWeek"] = ["must be more than 0 and at most 168."];
        if (request.EffectiveFrom > clock.GetUtcNow().AddMinutes(5)) errors["effectiveFrom"] = ["is in the future."];
        FieldRules.CheckText("by", request.By, 200, errors);
        return errors.Count > 0 ? Problems.InvalidDetails(errors) : WolverineContinue.NoProblems;
    }

    /// <summary>200 with the team; a size it already has from that instant stores nothing.</summary>
    [WolverinePut("/api/v1/teams/{team}")]
    [Authorize(Policies.Admin)]
    public static (IResult, Events) Put(
        string team, SetTeamRequest request, [WriteModel(FromMethod = nameof(TeamId), Required = false)] IEventStream<Team> stream,
        TimeProvider clock, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var set = new TeamCapacitySet(team, request.Engineers!.Value, request.HoursPerWeek!.Value, request.EffectiveFrom ?? now, now, Actor.Of(http, request.By));
        if (stream.Aggregate is { } existing && existing.Capacity.Contains(new TeamCapacity(set.EffectiveFrom, set.Engineers, set.HoursPerWeek)))
            return (Results.Ok(existing), []);
        var changed = stream.Aggregate is { } before ? before.Apply(set) : Team.Create(set);
        return (Results.Ok(changed with { Version = (stream.CurrentVersion ?? 0) + 1 }), [set]);
    }
}
