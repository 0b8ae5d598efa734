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
}
