using System.Net;
using System.Text.Json;
using Marten;
using Sre.Domain.Incidents;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Incidents;

/// <summary>The alert documents: kept in the events' transaction, rebuilt from the events alone.</summary>
public class IncidentAlertTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task<string> StoredAlerts(Guid incident)
    {
        await using var session = Store.QuerySession();
        var alerts = await session.Query<IncidentAlert>().Where(a => a.IncidentId == incident).ToListAsync();
        return JsonSerializer.Serialize(IncidentAlerts.Ordered(alerts));
    }

    [Fact]
    public async Task a_rebuild_gives_the_alert_documents_the_webhook_and_triage_wrote()
    {
        var id = (await FiringAlert("fp1", "fp2")).Id;
        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Payloads.Firing("fp1", "fp3"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Command(id, "triage", new { by = "alice", verdict = "noise", fingerprint = "fp2" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostNotification(Payloads.Resolved("fp1"))).StatusCode);

        var written = await StoredAlerts(id);
        var alerts = JsonSerializer.Deserialize<List<IncidentAlert>>(written)!;
        Assert.Equal(["fp1", "fp2", "fp3"], alerts.Select(a => a.Fingerprint));
        Assert.Equal([AlertStatus.Resolved, AlertStatus.Firing, AlertStatus.Firing], alerts.Select(a => a.Status));
        Assert.Equal([null, AlertVerdict.Noise, null], alerts.Select(a => a.Verdict));
        Assert.Equal([2, 1, 1], alerts.Select(a => a.NotificationIds.Count));

        using var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync(nameof(Incident), TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(written, await StoredAlerts(id));
    }
}
