using Marten;
using Microsoft.AspNetCore.Authorization;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Sre.Projections.Caching;
using Wolverine.Http;

namespace Sre.Host.Slos;

public sealed record SloHeadline(
    string Name, string Service, double Target, bool NoData, double? Sli, double RemainingBudget, double? BurnRate1h,
    bool Page, bool Ticket, bool Retired, Dictionary<string, string> Labels);

/// <summary>Every SLO with its headline numbers; <c>sort=remainingBudget</c> puts the worst first.</summary>
public static class ListSlosEndpoint
{
    [WolverineGet("/api/v1/slos")]
    [Authorize(Policies.Read)]
    public static async Task<IResult> Get(
        string? service, string? label, string? sort, bool? includeRetired, IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock, HttpContext http)
    {
        if (sort is not (null or "name" or "remainingBudget")) return Problems.Invalid("sort", "must be name or remainingBudget.");
        var labelFilter = label?.Split('=', 2);
        if (labelFilter is { Length: not 2 }) return Problems.Invalid("label", "must be key=value.");

        var now = clock.GetUtcNow();
        var key = new CacheKey("slo-list", $"{service}|{label}|{sort}|{includeRetired}", CacheTags.Minute(now));
        return Results.Ok(await cache.GetOrLoad(key, [CacheTags.Slos], () => Load(service, labelFilter, sort, includeRetired, session, slices, now, http)));
    }

    private static async Task<List<SloHeadline>?> Load(
        string? service, string[]? labelFilter, string? sort, bool? includeRetired, IQuerySession session, SliceStore slices,
        DateTimeOffset now, HttpContext http)
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
                status.BurnRates.Single(b => b.Window == TimeSpan.FromHours(1)).BurnRate, status.Page, status.Ticket, slo.IsRetired,
                slo.Definition.Labels));
        }
        var ordered = sort == "remainingBudget"
            ? rows.OrderBy(r => r.RemainingBudget).ThenBy(r => r.Name, StringComparer.Ordinal)
            : rows.OrderBy(r => r.Name, StringComparer.Ordinal);
        return ordered.ToList();
    }
}
