using System.Net;
using System.Text.Json;
using Sre.Domain.Incidents;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Incidents;

public class IncidentQueryTests(AppFixture fixture) : IntegrationContext(fixture)
{
    public sealed record IncidentPage(List<Incident> Items, int Page, int PageSize, long Total);

    private async Task OpenIncident(string alertName, string service, string severity)
    {
        var body = Payloads.Notification([new Payloads.AlertSpec($"{alertName}-{service}", AlertName: alertName, Service: service, Severity: severity)]);
        Assert.Equal(HttpStatusCode.OK, (await PostNotification(body)).StatusCode);
        Clock.Advance(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task list_filters_pages_and_puts_newest_first()
    {
        await OpenIncident("A", "checkout", "page");
        await OpenIncident("B", "checkout", "ticket");
        await OpenIncident("C", "search", "page");
        var searchId = (await Incidents()).First().Id;
        await Command(searchId, "acknowledge", new { by = "alice" });

        var all = await Get<IncidentPage>("/api/v1/incidents?pageSize=2");
        var checkoutPages = await Get<IncidentPage>("/api/v1/incidents?service=checkout&severity=page");
        var acked = await Get<IncidentPage>("/api/v1/incidents?status=acknowledged");
        var window = await Get<IncidentPage>($"/api/v1/incidents?from={Uri.EscapeDataString(AppFixture.Epoch.AddMinutes(5).ToString("O"))}&to=2026-11-20T08:15:00Z");

        Assert.Equal((3L, 2), (all.Total, all.Items.Count));
        Assert.Equal(["search", "checkout"], all.Items.Select(i => i.Service));
        Assert.Equal("A", checkoutPages.Items.Single().Labels["alertname"]);
        Assert.Equal(searchId, acked.Items.Single().Id);
        Assert.Equal("ticket", window.Items.Single().Severity);
    }

    [Fact]
    public async Task list_refuses_an_unknown_status_naming_it()
    {
        var response = await Client().GetAsync("/api/v1/incidents?status=sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task incident_as_it_was_at_a_past_instant()
    {
        var id = (await FiringAlert("fp1")).Id;
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Command(id, "acknowledge", new { by = "alice" });
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Command(id, "resolve", new { by = "alice" });

        var now = await Get<Incident>($"/api/v1/incidents/{id}");
        var then = await Get<Incident>($"/api/v1/incidents/{id}?at={Uri.EscapeDataString(AppFixture.Epoch.AddMinutes(7).ToString("O"))}");
        var before = await Client().GetAsync($"/api/v1/incidents/{id}?at=2020-01-01T00:00:00Z");

        Assert.Equal((IncidentStatus.Resolved, 4L), (now.Status, now.Version));
        Assert.Equal((IncidentStatus.Acknowledged, 3L), (then.Status, then.Version));
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
    }

    [Fact]
    public async Task service_stats_give_time_to_acknowledge_mitigate_and_resolve()
    {
        await OpenIncident("A", "checkout", "page");
        await OpenIncident("B", "checkout", "ticket");
        var ids = (await Incidents()).Select(i => i.Id).ToList();
        Clock.Advance(TimeSpan.FromMinutes(1));
        foreach (var id in ids) await Command(id, "acknowledge", new { by = "alice" });
        Clock.Advance(TimeSpan.FromMinutes(9));
        await Command(ids[0], "resolve", new { by = "alice" });

        var stats = await Get<JsonElement>("/api/v1/services/checkout/incident-stats?window=7d");

        Assert.Equal(2, stats.GetProperty("incidents").GetInt32());
        Assert.Equal(1, stats.GetProperty("openNow").GetInt32());
        Assert.Equal(1, stats.GetProperty("bySeverity").GetProperty("ticket").GetInt32());
        // Opened at +0 and +10 min, both acknowledged at +21 min: 21 and 11 minutes.
        Assert.Equal(16 * 60, stats.GetProperty("timeToAcknowledge").GetProperty("meanSeconds").GetDouble(), 3);
        Assert.Equal(20 * 60, stats.GetProperty("timeToResolve").GetProperty("p50Seconds").GetDouble(), 3);
    }

    [Fact]
    public async Task alert_rule_quality_counts_notifications_and_precision()
    {
        await FiringAlert("fp1", "fp2");
        await PostNotification(Payloads.Resolved("fp1"));
        var id = (await Incidents()).Single().Id;
        await Command(id, "triage", new { by = "alice", verdict = "noise", fingerprint = "fp1" });
        await Command(id, "triage", new { by = "alice", verdict = "actionable", fingerprint = "fp2" });

        var report = await Get<JsonElement>("/api/v1/alert-rules/quality?window=30d");

        var rule = report.GetProperty("rules").EnumerateArray().Single();
        Assert.Equal("HighErrorRate", rule.GetProperty("alertName").GetString());
        Assert.Equal((2, 2, 1), (rule.GetProperty("notifications").GetInt32(), rule.GetProperty("occurrences").GetInt32(),
            rule.GetProperty("incidents").GetInt32()));
        Assert.Equal(0.5, rule.GetProperty("precision").GetDouble());
    }

    [Fact]
    public async Task timeline_of_an_unknown_incident_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await Client().GetAsync($"/api/v1/incidents/{Guid.NewGuid()}/timeline")).StatusCode);
}
