using Sre.Host.Slos;
using static Sre.Host.Ui.QueryText;

namespace Sre.Host.Ui.Slos;

/// <summary>
/// The view of the SLO list a URL asks for (<c>/ui/slos?q=&amp;service=&amp;label=k=v&amp;alerting=true&amp;burning=true&amp;exhausted=true&amp;sort=budget&amp;desc=false</c>):
/// a search in names, services and labels; a service; a label; the SLOs alerting (page or ticket), burning faster
/// than 1x over the last hour, or with the budget exhausted (remaining at or below 0); sorted by any column, the
/// worst remaining budget first by default. All of it is in the URL, so a link shows the same view.
/// </summary>
public sealed record SloListQuery(
    string? Q = null, string? Service = null, string? Label = null, bool Alerting = false, bool Burning = false, bool Exhausted = false,
    string Sort = SloListQuery.DefaultSort, bool Desc = false)
{
    public const string DefaultSort = "budget";

    /// <summary>The sortable columns, by the name the URL gives them.</summary>
    public static readonly IReadOnlyDictionary<string, Func<SloHeadline, IComparable?>> Columns = new Dictionary<string, Func<SloHeadline, IComparable?>>
    {
        ["name"] = r => r.Name,
        ["service"] = r => r.Service,
        ["window"] = r => r.Window is { } w ? SloText.Length(w) : null,
        ["objective"] = r => r.Target,
        ["sli"] = r => r.Sli,
        ["budget"] = r => r.RemainingBudget,
        ["burn1h"] = r => r.BurnRate1h,
        ["burn5m"] = r => r.BurnRate5m,
        ["state"] = r => r.Page ? 2 : r.Ticket ? 1 : 0,
        ["source"] = r => r.Source.DataSource ?? r.Source.Kind,
        // The age of the last data: the newest data first.
        ["age"] = r => r.LastDataAt is { } t ? -t.UtcTicks : null,
    };

    public static SloListQuery From(IQueryCollection query) => new(
        Text(query["q"]), Text(query["service"]), Text(query["label"]), Flag(query["alerting"]), Flag(query["burning"]), Flag(query["exhausted"]),
        Text(query["sort"]) is { } sort && Columns.ContainsKey(sort) ? sort : DefaultSort,
        Flag(query["desc"]));

    /// <summary>The rows this view shows, in its order (ties by name).</summary>
    public IReadOnlyList<SloHeadline> Apply(IEnumerable<SloHeadline> rows)
    {
        var label = Label?.Split('=', 2);
        var shown = rows.Where(r =>
            (Q is null || r.Name.Contains(Q, StringComparison.OrdinalIgnoreCase) || r.Service.Contains(Q, StringComparison.OrdinalIgnoreCase)
             || r.Labels.Any(l => $"{l.Key}={l.Value}".Contains(Q, StringComparison.OrdinalIgnoreCase)))
            && (Service is null || r.Service == Service)
            && (label is null || (label.Length == 2 && r.Labels.GetValueOrDefault(label[0]) == label[1]))
            && (!Alerting || r.Page || r.Ticket)
            && (!Burning || r.BurnRate1h > 1)
            && (!Exhausted || (!r.NoData && r.RemainingBudget <= 0)));
        var key = Columns[Sort];
        // Rows without a value (no data) go last whichever the direction.
        var ordered = shown.OrderBy(r => key(r) is null ? 1 : 0);
        ordered = Desc ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
        return ordered.ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The query string of this view with some of it changed (a sort header, a label clicked).</summary>
    public string Link(string? sort = null, string? label = null, bool? desc = null)
    {
        var s = sort ?? Sort;
        var pairs = new List<KeyValuePair<string, string?>>
        {
            new("q", Q), new("service", Service), new("label", label ?? Label),
            new("alerting", Alerting ? "true" : null), new("burning", Burning ? "true" : null), new("exhausted", Exhausted ? "true" : null),
            new("sort", s == DefaultSort ? null : s),
            new("desc", (desc ?? (sort is not null && sort == Sort ? !Desc : sort is null && Desc)) ? "true" : null),
        };
        return QueryString.Create(pairs.Where(p => p.Value is not null)).ToUriComponent();
    }

    /// <summary>aria-sort of a column's header: set on the column the view is sorted by.</summary>
    public string? AriaSort(string column) => column == Sort ? Desc ? "descending" : "ascending" : null;
}
