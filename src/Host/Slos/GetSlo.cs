using Marten;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>An SLO's current definition, the definitions it had and since when, and its alert states.</summary>
public static class GetSloEndpoint
{
    [WolverineGet("/api/v1/slos/{name}")]
    public static async Task<IResult> Get(string name, IQuerySession session, HttpContext http) =>
        await session.LoadAsync<Slo>(SloIds.For(name), http.RequestAborted) is { } slo
            ? Results.Ok(slo)
            : Problems.NotFound($"No SLO named '{name}'.");
}
