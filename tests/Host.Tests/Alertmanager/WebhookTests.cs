using System.Net;
using Sre.Domain.Incidents;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Alertmanager;

public class WebhookTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task firing_notification_opens_an_incident_with_its_alerts()
    {
        var incident = await FiringAlert("fp1", "fp2");

        Assert.Equal(("Checkout error ratio above 2%", "checkout", "page"), (incident.Title, incident.Service, incident.Severity));
        Assert.Equal(IncidentStatus.Triggered, incident.Status);
        Assert.Equal(["fp1", "fp2"], (await AlertsOf(incident.Id)).Select(a => a.Fingerprint));
        Assert.Equal(["checkout-availability"], incident.Slos);
        Assert.Equal(3, incident.Version);
    }

    [Fact]
    public async Task a_firing_alert_after_the_incident_was_resolved_by_hand_opens_the_next_incident()
    {
        // The webhook's writer holds the incident as it stored it; the command moves the incident on behind it.
        var first = await FiringAlert("fp1");
        Assert.Equal(HttpStatusCode.OK, (await Command(first.Id, "resolve", new { by = "alice" })).StatusCode);
        Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Payloads.Firing("fp2"))).StatusCode);

        var incidents = await Incidents();
        Assert.Equal([2, 1], incidents.Select(i => i.Sequence));
        Assert.Equal(["fp2"], (await AlertsOf(incidents[0].Id)).Select(a => a.Fingerprint));
        Assert.Equal(["fp1"], (await AlertsOf(first.Id)).Select(a => a.Fingerprint));
    }

    [Fact]
    public async Task duplicate_notification_appends_nothing_and_answers_ok()
    {
        await FiringAlert("fp1");
        var before = await StoredEvents();

        var again = await PostNotification(Payloads.Firing("fp1"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(before, await StoredEvents());
    }

    [Fact]
    public async Task a_late_firing_delivery_of_a_resolved_alert_changes_nothing()
    {
        var incident = await FiringAlert("a1");
        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Payloads.Resolved("a1"))).StatusCode);
        var before = await StoredEvents();

        // An HA peer's or a retried delivery of the firing notification arrives after the resolution.
        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Payloads.Firing("a1"))).StatusCode);

        Assert.Equal(before, await StoredEvents());
        var alert = Assert.Single(await AlertsOf(incident.Id));
        Assert.Equal((AlertStatus.Resolved, Payloads.Start.AddMinutes(30)), (alert.Status, alert.EndsAt));
        Assert.Equal(IncidentStatus.Resolved, (await Incidents()).Single().Status);
    }

    [Fact]
    public async Task a_truncated_group_resolves_only_once_a_notification_shows_every_alert()
    {
        var resolved = new[] { new Payloads.AlertSpec("fp1", "resolved", EndsAt: Payloads.Start.AddMinutes(30)) };
        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Payloads.Notification([new Payloads.AlertSpec("fp1")], truncatedAlerts: 3))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Payloads.Notification(resolved, truncatedAlerts: 3))).StatusCode);

        var incident = (await Incidents()).Single();
        Assert.Equal((IncidentStatus.Triggered, 3), (incident.Status, incident.TruncatedAlerts));

        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Payloads.Notification(resolved))).StatusCode);
        incident = (await Incidents()).Single();
        Assert.Equal((IncidentStatus.Resolved, 0), (incident.Status, incident.TruncatedAlerts));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task missing_or_wrong_token_is_401_and_stores_nothing(string? token)
    {
        var response = await PostNotification(Payloads.Firing("fp1"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(0, await StoredEvents());
    }

    [Theory]
    [InlineData("this is not json", "body")]
    [InlineData("{\"version\":\"3\"}", "version")]
    public async Task bad_notification_is_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var response = await PostNotification(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await StoredEvents());
    }

    [Fact]
    public async Task one_bad_alert_rejects_the_whole_notification()
    {
        var body = Payloads.Notification([new Payloads.AlertSpec("fp1"), new Payloads.AlertSpec("fp2")])
            .Replace("\"fingerprint\":\"fp2\"", "\"fingerprint\":7");

        var response = await PostNotification(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("alerts[1].fingerprint", (await Problem(response)).GetProperty("detail").GetString());
        Assert.Equal(0, await StoredEvents());
    }

    [Fact]
    public async Task truncated_alerts_are_recorded_on_the_incident()
    {
        await PostNotification(Payloads.Notification([new Payloads.AlertSpec("fp1")], truncatedAlerts: 12));
        Assert.Equal(12, (await Incidents()).Single().TruncatedAlerts);
    }

    [Fact]
    public async Task all_alerts_resolved_resolves_the_incident_as_alertmanager()
    {
        await FiringAlert("fp1", "fp2");
        Clock.Advance(TimeSpan.FromMinutes(30));

        await PostNotification(Payloads.Resolved("fp1", "fp2"));

        var incident = (await Incidents()).Single();
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.Equal(new Stamp(AppFixture.Epoch.AddMinutes(30), "alertmanager-test"), incident.Resolved);
    }

    [Fact]
    public async Task an_incident_resolves_only_when_its_last_firing_alert_does_though_each_notification_names_only_some()
    {
        // Each notification names some alerts; whether any other is still firing is known only from what was stored.
        await FiringAlert("fp1", "fp2", "fp3");
        await PostNotification(Payloads.Resolved("fp1"));
        await PostNotification(Payloads.Firing("fp4"));
        await PostNotification(Payloads.Resolved("fp2", "fp3"));
        Assert.Equal(IncidentStatus.Triggered, (await Incidents()).Single().Status);

        await PostNotification(Payloads.Resolved("fp4"));

        var incident = (await Incidents()).Single();
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.All(await AlertsOf(incident.Id), a => Assert.Equal(AlertStatus.Resolved, a.Status));
    }

    [Fact]
    public async Task firing_after_resolution_opens_a_second_incident_for_the_group()
    {
        await FiringAlert("fp1");
        await PostNotification(Payloads.Resolved("fp1"));
        Clock.Advance(TimeSpan.FromHours(1));

        await PostNotification(Payloads.Notification([new Payloads.AlertSpec("fp1", StartsAt: Payloads.Start.AddHours(1))]));

        var incidents = await Incidents();
        Assert.Equal([2, 1], incidents.Select(i => i.Sequence));
        Assert.Equal([IncidentStatus.Triggered, IncidentStatus.Resolved], incidents.Select(i => i.Status));
    }
}
