using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Releases;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Releases;

/// <summary>Lets releases of a service through a frozen gate until a given time: who, why, until.</summary>
public sealed record OverrideReleaseGate(string Reason, DateTimeOffset Until, string? By = null);

public static class OverrideReleaseGateEndpoint
{
    [WolverinePost("/api/v1/services/{service}/release-gate/overrides")]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Post(string service, OverrideReleaseGate command, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(command.Reason)) errors["reason"] = ["is required."];
        if (command.Until <= now) errors["until"] = ["must be in the future."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        var by = Actor.Of(http, command.By);
        var overridden = new ReleaseGateOverridden(service, command.Reason, command.Until, now, by);
        session.Events.Append(ServiceReleases.IdFor(service), overridden);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Created($"/api/v1/services/{service}/release-gate", new GateOverride(command.Reason, command.Until, now, by));
    }
}
