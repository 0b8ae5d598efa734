using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Sre.Host.Backups;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

/// <summary>
/// Every read of a past instant answers what the service answered then: the <c>?at=T</c> (or <c>to=T</c>) answer of a
/// long history equals the plain answer, at T, of a store that holds only what was recorded up to T.
/// </summary>
public class PastInstantPropertyTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset E = AppFixture.Epoch;
    private Guid _incident;

    private sealed record Step(DateTimeOffset At, Func<Task> Act);

    private async Task Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");

    private Task Sweep() => Host.Settled(() => Host.Services.GetRequiredService<BackupMonitor>().SweepAll(CancellationToken.None));

    private IReadOnlyList<Step> History() =>
    [
        new(E, async () => await Ok(await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/cluster-a",
            new { kind = "velero", schedule = "0 */6 * * *", rpo = "7h", grace = "15m" }))),
        new(E, () => Client().DefineSlo(SloSteps.Availability())),
        new(E.AddMinutes(10), () => Client().Observe("checkout-availability", E, 10, total: 1000, bad: 1)),
        new(E.AddMinutes(15), async () =>
        {
            await Ok(await PostNotification(Payloads.Firing("fp-1")));
            _incident = (await Incidents()).Single().Id;
        }),
        new(E.AddMinutes(20), async () => await Ok(await Client().Send(HttpMethod.Post, "/api/v1/backups/reports", new
        {
            target = "cluster-a", backupName = "b-1", phase = "Completed", startedAt = E.AddMinutes(18), completedAt = E.AddMinutes(19),
        }))),
        new(E.AddMinutes(30), async () => await Ok(await Command(_incident, "acknowledge", new { by = "alice" }))),
        new(E.AddMinutes(40), () => Client().Observe("checkout-availability", E.AddMinutes(10), 30, total: 1000, bad: 50)),
        new(E.AddMinutes(45), async () => await Ok(await Client().Send(HttpMethod.Post, "/api/v1/services/checkout/deployments",
            new { version = "v1", by = "ci", deployedAt = E.AddMinutes(5) }))),
        new(E.AddHours(4).AddMinutes(16), Sweep),
        new(E.AddHours(8), Sweep),
        new(E.AddHours(8).AddMinutes(5), async () =>
        {
            await Ok(await Command(_incident, "resolve", new { by = "alice" }));
            await Ok(await Client().Send(HttpMethod.Put, "/api/v1/slos/checkout-availability", SloSteps.Availability(target: 0.99)));
        }),
        new(E.AddHours(8).AddMinutes(10), async () => await Ok(await Client().Send(HttpMethod.Post, "/api/v1/backups/reports", new
        {
            target = "cluster-a", backupName = "b-2", phase = "Completed", startedAt = E.AddHours(8).AddMinutes(6), completedAt = E.AddHours(8).AddMinutes(8),
        }))),
        new(E.AddHours(8).AddMinutes(20), () => Client().Observe("checkout-availability", E.AddMinutes(40), 20, total: 1000, bad: 0)),
    ];

    private static readonly DateTimeOffset[] Instants =
        [E.AddMinutes(12), E.AddMinutes(25), E.AddMinutes(42), E.AddHours(7), E.AddHours(8).AddMinutes(7), E.AddHours(8).AddMinutes(15), E.AddHours(9)];

    /// <summary>The reads of a past instant, and the plain reads that answer the same thing now.</summary>
    private IEnumerable<(string Read, string Then, string Now)> Reads(DateTimeOffset t)
    {
        var at = Uri.EscapeDataString(t.ToString("O"));
        yield return ("incident", $"/api/v1/incidents/{_incident}?at={at}", $"/api/v1/incidents/{_incident}");
        yield return ("slo status", $"/api/v1/slos/checkout-availability/status?at={at}", "/api/v1/slos/checkout-availability/status");
        var from = Uri.EscapeDataString(E.ToString("O"));
        yield return ("budget history", $"/api/v1/slos/checkout-availability/budget-history?from={from}&step=10m&to={at}",
            $"/api/v1/slos/checkout-availability/budget-history?from={from}&step=10m");
        yield return ("backup status", $"/api/v1/backups/cluster-a/status?at={at}", "/api/v1/backups/cluster-a/status");
    }

    private async Task<string> Answer(string url)
    {
        var response = await Client().GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK) return $"{(int)response.StatusCode}";
        return $"200 {WithoutDeliveryIds(JsonNode.Parse(await response.Content.ReadAsStringAsync()))!.ToJsonString()}";
    }

    /// <summary>The ids of the webhook deliveries are the only thing a replay cannot repeat: each delivery is new.</summary>
    private static JsonNode? WithoutDeliveryIds(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            o.Remove("notificationIds");
            foreach (var (_, child) in o) WithoutDeliveryIds(child);
        }
        else if (node is JsonArray a)
            foreach (var child in a) WithoutDeliveryIds(child);
        return node;
    }

    /// <summary>Where two answers part: the first differing paths.</summary>
    private static string Diff(string a, string b)
    {
        if (a.Length < 4 || b.Length < 4) return $"{a} / {b}";
        var paths = new List<string>();
        void Walk(JsonNode? x, JsonNode? y, string path)
        {
            if (JsonNode.DeepEquals(x, y) || paths.Count > 8) return;
            if (x is JsonObject ox && y is JsonObject oy)
                foreach (var key in ox.Select(p => p.Key).Union(oy.Select(p => p.Key))) Walk(ox[key], oy[key], $"{path}.{key}");
            else if (x is JsonArray ax && y is JsonArray ay && ax.Count == ay.Count)
                for (var i = 0; i < ax.Count; i++) Walk(ax[i], ay[i], $"{path}[{i}]");
            else paths.Add($"{path}: {x?.ToJsonString() ?? "null"} vs {y?.ToJsonString() ?? "null"}");
        }
        Walk(JsonNode.Parse(a[4..]), JsonNode.Parse(b[4..]), "$");
        return string.Join("; ", paths);
    }

    [Fact]
    public async Task every_read_of_a_past_instant_equals_the_read_then_of_what_was_recorded_by_then()
    {
        var history = History();
        foreach (var step in history)
        {
            Clock.SetUtcNow(step.At);
            await step.Act();
        }
        Clock.SetUtcNow(E.AddHours(10));
        var then = new Dictionary<(DateTimeOffset, string), (string Url, string Answer)>();
        foreach (var t in Instants)
        foreach (var (read, url, _) in Reads(t))
            then[(t, read)] = (url, await Answer(url));

        var differences = new List<string>();
        foreach (var t in Instants)
        {
            await InitializeAsync();
            foreach (var step in history.Where(s => s.At <= t))
            {
                Clock.SetUtcNow(step.At);
                await step.Act();
            }
            Clock.SetUtcNow(t);
            foreach (var (read, _, url) in Reads(t))
                if (await Answer(url) is var now && now != then[(t, read)].Answer)
                    differences.Add($"{read} at {t:O} ({then[(t, read)].Url}): {Diff(then[(t, read)].Answer, now)}");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }
}
