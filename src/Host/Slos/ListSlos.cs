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

/// <summary>
/// One row of the SLO list: objective (<c>target</c>, 0 to 1), SLI (ratio, null without data), remaining budget (1 is
/// all of it, 0 or below spent), burn rates over 1h and 5m (1 spends the budget exactly over the window; workbook ch. 5),
/// the page and ticket alert states, the window, and when its data last came (<c>lastDataAt</c>: the last slice
/// recorded, or for a pulled SLI the end of what was pulled; null when none yet). For an objective of an OpenSLO SLO with
/// several, <c>objective</c> names the SLO and the objective (each objective is a row of its own, <c>{slo}.{objective}</c>).
/// </summary>
public sealed record SloHeadline(
    string Name, string Service, double Target, bool NoData, double? Sli, double RemainingBudget, double? BurnRate1h,
    bool Page, bool Ticket, bool Retired, Dictionary<string, string> Labels, SliSource Source,
    SloWindow? Window = null, double? BurnRate5m = null, DateTimeOffset? LastDataAt = null, SloObjective? Objective = null);

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
        ProjectionCache cache, TimeProvider clock, IOptions<PrometheusOptions> prometheus, HttpContext http) =>
        Results.Ok(await Headlines(service, label, sort?.Value ?? SloOrder.Name, includeRetired == true, session, slices, cache,
            clock.GetUtcNow(), prometheus.Value, http.RequestAborted));

    /// <summary>The rows of the list as of <paramref name="now"/>, from the cache while no SLO or data source changed
    /// (one entry per minute): what this endpoint answers and the UI's SLO list shows.</summary>
    public static async Task<List<SloHeadline>> Headlines(
        string? service, string? label, SloOrder sort, bool includeRetired, IQuerySession session, SliceStore slices, ProjectionCache cache,
        DateTimeOffset now, PrometheusOptions prometheus, CancellationToken ct)
    {
        var key = new CacheKey("slo-list", $"{service}|{label}|{sort}|{includeRetired}", CacheTags.Minute(now));
        return (await cache.GetOrLoad(key, [CacheTags.Slos, CacheTags.DataSources],
            async () => await Load(service, label?.Split('=', 2), sort, includeRetired, session, slices,
                await DataSourceCatalog.Load(session, cache, prometheus, ct), now, ct)))!;
    }

    private static async Task<List<SloHeadline>?> Load(
        string? service, string[]? labelFilter, SloOrder sort, bool includeRetired, IQuerySession session, SliceStore slices,
        DataSourceCatalog sources, DateTimeOffset now, CancellationToken ct)
    {
        var query = session.Query<Slo>().AsQueryable();
        if (!string.IsNullOrEmpty(service)) query = query.Where(s => s.Service == service);
        var slos = (await query.ToListAsync(ct))
            .Where(s => includeRetired || !s.IsRetired)
            .Where(s => labelFilter is null || s.Definition.Labels.GetValueOrDefault(labelFilter[0]) == labelFilter[1])
            .ToList();

        var recorded = await slices.LastRecordedAt(slos.Select(s => s.Id).ToList(), ct);
        var rows = new List<SloHeadline>();
        foreach (var slo in slos)
        {
            var status = (await SloReads.StatusAt(slices, slo, now, ct))!;
            var source = SliSource.Of(slo, sources.Pulls(slo.Definition.Sli), now, sources.Unresolved(slo.Definition.Sli));
            rows.Add(new SloHeadline(slo.Name, slo.Service, status.Target, status.NoData, status.Sli.Ratio, status.Budget.Remaining,
                SloCalculator.HourBurnRate(status.BurnRates), status.Page, status.Ticket, slo.IsRetired,
                slo.Definition.Labels, source, status.Window,
                status.BurnRates.First(b => b.Window == TimeSpan.FromMinutes(5)).BurnRate,
                source.PulledThrough ?? recorded.GetValueOrDefault(slo.Id), slo.Definition.Objective));
        }
        var ordered = sort == SloOrder.RemainingBudget
            ? rows.OrderBy(r => r.RemainingBudget).ThenBy(r => r.Name, StringComparer.Ordinal)
            : rows.OrderBy(r => r.Name, StringComparer.Ordinal);
        return ordered.ToList();
    }
}
