using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Ui;

/// <summary>The incident list, its CSV, and the incident page's actions, against the JSON API for the same data.</summary>
public sealed class UiIncidentPageTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task<(Guid Checkout, Guid Search, Guid Login)> ThreeIncidents()
    {
        var checkout = await Client().Declare("Checkout down", "checkout", "critical");
        Clock.Advance(TimeSpan.FromMinutes(10));
        var search = await Client().Declare("Search slow", "search", "warning");
        Clock.Advance(TimeSpan.FromMinutes(10));
        var login = await Client().Declare("Login errors, \"bad\" = worse", "login", "critical");
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await Command(search, "acknowledge", new { })).IsSuccessStatusCode);
        Clock.Advance(TimeSpan.FromMinutes(5));
        return (checkout, search, login);
    }

    private static IDictionary<string, string> Form(long version, params (string Name, string Value)[] fields) =>
        fields.Append(("version", version.ToString())).ToDictionary(f => f.Item1, f => f.Item2);

    [Fact]
    public async Task the_incident_list_counts_each_status_lists_newest_first_and_filters_like_the_api()
    {
        var (checkout, search, login) = await ThreeIncidents();
        var ui = await UiSession.SignedIn(Host);

        var page = await ui.Page("/ui/incidents");

        Assert.Equal([login.ToString(), search.ToString(), checkout.ToString()], page.Rows("data-incident"));
        Assert.Equal("2", page.QuerySelector("a.tile[data-status=triggered] .v")!.TextContent);
        Assert.Equal("1", page.QuerySelector("a.tile[data-status=acknowledged] .v")!.TextContent);
        Assert.Equal("0", page.QuerySelector("a.tile[data-status=closed] .v")!.TextContent);
        Assert.Equal("/ui/incidents?status=acknowledged", page.QuerySelector("a.tile[data-status=acknowledged]")!.GetAttribute("href"));

        foreach (var (query, api) in new[]
                 {
                     ("?status=triggered", "?status=triggered"), ("?severity=critical", "?severity=critical"),
                     ("?service=search", "?service=search"), ("?label=team%3Dpayments", "?label=team%3Dpayments"),
                 })
        {
            var expected = (await Get<JsonElement>("/api/v1/incidents" + api)).GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("id").GetString()!).ToList();
            Assert.Equal(expected, (await ui.Page("/ui/incidents" + query)).Rows("data-incident"));
        }
        Assert.Empty((await ui.Page("/ui/incidents?label=team%3Dnone")).Rows("data-incident"));
    }

    [Fact]
    public async Task the_csv_export_holds_every_incident_of_the_filter_quoted_as_rfc_4180_says()
    {
        var (_, search, login) = await ThreeIncidents();
        var ui = await UiSession.SignedIn(Host);

        var response = await ui.Get("/ui/incidents/csv?severity=critical");

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("id,title,status,severity,service,opened,acknowledged,resolved,duration_seconds,budget_spent,budget_slo", lines[0]);
        Assert.Equal($"{login},\"Login errors, \"\"bad\"\" = worse\",triggered,critical,login,2026-11-20T08:20:00Z,,,600,,", lines[1]);
        Assert.DoesNotContain(lines, l => l.StartsWith(search.ToString()));
    }

    [Fact]
    public async Task an_action_on_the_incident_page_is_the_apis_command_and_shows_on_its_timeline()
    {
        var id = await Client().Declare("Checkout down", "checkout", "critical");
        Clock.Advance(TimeSpan.FromMinutes(3));
        var ui = await UiSession.SignedIn(Host);
        var page = await ui.Page($"/ui/incidents/{id}");
        Assert.Equal("1", page.QuerySelector("#incident")!.GetAttribute("data-version"));

        var response = await ui.Post($"/ui/incidents/{id}?handler=acknowledge", page, Form(1, ("by", "alice")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var incident = await Get<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("acknowledged", incident.GetProperty("status").GetString());
        Assert.Equal("test-admin:alice", incident.GetProperty("acknowledged").GetProperty("by").GetString());
        var after = await ui.Page($"/ui/incidents/{id}");
        Assert.Equal("acknowledged", after.QuerySelector("#incident-status")!.TextContent);
        var last = after.QuerySelectorAll("#timeline li").Last();
        Assert.Equal("IncidentAcknowledged", last.GetAttribute("data-type"));
        Assert.Contains("by test-admin:alice", last.TextContent);
        Assert.Equal("2026-11-20T08:03:00Z", last.QuerySelector("time")!.GetAttribute("datetime"));
    }

    [Fact]
    public async Task a_refused_action_answers_the_apis_status_beside_its_form_and_stores_nothing()
    {
        var id = await Client().Declare("Checkout down", "checkout", "critical");
        var ui = await UiSession.SignedIn(Host);
        var page = await ui.Page($"/ui/incidents/{id}");
        Assert.True((await Command(id, "acknowledge", new { })).IsSuccessStatusCode);
        var events = await StoredEvents();

        // The page was rendered at version 1; the incident moved on since.
        var stale = await ui.Post($"/ui/incidents/{id}?handler=resolve", page, Form(1), htmx: true);
        var emptyNote = await ui.Post($"/ui/incidents/{id}?handler=note", page, Form(2, ("text", " ")), htmx: true);
        var twice = await ui.Post($"/ui/incidents/{id}?handler=acknowledge", page, Form(2), htmx: true);
        var script = await ui.Post($"/ui/incidents/{id}?handler=postmortem", page, Form(2, ("link", "javascript:alert(1)"), ("summary", "s")), htmx: true);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Expected version 1, but the incident is at version 2", await ErrorBeside(stale, "resolve"));
        Assert.Equal(HttpStatusCode.BadRequest, emptyNote.StatusCode);
        Assert.Contains("text", await ErrorBeside(emptyNote, "note"));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("cannot be acknowledged", await ErrorBeside(twice, "acknowledge"));
        Assert.Equal(HttpStatusCode.BadRequest, script.StatusCode);
        Assert.Contains("link: must be an absolute http or https URL", await ErrorBeside(script, "postmortem"));
        Assert.Equal(events, await StoredEvents());
    }

    [Fact]
    public async Task the_timeline_filters_by_kind_and_the_incident_page_says_when_a_postmortem_is_required()
    {
        var id = await Client().Declare("Checkout down", "checkout", "critical");
        Assert.True((await Command(id, "notes", new { text = "rolled back" })).IsSuccessStatusCode);
        Assert.True((await Command(id, "acknowledge", new { })).IsSuccessStatusCode);
        var ui = await UiSession.SignedIn(Host);

        var notes = await ui.Page($"/ui/incidents/{id}?kind=notes");
        var status = await ui.Page($"/ui/incidents/{id}?kind=status");

        Assert.Equal(["IncidentNoteAdded"], notes.QuerySelectorAll("#timeline li").Select(l => l.GetAttribute("data-type")));
        Assert.Equal(["IncidentDeclared", "IncidentAcknowledged"], status.QuerySelectorAll("#timeline li").Select(l => l.GetAttribute("data-type")));
        Assert.Contains("severity is critical", notes.QuerySelector("#postmortem-required")!.TextContent);
    }

    private static async Task<string> ErrorBeside(HttpResponseMessage response, string action)
    {
        IDocument page = await UiSession.Parse(await response.Content.ReadAsStringAsync());
        return page.QuerySelector($"form[data-action={action}] .error")?.TextContent ?? "";
    }
}
