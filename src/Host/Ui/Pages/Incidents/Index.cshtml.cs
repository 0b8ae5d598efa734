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
    /// <summary>The most rows a CSV export holds, newest first; the filter narrows a larger list.</summary>
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
        // The count of each status under the other filters: the cards, and the list's total. Kept a minute, until an
        // incident changes, for the views whose number is bounded (no free text); counting 100,000 incidents is the
        // page's dearest part (bench/ui).
        var statuses = Enum.GetValues<IncidentStatus>();
        async Task<long[]> Count()
        {
            var found = new long[statuses.Length];
            for (var i = 0; i < statuses.Length; i++)
                found[i] = await (Query.Filter(Now, withStatus: false) with { Status = statuses[i] }).Apply(session.Query<Incident>()).LongCountAsync(ct);
            return found;
        }
        var counts = Query is { Service: null, Severity: null, Label: null } && IncidentListQuery.Ranges.Contains(Query.Range)
            ? (await cache.GetOrLoad(new CacheKey("ui-incident-counts", Query.Link(clearStatus: true), CacheTags.Minute(Now)), [CacheTags.Incidents], async () => await Count()))!
            : await Count();
        Counts = statuses.Select((s, i) => (s, counts[i])).ToList();
        var total = Query.Status is { } status ? counts[Array.IndexOf(statuses, status)] : counts.Sum();
        Found = new IncidentPage(await Query.Filter(Now).Items(session, Query.Page, IncidentListQuery.PageSize, ct), Query.Page,
            IncidentListQuery.PageSize, total);
        Rows = await IncidentRow.For(Found.Items, session, slices, Now, ct);
    }

    public async Task<IActionResult> OnGetCsvAsync()
    {
        var ct = HttpContext.RequestAborted;
        Now = clock.GetUtcNow();
        Query = IncidentListQuery.From(Request.Query);
        // Written as it is read, a thousand incidents at a time: the file is never whole in memory.
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=incidents-{Now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.csv";
        await using var csv = new StreamWriter(Response.Body, new UTF8Encoding(false), leaveOpen: true);
        await csv.WriteAsync(IncidentCsv.Header + "\r\n");
        for (var page = 1; page <= MaxCsvRows / 1000; page++)
        {
            var incidents = await Query.Filter(Now).Items(session, page, 1000, ct);
            foreach (var row in await IncidentRow.For(incidents, session, slices, Now, ct)) await csv.WriteAsync(IncidentCsv.Line(row) + "\r\n");
            if (incidents.Count < 1000) break;
        }
        return new EmptyResult();
    }
}
