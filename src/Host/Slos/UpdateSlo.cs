using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Host.Slos.Prometheus;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Sre.Host.Slos;

/// <summary>
/// Replaces an SLO's definition (or defines it, 201): target, window and other changes are separate events
/// that apply from now on; a past instant is still judged by the definition then in force.
/// </summary>
public static class UpdateSloEndpoint
{
    /// <summary>The SLO's stream: the name-based id of the name in the path.</summary>
    public static Guid SloId(string name) => SloIds.For(name);

    public static ProblemDetails Validate(string name, SloRequest request, Slo? slo)
    {
        var errors = request.Check();
        if (request.Name != name) errors["name"] = [$"'{request.Name}' differs from the name in the path, '{name}'."];
        if (errors.Count > 0) return Problems.InvalidDetails(errors);
        return slo is not null && SloDecisions.RefuseChange(slo) is { } refusal
            ? Problems.ConflictDetails(refusal.Reason)
            : WolverineContinue.NoProblems;
    }

    [WolverinePut("/api/v1/slos/{name}")]
    [Authorize(Policies.Admin)]
    public static (SloAnswer, Events, OutgoingMessages) Put(
        string name, SloRequest request, [WriteModel(FromMethod = nameof(SloId), Required = false)] Slo? slo, TimeProvider clock,
        HttpContext http)
    {
        var (definition, by, now) = (request.ToDefinition(), Actor.Of(http, request.By), clock.GetUtcNow());
        // A new target or window can raise or clear alerts at once: a changed SLO is evaluated once the change commits.
        // A pulled SLI with new queries fills its history again at once.
        return slo is null
            ? (SloAnswer.Created(name), [SloDecisions.Define(definition, by, now)], [.. PullSli.For(SloId(name), definition)])
            : (SloAnswer.Changed(name), [.. SloDecisions.Update(slo, definition, by, now)], [new EvaluateSlo(slo.Id), .. PullSli.For(slo.Id, definition)]);
    }
}
