using System.Text;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Sre.Domain.Incidents;
using Sre.Host.Incidents;
using Sre.Host.Slos;
using Sre.Host.Ui.Incidents;

namespace Sre.Host.Ui.Pages.Incidents;

/// <summary>
/// <c>GET /ui/incidents</c>: the incidents of <see cref="IncidentListQuery"/> (the API's <see cref="IncidentFilter"/>),
/// newest first, 50 a page, with the count of each status under the other filters as cards that filter by it.
/// <c>GET /ui/incidents/csv</c> with the same query: every incident of the filter (not a page) as <see cref="IncidentCsv"/>.
/// </summary>
public sealed class IncidentListModel(IQuerySession session, SliceStore slices, TimeProvider clock) : PageModel
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
        var counts = new List<(IncidentStatus, long)>();
        foreach (var status in Enum.GetValues<IncidentStatus>())
            counts.Add((status, await (Query.Filter(Now, withStatus: false) with { Status = status }).Apply(session.Query<Incident>()).CountAsync(ct)));
        Counts = counts;
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
