using System.Net;
using System.Net.Http.Json;
using Sre.Domain.Incidents;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Incidents;

public class IncidentCommandTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task<Incident> Ok(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Incident>(Json))!;
    }

    [Fact]
    public async Task every_command_is_an_event_with_actor_and_time()
    {
        var id = (await FiringAlert("fp1")).Id;
        var steps = new (string Verb, object Body)[]
        {
            ("acknowledge", new { by = "alice" }),
            ("commander", new { by = "alice", commander = "carol" }),
            ("notes", new { by = "bob", text = "error ratio 3% on eu-west" }),
            ("severity", new { by = "carol", severity = "critical" }),
            ("mitigate", new { by = "alice", note = "rolled back" }),
            ("resolve", new { by = "alice" }),
            ("reopen", new { by = "bob", reason = "errors again" }),
            ("resolve", new { by = "alice" }),
            ("triage", new { by = "alice", verdict = "actionable" }),
            ("postmortem", new { by = "carol", link = "https://wiki.example/pm/42", summary = "Bad config",
                actionItems = new[] { new { title = "Validate config in CI", priority = "P0" } } }),
            ("close", new { by = "carol" }),
        };
        Incident incident = null!;
        foreach (var (verb, body) in steps)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            incident = await Ok(await Command(id, verb, body));
        }

        Assert.Equal(IncidentStatus.Closed, incident.Status);
        Assert.Equal(("carol", "critical"), (incident.Commander, incident.Severity));
        Assert.Equal(AlertVerdict.Actionable, (await AlertsOf(id)).Single().Verdict);
        Assert.Equal(2 + steps.Length, incident.Version);
        var timeline = await Get<List<TimelineEntryDto>>($"/api/v1/incidents/{id}/timeline");
        Assert.Equal(["IncidentOpened", "AlertFired", "IncidentAcknowledged", "IncidentCommanderAssigned", "IncidentNoteAdded",
            "IncidentSeverityChanged", "IncidentMitigated", "IncidentResolved", "IncidentReopened", "IncidentResolved", "AlertTriaged",
            "PostmortemRecorded", "IncidentClosed"], timeline.Select(e => e.Type));
        Assert.Equal(("test-admin:carol", AppFixture.Epoch.AddMinutes(11)), (timeline[^1].By, timeline[^1].At));
        Assert.Equal(Enumerable.Range(1, 13).Select(v => (long)v), timeline.Select(e => e.Version));
    }

    public sealed record TimelineEntryDto(long Version, string Type, DateTimeOffset At, string By);

    [Fact]
    public async Task command_not_allowed_in_the_state_is_409_and_appends_nothing()
    {
        var id = (await FiringAlert("fp1")).Id;
        var before = await StoredEvents();

        var response = await Command(id, "close", new { by = "alice" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("resolved", (await Problem(response)).GetProperty("detail").GetString());
        Assert.Equal(before, await StoredEvents());
    }

    [Fact]
    public async Task page_incident_needs_a_postmortem_before_close()
    {
        var id = (await FiringAlert("fp1")).Id;
        await Ok(await Command(id, "resolve", new { by = "alice" }));

        var refused = await Command(id, "close", new { by = "alice" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("postmortem", (await Problem(refused)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task stale_expected_version_is_409_and_stale_if_match_is_412()
    {
        var id = (await FiringAlert("fp1")).Id;
        await Ok(await Command(id, "acknowledge", new { by = "alice", expectedVersion = 2 }));

        var stale = await Command(id, "notes", new { by = "bob", text = "late", expectedVersion = 2 });
        var staleTag = await Command(id, "notes", new { by = "bob", text = "late" }, ifMatch: "\"2\"");
        var fresh = await Command(id, "notes", new { by = "bob", text = "current" }, ifMatch: "\"3\"");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleTag.StatusCode);
        Assert.Equal("\"4\"", fresh.Headers.ETag?.Tag);
        Assert.Equal(4, await StoredEvents());
    }

    [Fact]
    public async Task concurrent_commands_with_one_version_let_exactly_one_win()
    {
        var id = (await FiringAlert("fp1")).Id;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Command(id, "notes", new { by = $"user{i}", text = "same base", expectedVersion = 2 }))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(3, await StoredEvents());
    }

    [Fact]
    public async Task unknown_incident_is_404()
    {
        var response = await Command(Guid.NewGuid(), "acknowledge", new { by = "alice" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("commander", "{\"by\":\"a\"}", "commander")]
    [InlineData("severity", "{\"by\":\"a\",\"severity\":\" \"}", "severity")]
    [InlineData("notes", "{\"by\":\"a\"}", "text")]
    [InlineData("postmortem", "{\"by\":\"a\",\"link\":\"not a url\",\"summary\":\"s\"}", "link")]
    [InlineData("postmortem", "{\"by\":\"a\",\"link\":\"javascript:alert(1)\",\"summary\":\"s\"}", "link")]
    [InlineData("triage", "{\"by\":\"a\",\"verdict\":\"maybe\"}", "verdict")]
    public async Task invalid_command_is_400_naming_the_field(string verb, string json, string field)
    {
        var id = (await FiringAlert("fp1")).Id;
        var response = await Client().PostAsync($"/api/v1/incidents/{id}/{verb}",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Equal(2, await StoredEvents());
    }

    [Fact]
    public async Task invalid_command_is_400_whether_the_incident_exists_or_not()
    {
        var response = await Client().PostAsync($"/api/v1/incidents/{Guid.NewGuid()}/notes",
            new StringContent("{\"by\":\"a\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task triage_of_one_alert_by_fingerprint()
    {
        var id = (await FiringAlert("fp1", "fp2")).Id;

        var answer = await Command(id, "triage", new { by = "alice", verdict = "noise", fingerprint = "fp2" });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal([null, AlertVerdict.Noise], (await AlertsIn(answer)).Select(a => a.Verdict));
        Assert.Equal([null, AlertVerdict.Noise], (await AlertsOf(id)).Select(a => a.Verdict));
        Assert.Equal(HttpStatusCode.Conflict, (await Command(id, "triage", new { by = "a", verdict = "noise", fingerprint = "zz" })).StatusCode);
    }
}
