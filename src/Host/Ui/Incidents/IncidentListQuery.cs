using Sre.Domain.Incidents;
using Sre.Domain.Time;
using Sre.Host.Incidents;
using static Sre.Host.Ui.QueryText;

namespace Sre.Host.Ui.Incidents;

/// <summary>
/// The view of the incident list a URL asks for (<c>/ui/incidents?status=triggered&amp;service=&amp;severity=&amp;label=k=v&amp;range=30d&amp;page=2</c>):
/// the <see cref="IncidentFilter"/> of the API's list, with the opening time as a range back from now (<c>range</c>, a
/// Prometheus duration, default 30d) and 50 incidents a page, newest first.
/// </summary>
public sealed record IncidentListQuery(
    IncidentStatus? Status = null, string? Service = null, string? Severity = null, string? Label = null,
    string Range = IncidentListQuery.DefaultRange, int Page = 1)
{
    public const string DefaultRange = "30d";
    public const int PageSize = 50;

    /// <summary>The ranges the page offers; any Prometheus duration is taken from the URL.</summary>
    public static readonly string[] Ranges = ["1d", "7d", "30d", "90d", "365d"];

    public static IncidentListQuery From(IQueryCollection query) => new(
        Enum.TryParse<IncidentStatus>(query["status"], ignoreCase: true, out var status) ? status : null,
        Text(query["service"]), Text(query["severity"]), Text(query["label"]) is { } l && l.Contains('=') ? l : null,
        Text(query["range"]) is { } r && PromDuration.TryParse(r, out var span) && span > TimeSpan.Zero ? r : DefaultRange,
        int.TryParse(query["page"], out var page) && page is >= 1 and <= 1_000_000 ? page : 1);

    public TimeSpan Span => PromDuration.TryParse(Range, out var span) ? span : TimeSpan.FromDays(30);

    /// <summary>The API's filter for this view as of <paramref name="now"/>; without its status for the count cards.</summary>
    public IncidentFilter Filter(DateTimeOffset now, bool withStatus = true) =>
        new(withStatus ? Status : null, Service, Severity, Label, now - Span, now);

    /// <summary>The query string of this view with a part changed; a changed filter goes back to the first page.</summary>
    public string Link(IncidentStatus? status = null, bool clearStatus = false, int? page = null)
    {
        var s = clearStatus ? null : status ?? Status;
        var pairs = new List<KeyValuePair<string, string?>>
        {
            new("status", s?.ToString().ToLowerInvariant()), new("service", Service), new("severity", Severity), new("label", Label),
            new("range", Range == DefaultRange ? null : Range), new("page", page is > 1 ? page.ToString() : null),
        };
        return QueryString.Create(pairs.Where(p => p.Value is not null)).ToUriComponent();
    }
}
