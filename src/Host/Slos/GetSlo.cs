using Marten;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>An SLO's current definition, the definitions it had and since when, and its alert states.</summary>
public static class GetSloEndpoint
{
    [WolverineGet("/api/v1/slos/{name}")]
    public static async Task<IResult> Get(string name, IQuerySession session, ProjectionCache cache, HttpContext http) =>
        await cache.GetOrLoad(new CacheKey("slo", name), [CacheTags.Stream(SloIds.For(name))],
            () => session.LoadAsync<Slo>(SloIds.For(name), http.RequestAborted)) is { } slo
            ? Results.Ok(slo)
            : Problems.NotFound($"No SLO named '{name}'.");
}
