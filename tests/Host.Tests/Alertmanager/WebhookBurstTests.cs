using System.Net;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Alertmanager;

public class WebhookBurstTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task two_hundred_parallel_notifications_for_one_group_are_all_stored_once()
    {
        // Every notification brings a new alert, and each is also sent twice (Alertmanager's retries).
        var bodies = Enumerable.Range(0, 200).Select(i => Payloads.Firing($"fp{i:D3}")).ToList();
        var sends = bodies.Concat(bodies.Take(50)).Select(body => Task.Run(() => PostNotification(body)));

        var responses = await Task.WhenAll(sends);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var incident = Assert.Single(await Incidents());
        var alerts = await AlertsOf(incident.Id);
        Assert.Equal(200, alerts.Count);
        Assert.Equal(200, alerts.Select(a => a.Fingerprint).Distinct().Count());
        Assert.Equal(1 + 200, await StoredEvents());
    }

    [Fact]
    public async Task parallel_notifications_for_many_groups_each_make_one_incident_with_every_alert_of_its_group()
    {
        // Twelve groups spread over the writers; each group's notifications (and their retries) race each other.
        var services = Enumerable.Range(0, 12).Select(g => $"svc{g:D2}").ToList();
        var bodies = services.SelectMany(s => Enumerable.Range(0, 15).Select(i =>
            Payloads.Notification([new Payloads.AlertSpec($"{s}-fp{i:D2}", Service: s)]))).ToList();
        var sends = bodies.Concat(bodies.Where((_, i) => i % 3 == 0)).OrderBy(b => b.GetHashCode()).Select(body => Task.Run(() => PostNotification(body)));

        var responses = await Task.WhenAll(sends);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var incidents = await Incidents();
        Assert.Equal(services, incidents.Select(i => i.Service).Order());
        foreach (var incident in incidents)
            Assert.Equal(Enumerable.Range(0, 15).Select(i => $"{incident.Service}-fp{i:D2}"), (await AlertsOf(incident.Id)).Select(a => a.Fingerprint).Order());
        Assert.Equal(services.Count * (1 + 15), await StoredEvents());
    }
}
