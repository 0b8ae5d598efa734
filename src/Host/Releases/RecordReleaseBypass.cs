using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Sre.Domain.Releases;
using Sre.Host.Operations;
using Sre.Host.Slos;
using Sre.Projections.Caching;
using Wolverine.Http;
using Wolverine.Persistence;

namespace Sre.Host.Releases;

/// <summary>A release of a kind that always passes the gate (<c>security</c> or <c>p0</c>), and who sends it out.</summary>
public sealed record RecordReleaseBypass(string? Change = null, string? By = null);

/// <summary>
/// Records a security or P0 release going out through the service's gate, frozen or not (scope <c>write</c>), and
/// answers the gate's decision for it: 201, always allowed. Any other kind of change is 400 naming <c>change</c>.
/// The gate is read as <c>GET .../release-gate</c> reads it; the event is appended without reading the release stream
/// (Wolverine's <c>AppendEvents</c>), and Wolverine commits it.
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

    /// <summary>The gate as it stands now.</summary>
    public static Task<GateDecision> LoadAsync(
        string service, IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock,
        IOptions<SloPolicyOptions> policy, HttpContext http) =>
        GetReleaseGateEndpoint.Current(
            service, session, slices, cache, clock.GetUtcNow(), policy.Value.FreezeAtRemaining, http.RequestAborted);

    [WolverinePost("/api/v1/services/{service}/release-gate/bypasses")]
    [Authorize(Policies.Write)]
    public static (IResult, AppendEvents) Post(
        string service, RecordReleaseBypass command, GateDecision gate, TimeProvider clock, HttpContext http)
    {
        var decision = ReleaseGate.Decide(service, gate.ExhaustedSlos, gate.Override, command.Change);
        var bypassed = new ReleaseGateBypassed(service, command.Change!, decision.Frozen, clock.GetUtcNow(), Actor.Of(http, command.By));
        return (Results.Created($"/api/v1/services/{service}/release-gate", decision),
            Storage.AppendEvents(ServiceReleases.IdFor(service), bypassed));
    }
}
