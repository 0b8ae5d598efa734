using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Sre.Host.Slos;
using Sre.Host.Slos.Prometheus;
using Sre.Host.Ui.Slos;
using Sre.Projections.Caching;

namespace Sre.Host.Ui.Pages.Slos;

/// <summary>
/// <c>GET /ui/slos</c>: every SLO with its headline numbers (the rows <c>GET /api/v1/slos</c> answers, from the same
/// <see cref="ListSlosEndpoint.Headlines"/>), worst remaining budget first, filtered and sorted as
/// <see cref="SloListQuery"/> reads the URL. The table refreshes itself every 30 s with htmx (the same URL, the
/// table alone swapped).
/// </summary>
public sealed class SloListModel(IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock, IOptions<PrometheusOptions> prometheus)
    : PageModel
{
    public static readonly (string Column, string Title, bool Numeric)[] Headers =
    [
        ("name", "SLO", false), ("service", "Service", false), ("window", "Window", false), ("objective", "Objective", true),
        ("sli", "SLI", true), ("budget", "Budget remaining", true), ("burn1h", "Burn 1h", true), ("burn5m", "Burn 5m", true),
        ("state", "Alert", false), ("source", "Source", false), ("age", "Last data", true),
    ];

    public SloListQuery Query { get; private set; } = new();
    public IReadOnlyList<SloHeadline> All { get; private set; } = [];
    public IReadOnlyList<SloHeadline> Rows { get; private set; } = [];
    public IReadOnlyList<string> Services { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = clock.GetUtcNow();
        Query = SloListQuery.From(Request.Query);
        All = await ListSlosEndpoint.Headlines(null, null, SloOrder.RemainingBudget, false, session, slices, cache, Now, prometheus.Value,
            HttpContext.RequestAborted);
        Rows = Query.Apply(All);
        Services = All.Select(r => r.Service).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
