using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Incidents;
using Sre.Host.Operations;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Incidents;

/// <summary>A service's incidents over a window (default 30d): by severity, open now, MTTA, time to mitigate, MTTR.</summary>
public static class GetIncidentStatsEndpoint
{
    [WolverineGet("/api/v1/services/{service}/incident-stats")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string service, Duration? window, IQuerySession session, ProjectionCache cache, TimeProvider clock, HttpContext http)
    {
        var span = window?.Value ?? TimeSpan.FromDays(30);
        var to = clock.GetUtcNow();
        var from = to - span;
        var key = new CacheKey("incident-stats", $"{service}|{span.Ticks}", CacheTags.Minute(to));
        return Results.Ok(await cache.GetOrLoad(key, [CacheTags.Incidents], async () =>
        {
            var incidents = await session.Query<Incident>()
                .Where(i => i.Service == service && i.Opened.At >= from)
                .ToListAsync(http.RequestAborted);
            return IncidentStatistics.Compute(service, incidents, from, to);
        }));
    }
}
