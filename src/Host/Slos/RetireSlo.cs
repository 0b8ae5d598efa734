using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.Persistence.EventSourcing;

namespace Sre.Host.Slos;

/// <summary>Retires an SLO: it takes no more data and leaves the list, but its history stays readable.</summary>
public static class RetireSloEndpoint
{
    /// <summary>The SLO's stream: the name-based id of the name in the path.</summary>
    public static Guid SloId(string name) => SloIds.For(name);

    public static ProblemDetails Validate(string name, Slo? slo) =>
        slo is null ? Problems.NotFoundDetails($"No SLO named '{name}'.")
        : SloDecisions.RefuseRetirement(slo) is { } refusal ? Problems.ConflictDetails(refusal.Reason)
        : WolverineContinue.NoProblems;

    [WolverineDelete("/api/v1/slos/{name}")]
    [Authorize(Policies.Admin)]
    public static (SloAnswer, Events) Delete(
        string name, string? by, [WriteModel(FromMethod = nameof(SloId), Required = false)] Slo? slo, TimeProvider clock,
        HttpContext http) =>
        (SloAnswer.Changed(name), [SloDecisions.Retire(Actor.Of(http, by), clock.GetUtcNow())]);
}
