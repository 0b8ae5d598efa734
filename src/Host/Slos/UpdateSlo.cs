using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// Replaces an SLO's definition (or defines it, 201): target, window and other changes are separate events
/// that apply from now on; a past instant is still judged by the definition then in force.
/// </summary>
public static class UpdateSloEndpoint
{
    [WolverinePut("/api/v1/slos/{name}")]
    [Authorize(Policies.Admin)]
    public static async Task<IResult> Put(
        string name, SloRequest request, IDocumentSession session, TimeProvider clock, IMessageBus bus, HttpContext http)
    {
        var errors = request.Check();
        if (request.Name != name) errors["name"] = [$"'{request.Name}' differs from the name in the path, '{name}'."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        if (await session.LoadAsync<Slo>(SloIds.For(name), http.RequestAborted) is null)
            return await SloWrites.Create(request.ToDefinition(), Actor.Of(http, request.By), session, clock, http);
        // A new target or window can raise or clear alerts at once: evaluated once the change commits.
        await bus.EvaluateOnCommit([SloIds.For(name)]);
        return await SloWrites.Decide(name, session, http,
            slo => SloDecisions.Update(slo, request.ToDefinition(), Actor.Of(http, request.By), clock.GetUtcNow()));
    }
}
