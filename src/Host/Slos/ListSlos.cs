using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Pull;
using Sre.Host.Operations;
using Sre.Host.Slos.Prometheus;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Slos;

public sealed record SloHeadline(
    string Name, string Service, double Target, bool NoData, double? Sli, double RemainingBudget, double? BurnRate1h,
    bool Page, bool Ticket, bool Retired, Dictionary<string, string> Labels, SliSource Source);

/// <summary>The orders of the SLO list: by name, or worst remaining budget first.</summary>
public enum SloOrder
{
    Name,
    RemainingBudget,
}

/// <summary>Every SLO with its headline numbers; <c>sort=remainingBudget</c> puts the worst first.</summary>
public static class ListSlosEndpoint
{
    public static ProblemDetails Validate(string? label) =>
        label is null || label.Contains('=') ? WolverineContinue.NoProblems : Problems.InvalidDetails("label", "must be key=value.");

    [WolverineGet("/api/v1/slos")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string? service, string? label, QueryEnum<SloOrder>? sort, bool? includeRetired, IQuerySession session, SliceStore slices,
        ProjectionCache cache, TimeProvider clock, IOptions<PrometheusOptions> prometheus, HttpContext http)
    {
        var labelFilter = label?.Split('=', 2);
        var now = clock.GetUtcNow();
        var key = new CacheKey("slo-list", $"{service}|{label}|{sort}|{includeRetired}", CacheTags.Minute(now));
        return Results.Ok(await cache.GetOrLoad(key, [CacheTags.Slos, CacheTags.DataSources],
            async () => await Load(service, labelFilter, sort?.Value ?? SloOrder.Name, includeRetired, session, slices,
                await DataSourceCatalog.Load(session, cache, prometheus.Value, http.RequestAborted), now, http)));
    }

    private static async Task<List<SloHeadline>?> Load(
        string? service, string[]? labelFilter, SloOrder sort, bool? includeRetired, IQuerySession session, SliceStore slices,
        DataSourceCatalog sources, DateTimeOffset now, HttpContext http)
    {
        var query = session.Query<Slo>().AsQueryable();
        if (!string.IsNullOrEmpty(service)) query = query.Where(s => s.Service == service);
        var slos = (await query.ToListAsync(http.RequestAborted))
            .Where(s => includeRetired == true || !s.IsRetired)
            .Where(s => labelFilter is null || s.Definition.Labels.GetValueOrDefault(labelFilter[0]) == labelFilter[1])
            .ToList();

        var rows = new List<SloHeadline>();
        foreach (var slo in slos)
        {
            var status = (await SloReads.StatusAt(slices, slo, now, http.RequestAborted))!;
            rows.Add(new SloHeadline(slo.Name, slo.Service, status.Target, status.NoData, status.Sli.Ratio, status.Budget.Remaining,
                SloCalculator.HourBurnRate(status.BurnRates), status.Page, status.Ticket, slo.IsRetired,
                slo.Definition.Labels, SliSource.Of(slo, sources.Pulls(slo.Definition.Sli), now, sources.Unresolved(slo.Definition.Sli))));
        }
        var ordered = sort == SloOrder.RemainingBudget
            ? rows.OrderBy(r => r.RemainingBudget).ThenBy(r => r.Name, StringComparer.Ordinal)
            : rows.OrderBy(r => r.Name, StringComparer.Ordinal);
        return ordered.ToList();
    }
}
