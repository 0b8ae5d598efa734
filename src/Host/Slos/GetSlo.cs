using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>An SLO's current definition, the definitions it had and since when, and its alert states.</summary>
public static class GetSloEndpoint
{
    [WolverineGet("/api/v1/slos/{name}")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string name, IQuerySession session, SliceStore slices, ProjectionCache cache, HttpContext http) =>
        await cache.GetOrLoad(new CacheKey("slo", name), [CacheTags.Stream(SloIds.For(name))],
            () => Load(SloIds.For(name), session, slices, http.RequestAborted)) is { } slo
            ? Results.Ok(slo)
            : Problems.NotFound($"No SLO named '{name}'.");

    /// <summary>The snapshot, with the stream's version and the last observation (which the snapshot does not fold).</summary>
    private static async Task<Slo?> Load(Guid id, IQuerySession session, SliceStore slices, CancellationToken ct)
    {
        if (await SloReads.Stored(session, id, ct) is not { } slo) return null;
        return slo with { LastObservationAt = await slices.LastRecordedAt(id, ct) };
    }
}
