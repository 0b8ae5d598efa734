using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Sre.Domain.Incidents;
using Sre.Domain.Slos.Pull;
using Sre.Host.Slos;
using Sre.Host.Ui;
using Sre.Host.Ui.Incidents;
using Sre.Host.Ui.Slos;

namespace Sre.Host.Tests.Ui;

/// <summary>The pure pieces of the UI: how a URL is read, how rows are filtered and sorted, how CSV is written.</summary>
public class UiViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static SloHeadline Row(string name, double remaining, double? burn1h = null, bool page = false, bool ticket = false, bool noData = false,
        string service = "checkout", Dictionary<string, string>? labels = null) =>
        new(name, service, 0.999, noData, noData ? null : 0.9995, remaining, burn1h, page, ticket, false, labels ?? new() { ["team"] = "payments" },
            SliSource.Push, BurnRate5m: burn1h);

    private static IQueryCollection Query(string query) =>
        new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).ToDictionary(p => p.Key, p => (StringValues)p.Value));

    private static readonly SloHeadline[] Rows =
    [
        Row("a-ok", 0.9, burn1h: 0.5),
        Row("b-burning", 0.4, burn1h: 2, ticket: true, service: "search", labels: new() { ["team"] = "search" }),
        Row("c-spent", -0.5, burn1h: 20, page: true),
        Row("d-nodata", 1, noData: true),
    ];

    [Theory]
    [InlineData("", new[] { "c-spent", "b-burning", "a-ok", "d-nodata" })]
    [InlineData("?desc=true", new[] { "d-nodata", "a-ok", "b-burning", "c-spent" })]
    [InlineData("?sort=burn1h&desc=true", new[] { "c-spent", "b-burning", "a-ok", "d-nodata" })]
    [InlineData("?sort=burn1h", new[] { "a-ok", "b-burning", "c-spent", "d-nodata" })]
    [InlineData("?sort=state&desc=true", new[] { "c-spent", "b-burning", "a-ok", "d-nodata" })]
    [InlineData("?alerting=true", new[] { "c-spent", "b-burning" })]
    [InlineData("?burning=true", new[] { "c-spent", "b-burning" })]
    [InlineData("?exhausted=true", new[] { "c-spent" })]
    [InlineData("?label=team%3Dsearch", new[] { "b-burning" })]
    [InlineData("?q=TEAM%3DSEA", new[] { "b-burning" })]
    [InlineData("?service=checkout&sort=name", new[] { "a-ok", "c-spent", "d-nodata" })]
    [InlineData("?sort=nonsense", new[] { "c-spent", "b-burning", "a-ok", "d-nodata" })]
    public void the_slo_list_is_filtered_and_sorted_as_the_url_says_rows_without_a_value_last(string query, string[] expected) =>
        Assert.Equal(expected, SloListQuery.From(Query(query)).Apply(Rows).Select(r => r.Name));

    [Fact]
    public void a_sort_link_reverses_the_current_column_and_starts_another_ascending()
    {
        var view = SloListQuery.From(Query("?service=search&sort=name"));

        Assert.Equal("?service=search&sort=name&desc=true", view.Link(sort: "name"));
        Assert.Equal("?service=search&sort=sli", view.Link(sort: "sli"));
        Assert.Equal("?service=search&label=team%3Dx&sort=name", view.Link(label: "team=x"));
        Assert.Equal("ascending", view.AriaSort("name"));
        Assert.Null(view.AriaSort("sli"));
        Assert.Equal("", new SloListQuery().Link());
    }

    [Fact]
    public void the_incident_list_reads_its_url_and_ignores_what_does_not_parse()
    {
        var view = IncidentListQuery.From(Query("?status=Acknowledged&service=checkout&label=team%3Dpayments&range=7d&page=3"));
        Assert.Equal(new IncidentListQuery(IncidentStatus.Acknowledged, "checkout", null, "team=payments", "7d", 3), view);
        Assert.Equal(new IncidentFilterView(IncidentStatus.Acknowledged, "checkout", Now.AddDays(-7), Now), IncidentFilterView.Of(view.Filter(Now)));
        Assert.Null(IncidentFilterView.Of(view.Filter(Now, withStatus: false)).Status);

        var junk = IncidentListQuery.From(Query("?status=nope&label=nolabel&range=-1d&page=0"));
        Assert.Equal(new IncidentListQuery(), junk);
        Assert.Equal("?status=triggered&service=checkout&label=team%3Dpayments&range=7d", view.Link(status: IncidentStatus.Triggered));
        Assert.Equal("?service=checkout&label=team%3Dpayments&range=7d&page=4", view.Link(clearStatus: true, page: 4));
    }

    private sealed record IncidentFilterView(IncidentStatus? Status, string? Service, DateTimeOffset? From, DateTimeOffset? To)
    {
        public static IncidentFilterView Of(Sre.Host.Incidents.IncidentFilter f) => new(f.Status, f.Service, f.From, f.To);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@sum", "'@sum")]
    public void a_csv_field_is_quoted_as_rfc_4180_says_and_never_read_as_a_formula(string value, string expected) =>
        Assert.Equal(expected, IncidentCsv.Field(value));

    [Fact]
    public void a_csv_line_gives_times_in_utc_the_duration_in_seconds_and_the_spend_as_a_ratio()
    {
        var incident = new Incident
        {
            Id = Guid.Parse("0193e3a0-0000-7000-8000-000000000001"), Title = "Checkout down", Service = "checkout", Severity = "critical",
            Status = IncidentStatus.Resolved, Opened = new(Now.AddHours(-2), "am"), Acknowledged = new(Now.AddHours(-2).AddMinutes(3), "alice"),
            Resolved = new(Now.AddMinutes(-30), "alice"),
        };
        var row = new IncidentRow(incident, IncidentRow.Of(incident, Now), 0.125, "checkout-availability");

        Assert.Equal("0193e3a0-0000-7000-8000-000000000001,Checkout down,resolved,critical,checkout,2026-11-30T10:00:00Z,2026-11-30T10:03:00Z,"
                     + "2026-11-30T11:30:00Z,5400,0.125,checkout-availability", IncidentCsv.Line(row));
        Assert.Equal(IncidentCsv.Header + "\r\n" + IncidentCsv.Line(row) + "\r\n", IncidentCsv.Write([row]));
    }

    [Theory]
    [InlineData(nameof(AlertFired), TimelineKinds.Alerts)]
    [InlineData(nameof(AlertTriaged), TimelineKinds.Alerts)]
    [InlineData(nameof(IncidentAcknowledged), TimelineKinds.Status)]
    [InlineData(nameof(IncidentReopened), TimelineKinds.Status)]
    [InlineData(nameof(IncidentNoteAdded), TimelineKinds.Notes)]
    [InlineData(nameof(PostmortemRecorded), TimelineKinds.Notes)]
    [InlineData(nameof(IncidentSeverityChanged), TimelineKinds.Changes)]
    public void each_event_of_the_timeline_has_its_kind(string type, string kind) => Assert.Equal(kind, TimelineKinds.Of(type));

    [Fact]
    public void no_kind_asked_for_is_every_kind_and_unknown_kinds_are_ignored()
    {
        Assert.Equal(TimelineKinds.All.ToHashSet(), TimelineKinds.Chosen([]));
        Assert.Equal(TimelineKinds.All.ToHashSet(), TimelineKinds.Chosen(["bogus"]));
        Assert.Equal(new HashSet<string> { "notes" }, TimelineKinds.Chosen(["notes", "bogus"]));
    }

    [Theory]
    [InlineData(100.0, 125.0, "+25%")]
    [InlineData(100.0, 90.0, "−10%")]
    [InlineData(100.0, 100.0, "+0%")]
    [InlineData(0.0, 90.0, "–")]
    [InlineData(null, 90.0, "–")]
    [InlineData(100.0, null, "–")]
    public void a_change_against_the_window_before_is_a_signed_percentage(double? before, double? now, string expected) =>
        Assert.Equal(expected, Overview.Change(before, now));

    [Fact]
    public void the_toil_sparkline_is_full_at_twice_the_cap_and_blank_without_capacity() =>
        Assert.Equal("▁▅█ █", Overview.Sparkline([0, 0.5, 1, null, 3], cap: 0.5));

    [Fact]
    public void the_burn_rate_range_is_a_preset_up_to_the_window_or_from_and_to()
    {
        var window = TimeSpan.FromDays(30);
        Assert.Equal(["1h", "6h", "1d", "7d", "30d"], SloRange.Presets(window));
        Assert.Equal(["1h", "2h"], SloRange.Presets(TimeSpan.FromHours(2)));
        Assert.Equal(new SloRange(Now.AddDays(-1), Now, "1d"), SloRange.Of(Query(""), window, Now));
        Assert.Equal(new SloRange(Now.AddHours(-6), Now, "6h"), SloRange.Of(Query("?range=6h"), window, Now));
        Assert.Equal(new SloRange(Now.AddDays(-1), Now, "1d"), SloRange.Of(Query("?range=90d"), window, Now));
        Assert.Equal(new SloRange(Now.AddHours(-3), Now.AddHours(-1), null),
            SloRange.Of(Query("?from=2026-11-30T09:00:00Z&to=2026-11-30T11:00:00Z"), window, Now));
        var instants = new SloRange(Now.AddHours(-2), Now, "2h").Instants();
        Assert.Equal(SloRange.Points, instants.Count);
        Assert.Equal(Now.AddHours(-2), instants[0]);
        Assert.Equal(Now, instants[^1]);
        Assert.Equal(TimeSpan.FromMinutes(1), instants[1] - instants[0]);
    }

    [Theory]
    [InlineData(0.99949, "99.95%")]
    [InlineData(0.5, "50.00%")]
    [InlineData(-2.5, "-250.00%")]
    [InlineData(null, "–")]
    public void percentages_have_two_decimals_and_a_missing_value_is_a_dash(double? ratio, string expected) =>
        Assert.Equal(expected, SloText.Percent(ratio));

    [Theory]
    [InlineData("https://prometheus.example/graph?g0.expr=up", "https://prometheus.example/graph?g0.expr=up")]
    [InlineData("http://prometheus:9090/graph", "http://prometheus:9090/graph")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("JavaScript:alert(1)", null)]
    [InlineData("data:text/html,<script>alert(1)</script>", null)]
    [InlineData("/relative", null)]
    [InlineData(null, null)]
    public void only_http_and_https_links_reach_an_href(string? url, string? expected) => Assert.Equal(expected, SloText.SafeUrl(url));
}
