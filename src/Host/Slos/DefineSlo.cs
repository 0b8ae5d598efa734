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

/// <summary>Defines a new SLO: 201 with its state, 409 when the name is taken.</summary>
public static class DefineSloEndpoint
{
    /// <summary>The SLO's stream: the name-based id of the name in the body.</summary>
    public static Guid SloId(SloRequest request) => SloIds.For(request.Name);

    public static ProblemDetails Validate(SloRequest request, Slo? slo)
    {
        var errors = request.Check();
        if (errors.Count > 0) return Problems.InvalidDetails(errors);
        return SloDecisions.RefuseDefinition(slo, request.Name) is { } refusal
            ? Problems.ConflictDetails(refusal.Reason)
            : WolverineContinue.NoProblems;
    }

    [WolverinePost("/api/v1/slos")]
    [Authorize(Policies.Admin)]
    public static (SloAnswer, Events, OutgoingMessages) Post(
        SloRequest request, [WriteModel(FromMethod = nameof(SloId), Required = false)] Slo? slo, TimeProvider clock, HttpContext http)
    {
        var definition = request.ToDefinition();
        // A pulled SLI fills its history once the definition commits, not at the next periodic pull.
        return (SloAnswer.Created(request.Name), [SloDecisions.Define(definition, Actor.Of(http, request.By), clock.GetUtcNow())],
            [.. PullSli.For(SloId(request), definition)]);
    }
}
