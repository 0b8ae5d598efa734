using System.Text;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Sre.Domain.Incidents;
using Sre.Host.Incidents;
using Sre.Host.Slos;
using Sre.Host.Ui.Incidents;
using Sre.Projections.Caching;

namespace Sre.Host.Ui.Pages.Incidents;

/// <summary>
/// <c>GET /ui/incidents</c>: the incidents of <see cref="IncidentListQuery"/> (the API's <see cref="IncidentFilter"/>),
/// newest first, 50 a page, with the count of each status under the other filters as cards that filter by it.
/// <c>GET /ui/incidents/csv</c> with the same query: every incident of the filter (not a page) as <see cref="IncidentCsv"/>.
/// </summary>
public sealed class IncidentListModel(IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock) : PageModel
{
    /// <summary>The most rows a CSV export holds; the filter narrows a larger list.</summary>
    public const int MaxCsvRows = 100_000;

    public IncidentListQuery Query { get; private set; } = new();
    public IncidentPage Found { get; private set; } = new([], 1, IncidentListQuery.PageSize, 0);
    public IReadOnlyList<IncidentRow> Rows { get; private set; } = [];
    public IReadOnlyList<(IncidentStatus Status, long Count)> Counts { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Now = clock.GetUtcNow();
        Query = IncidentListQuery.From(Request.Query);
        Found = await Query.Filter(Now).Page(session, Query.Page, IncidentListQuery.PageSize, ct);
        Rows = await IncidentRow.For(Found.Items, session, slices, Now, ct);
        // The counts of the other filters, kept a minute until an incident changes (the cards do not move with the page).
        var statuses = Enum.GetValues<IncidentStatus>();
        var counts = await cache.GetOrLoad(new CacheKey("ui-incident-counts", Query.Link(clearStatus: true), CacheTags.Minute(Now)), [CacheTags.Incidents],
            async () =>
            {
                var found = new long[statuses.Length];
                for (var i = 0; i < statuses.Length; i++)
                    found[i] = await (Query.Filter(Now, withStatus: false) with { Status = statuses[i] }).Apply(session.Query<Incident>()).CountAsync(ct);
                return found;
            });
        Counts = statuses.Select((s, i) => (s, counts![i])).ToList();
    }

    public async Task<IActionResult> OnGetCsvAsync()
    {
        var ct = HttpContext.RequestAborted;
        Now = clock.GetUtcNow();
        Query = IncidentListQuery.From(Request.Query);
        var incidents = await Query.Filter(Now).Apply(session.Query<Incident>()).OrderByDescending(i => i.Opened.At).Take(MaxCsvRows).ToListAsync(ct);
        var csv = IncidentCsv.Write(await IncidentRow.For(incidents, session, slices, Now, ct));
        return File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"incidents-{Now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.csv");
    }
}
