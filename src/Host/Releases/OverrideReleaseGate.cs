using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Releases;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Persistence;

namespace Sre.Host.Releases;

/// <summary>Lets releases of a service through a frozen gate until a given time: who, why, until.</summary>
public sealed record OverrideReleaseGate(string Reason, DateTimeOffset Until, string? By = null);

/// <summary>
/// Records an override on the service's release stream: 201 with it. Nothing of the stream is decided on, so the event
/// is appended without reading the stream (Wolverine's <c>AppendEvents</c>), and Wolverine commits it.
/// </summary>
public static class OverrideReleaseGateEndpoint
{
    public static ProblemDetails Validate(OverrideReleaseGate command, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(command.Reason)) errors["reason"] = ["is required."];
        if (command.Until <= clock.GetUtcNow()) errors["until"] = ["must be in the future."];
        return errors.Count > 0 ? Problems.InvalidDetails(errors) : WolverineContinue.NoProblems;
    }

    [WolverinePost("/api/v1/services/{service}/release-gate/overrides")]
    [Authorize(Policies.Admin)]
    public static (IResult, AppendEvents) Post(string service, OverrideReleaseGate command, TimeProvider clock, HttpContext http)
    {
        var overridden = new ReleaseGateOverridden(service, command.Reason, command.Until, clock.GetUtcNow(), Actor.Of(http, command.By));
        var answer = new GateOverride(overridden.Reason, overridden.Until, overridden.At, overridden.By);
        return (Results.Created($"/api/v1/services/{service}/release-gate", answer),
            Storage.AppendEvents(ServiceReleases.IdFor(service), overridden));
    }
}
