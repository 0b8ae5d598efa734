using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.EndToEnd;

/// <summary>Alerts go into a real Alertmanager, which delivers them to the running service.</summary>
[Collection(LiveStackCollection.Name)]
public class RealAlertmanagerTests(LiveStack stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task PostToAlertmanager(string alertName, DateTimeOffset startsAt, DateTimeOffset? endsAt = null)
    {
        var alert = new Dictionary<string, object>
        {
            ["labels"] = new Dictionary<string, string> { ["alertname"] = alertName, ["service"] = "e2e", ["severity"] = "page" },
            ["annotations"] = new Dictionary<string, string> { ["summary"] = $"{alertName} fired" },
            ["startsAt"] = startsAt.ToString("O"),
            ["generatorURL"] = "http://127.0.0.1:9090/graph",
        };
        if (endsAt is not null) alert["endsAt"] = endsAt.Value.ToString("O");
        var response = await stack.Http.PostAsJsonAsync($"{stack.AlertmanagerUrl}/api/v2/alerts", new[] { alert });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement?> IncidentOf(string alertName)
    {
        var page = await stack.Http.GetFromJsonAsync<JsonElement>($"{stack.ServiceUrl}/api/v1/incidents?service=e2e&pageSize=500");
        return page.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("labels").TryGetProperty("alertname", out var n) && n.GetString() == alertName)
            .Select(i => (JsonElement?)i)
            .FirstOrDefault();
    }

    private async Task<double> FailedWebhookNotifications()
    {
        var metrics = await stack.Http.GetStringAsync($"{stack.AlertmanagerUrl}/metrics");
        return metrics.Split('\n')
            .Where(l => l.StartsWith("alertmanager_notifications_failed_total") && l.Contains("integration=\"webhook\""))
            .Select(l => double.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture))
            .Sum();
    }

    [Fact]
    public async Task alert_sent_through_alertmanager_opens_an_incident_and_its_resolution_resolves_it()
    {
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        await PostToAlertmanager("E2ECheckoutErrors", startsAt);

        await Repository.Eventually(async () => await IncidentOf("E2ECheckoutErrors") is not null, Patience, "the incident is opened");
        var opened = (await IncidentOf("E2ECheckoutErrors"))!.Value;
        Assert.Equal("E2ECheckoutErrors fired", opened.GetProperty("title").GetString());
        var alerts = (await stack.Http.GetFromJsonAsync<JsonElement>($"{stack.ServiceUrl}/api/v1/incidents/{opened.GetProperty("id").GetGuid()}"))
            .GetProperty("alerts");
        Assert.Equal("firing", alerts[0].GetProperty("status").GetString());

        await PostToAlertmanager("E2ECheckoutErrors", startsAt, endsAt: DateTimeOffset.UtcNow);

        await Repository.Eventually(async () => (await IncidentOf("E2ECheckoutErrors"))?.GetProperty("status").GetString() == "resolved",
            Patience, "the incident is resolved");
        var resolved = (await IncidentOf("E2ECheckoutErrors"))!.Value;
        Assert.Equal("alertmanager", resolved.GetProperty("resolved").GetProperty("by").GetString());
    }

    [Fact]
    public async Task while_the_database_is_down_the_service_answers_503_and_the_retried_alert_is_stored_once()
    {
        var failedBefore = await FailedWebhookNotifications();
        await stack.StopDatabase();
        try
        {
            using var direct = new HttpRequestMessage(HttpMethod.Post, $"{stack.ServiceUrl}/api/v1/alertmanager/webhook")
            {
                Content = new StringContent(Payloads.Firing("direct"), Encoding.UTF8, "application/json"),
            };
            direct.Headers.Authorization = new("Bearer", LiveStack.WebhookToken());
            var answer = await stack.Http.SendAsync(direct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await stack.Http.GetAsync($"{stack.ServiceUrl}/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await stack.Http.GetAsync($"{stack.ServiceUrl}/health/live")).StatusCode);

            await PostToAlertmanager("E2EDatabaseOutage", DateTimeOffset.UtcNow);
            await Repository.Eventually(async () => await FailedWebhookNotifications() > failedBefore, Patience,
                "Alertmanager saw the service fail and will retry");
        }
        finally
        {
            await stack.StartDatabase();
        }

        await Repository.Eventually(async () => await IncidentOf("E2EDatabaseOutage") is not null, Patience,
            "the retried notification is stored once the database is back");
        var id = (await IncidentOf("E2EDatabaseOutage"))!.Value.GetProperty("id").GetString();
        var timeline = await stack.Http.GetFromJsonAsync<JsonElement>($"{stack.ServiceUrl}/api/v1/incidents/{id}/timeline");
        Assert.Equal(["IncidentOpened", "AlertFired"], timeline.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
    }
}
