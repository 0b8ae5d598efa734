using Microsoft.AspNetCore.Authorization;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Operations;

/// <summary>Hits, misses, evictions and entries of the projection cache.</summary>
public static class GetCacheStatsEndpoint
{
    [WolverineGet("/api/v1/ops/cache")]
    [Authorize(Policies.Read)]
    public static CacheStats Get(ProjectionCache cache) => cache.Stats();
}
