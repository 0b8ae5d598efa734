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
/// view swapped). The table's HTML is kept in the projection cache per view and minute until an SLO or a data source
/// changes, as the JSON list is: a thousand rows are rendered once, not once for every open browser's refresh. Views
/// with a search term, a label or a service no SLO has are rendered every time (their number has no bound).
/// </summary>
public sealed class SloListModel(IQuerySession session, SliceStore slices, ProjectionCache cache, TimeProvider clock, IOptions<PrometheusOptions> prometheus)
    : PageModel
{
    public static readonly (string Column, string Title)[] Headers =
    [
        ("name", "SLO"), ("service", "Service"), ("window", "Window"), ("objective", "Objective"), ("sli", "SLI"),
        ("budget", "Budget remaining"), ("burn1h", "Burn 1h"), ("burn5m", "Burn 5m"), ("state", "Alert"), ("source", "Source"),
        ("age", "Last data"),
    ];

    public SloListQuery Query { get; private set; } = new();
    public IReadOnlyList<SloHeadline> All { get; private set; } = [];
    private IReadOnlyList<SloHeadline>? _rows;

    /// <summary>The rows of this view, filtered and sorted when first asked for (a cached table never asks).</summary>
    public IReadOnlyList<SloHeadline> Rows => _rows ??= Query.Apply(All);
    public IReadOnlyList<string> Services { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = clock.GetUtcNow();
        Query = SloListQuery.From(Request.Query);
        All = await ListSlosEndpoint.Headlines(null, null, SloOrder.RemainingBudget, false, session, slices, cache, Now, prometheus.Value,
            HttpContext.RequestAborted);
        Services = All.Select(r => r.Service).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The table's HTML, from the cache or from <paramref name="render"/>.</summary>
    public async Task<string> Table(Func<Task<string>> render) =>
        Query.Q is null && Query.Label is null && (Query.Service is null || Services.Contains(Query.Service))
            ? (await cache.GetOrLoad(new CacheKey("ui-slo-table", Request.PathBase + Query.Link(), CacheTags.Minute(Now)),
                [CacheTags.Slos, CacheTags.DataSources], async () => await render()))!
            : await render();
}
