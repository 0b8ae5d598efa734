using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Host.Operations;
using Sre.Host.Slos.Prometheus;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Slos;

/// <summary>
/// An SLO's numbers now, or with <c>?at=</c> at any past instant (judged by the definition then in force and
/// the data recorded by then): SLI, budget, burn rates per window, time to exhaustion, alert states, and where its data
/// comes from (<see cref="SliSource"/>).
/// </summary>
public static class GetSloStatusEndpoint
{
    /// <summary>The status as the JSON answered: serialised once per cache entry, not once per request.</summary>
    private sealed record Found(byte[]? Json)
    {
        public static readonly Found NotYet = new((byte[]?)null);
    }

    [WolverineGet("/api/v1/slos/{name}/status")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(string name, Instant? at, IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock,
        IOptions<JsonOptions> json, IOptions<PrometheusOptions> prometheus, HttpContext http)
    {
        var given = at?.Value;
        var now = clock.GetUtcNow();
        var instant = given ?? now;
        // "Now" moves with the clock: one entry per minute. A given instant is its own entry.
        var key = new CacheKey("slo-status", name, given?.UtcTicks ?? CacheTags.Minute(now));
        var id = SloIds.For(name);
        // The source it names may be imported (or changed) at any time: the data sources' tag too.
        var found = await cache.GetOrLoad(key, [CacheTags.Stream(id), CacheTags.DataSources], async () =>
        {
            if (await session.LoadAsync<Slo>(id, http.RequestAborted) is not { } slo) return null;
            return await Status(slo, instant, session, slices, cache, prometheus.Value, http.RequestAborted) is { } status
                ? new Found(JsonSerializer.SerializeToUtf8Bytes(status, json.Value.SerializerOptions))
                : Found.NotYet;
        });
        return found switch
        {
            null => Problems.NotFound($"No SLO named '{name}'."),
            { Json: { } body } => Results.Bytes(body, "application/json; charset=utf-8"),
            _ => Problems.NotFound($"The SLO '{name}' was not defined yet at {instant:O}."),
        };
    }

    /// <summary>The status this endpoint answers, with where its data comes from; null before the SLO was defined.
    /// The UI's SLO page shows this one.</summary>
    public static async Task<SloStatus?> Status(
        Slo slo, DateTimeOffset instant, IQuerySession session, SliceStore slices, ProjectionCache cache, PrometheusOptions prometheus,
        CancellationToken ct)
    {
        if (await SloReads.StatusAt(slices, slo, instant, ct) is not { } status) return null;
        var sources = await DataSourceCatalog.Load(session, cache, prometheus, ct);
        var sli = slo.Definition.Sli;
        var source = SliSource.Of(slo, sources.Pulls(sli), instant, sources.Unresolved(sli));
        if (source.Kind != SliSource.Push.Kind && SliSource.PulledSpan(slo, status.PeriodStart, instant) is var (from, to))
            source = source with { NoData = SliNoData.Of(to - from, await slices.CoveredSeconds(slo.Id, from, to, ct)) };
        return status with { Source = source };
    }
}
