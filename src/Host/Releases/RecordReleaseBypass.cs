using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Sre.Domain.Releases;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Releases;

/// <summary>A release of a kind that always passes the gate (<c>security</c> or <c>p0</c>), and who sends it out.</summary>
public sealed record RecordReleaseBypass(string? Change = null, string? By = null);

/// <summary>
/// Records a security or P0 release going out through the service's gate, frozen or not (scope <c>write</c>), and
/// answers the gate's decision for it: 201, always allowed. Any other kind of change is 400 naming <c>change</c>.
/// </summary>
public static class RecordReleaseBypassEndpoint
{
    public static ProblemDetails Validate(RecordReleaseBypass command) =>
        command.Change is { } change && ReleaseGate.AlwaysAllowed.Contains(change)
            ? WolverineContinue.NoProblems
            : Problems.InvalidDetails(new Dictionary<string, string[]>
            {
                ["change"] = [$"must be one of {string.Join(", ", ReleaseGate.AlwaysAllowed)}."],
            });

    [WolverinePost("/api/v1/services/{service}/release-gate/bypasses")]
    [Authorize(Policies.Write)]
    public static async Task<IResult> Post(
        string service, RecordReleaseBypass command, IDocumentSession session, SliceStore slices, ProjectionCache cache, TimeProvider clock,
        IOptions<SloPolicyOptions> policy, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var gate = await GetReleaseGateEndpoint.Current(service, session, slices, cache, now, policy.Value.FreezeAtRemaining, http.RequestAborted);
        var decision = ReleaseGate.Decide(service, gate.ExhaustedSlos, gate.Override, command.Change);
        session.Events.Append(ServiceReleases.IdFor(service),
            new ReleaseGateBypassed(service, command.Change!, decision.Frozen, now, Actor.Of(http, command.By)));
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Created($"/api/v1/services/{service}/release-gate", decision);
    }
}
