using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Deployments;
using Sre.Host.Tests.Support;
using C = Sre.Contracts;

namespace Sre.Host.Tests.Messaging;

/// <summary>Messages through the real RabbitMQ into the read models, and integration events out of the event store.</summary>
public class BusTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    private async Task Send<T>(T message) where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Host.Services.GetRequiredService<IBus>().Publish(message, timeout.Token);
    }

    [Fact]
    public async Task observations_from_the_bus_reach_the_slo_status()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(2));

        await Send(new C.RecordSliObservations([new C.SliObservation("checkout-availability", T, T.AddMinutes(1), 1000, 990)], "collector"));

        await Repository.Eventually(async () =>
            (await Get<JsonElement>("/api/v1/slos/checkout-availability/status")).GetProperty("sli").GetProperty("total").GetDouble() == 1000,
            Patience, "the slice is in the status");
    }

    [Fact]
    public async Task observations_from_the_bus_with_an_offset_count_at_their_instant()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(2));
        var beijing = TimeSpan.FromHours(8);

        await Send(new C.RecordSliObservations([new C.SliObservation("checkout-availability", T.ToOffset(beijing), T.AddMinutes(1).ToOffset(beijing), 1000, 990)], "collector"));

        await Repository.Eventually(async () =>
            (await Get<JsonElement>("/api/v1/slos/checkout-availability/status")).GetProperty("sli").GetProperty("total").GetDouble() == 1000,
            Patience, "the slice is in the status");
    }

    [Fact]
    public async Task a_deployment_from_the_bus_is_recorded_once_and_shows_its_impact()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(2));
        await Client().Observe("checkout-availability", T, 60, 1000, 0);
        await Client().Observe("checkout-availability", T.AddHours(1), 60, 1000, 20);
        var deployment = new C.RecordDeployment("checkout", "v42", T.AddHours(1), "ci", "https://ci.example/run/42");

        await Send(deployment);
        await Send(deployment);

        var id = Deployment.IdFor("checkout", "v42", T.AddHours(1));
        await Repository.Eventually(async () => (await Client().GetAsync($"/api/v1/services/checkout/deployments/{id}/impact")).IsSuccessStatusCode,
            Patience, "the deployment is recorded");
        var impact = await Get<JsonElement>($"/api/v1/services/checkout/deployments/{id}/impact");
        var slo = impact.GetProperty("slos")[0];
        Assert.Equal(0, slo.GetProperty("before").GetProperty("burnRate").GetDouble());
        Assert.Equal(20, slo.GetProperty("after").GetProperty("burnRate").GetDouble(), 9);
        await using var session = Store.QuerySession();
        Assert.Single(await session.Events.FetchStreamAsync(id));
    }

    [Fact]
    public async Task an_alertmanager_notification_from_the_bus_opens_an_incident()
    {
        var payload = JsonSerializer.Deserialize<C.AlertmanagerNotification>(Payloads.Firing("relayed"), Json)!;

        await Send(payload);

        await Repository.Eventually(async () => (await Incidents()).Count == 1, Patience, "the incident is opened");
        Assert.Equal("relayed", (await AlertsOf((await Incidents()).Single().Id)).Single().Fingerprint);
    }

    [Fact]
    public async Task a_late_firing_relayed_over_the_bus_does_not_revive_a_resolved_alert()
    {
        C.AlertmanagerNotification Relayed(string payload) => JsonSerializer.Deserialize<C.AlertmanagerNotification>(payload, Json)!;
        await Send(Relayed(Payloads.Firing("a1")));
        await Repository.Eventually(async () => (await Incidents()).Count == 1, Patience, "the incident is opened");
        await Send(Relayed(Payloads.Resolved("a1")));
        await Repository.Eventually(async () => (await Incidents()).Single().Status == Sre.Domain.Incidents.IncidentStatus.Resolved,
            Patience, "the alert's resolution resolves the incident");
        var first = (await Incidents()).Single();

        // The stale firing of a1 comes with a new alert a2, which shows when the notification was stored: a2 opens the
        // group's next incident, a1 stays resolved on the first and joins nothing.
        await Send(Relayed(Payloads.Firing("a1", "a2")));
        await Repository.Eventually(async () => (await Incidents()).Count == 2, Patience, "a2 opens the next incident");

        var next = (await Incidents()).Single(i => i.Id != first.Id);
        Assert.Equal(["a2"], (await AlertsOf(next.Id)).Select(a => a.Fingerprint));
        var a1 = (await AlertsOf(first.Id)).Single();
        Assert.Equal((Sre.Domain.Incidents.AlertStatus.Resolved, Payloads.Start.AddMinutes(30)), (a1.Status, a1.EndsAt));
        Assert.Equal(first.Version, (await Incidents()).Single(i => i.Id == first.Id).Version);
    }

    [Fact]
    public async Task a_relayed_notification_that_fails_validation_goes_to_the_error_queue_naming_the_field()
    {
        await Broker.Purge("alertmanager-notification_error");

        await Send(JsonSerializer.Deserialize<C.AlertmanagerNotification>(Payloads.Firing("relayed").Replace("\"fingerprint\":\"relayed\"", "\"fingerprint\":\"\""), Json)!);

        IReadOnlyList<Broker.Received> faulted = [];
        await Repository.Eventually(async () => (faulted = await Broker.Drain("alertmanager-notification_error")).Count > 0,
            Patience, "the message is in the error queue");
        Assert.Contains("alerts[0].fingerprint: must not be empty.", faulted[0].Headers["MT-Fault-Message"]?.ToString());
        Assert.False(faulted[0].Headers.ContainsKey("MT-Fault-RetryCount"));
        Assert.Empty(await Incidents());
    }

    [Fact]
    public async Task a_relayed_notification_whose_time_is_not_rfc_3339_goes_to_the_error_queue_at_once_naming_the_field()
    {
        await Broker.Purge("alertmanager-notification_error");
        // Only a producer on another stack can send it: a DateTimeOffset is always written with its offset.
        var noOffset = Payloads.Firing("relayed").Replace("2026-11-20T08:00:00.0000000Z", "2026-11-20T08:00:00.0000000");

        await Broker.Publish(typeof(C.AlertmanagerNotification), noOffset);

        IReadOnlyList<Broker.Received> faulted = [];
        await Repository.Eventually(async () => (faulted = await Broker.Drain("alertmanager-notification_error")).Count > 0,
            Patience, "the message is in the error queue");
        var fault = faulted[0].Headers["MT-Fault-Message"]?.ToString();
        Assert.Contains("$.alerts[0].startsAt", fault);
        Assert.Contains("\"2026-11-20T08:00:00.0000000\" is not an RFC 3339 timestamp.", fault);
        Assert.False(faulted[0].Headers.ContainsKey("MT-Fault-RetryCount"));
        Assert.Empty(await Incidents());
    }

    [Fact]
    public async Task an_invalid_message_goes_to_the_error_queue_with_the_reason_and_stores_nothing()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromMinutes(2));
        await Broker.Purge("record-sli-observations_error");

        await Send(new C.RecordSliObservations([new C.SliObservation("checkout-availability", T, T.AddMinutes(1), 10, 50)]));

        IReadOnlyList<Broker.Received> faulted = [];
        await Repository.Eventually(async () => (faulted = await Broker.Drain("record-sli-observations_error")).Count > 0,
            Patience, "the message is in the error queue");
        Assert.Contains("observations[0].good", faulted[0].Headers["MT-Fault-Message"]?.ToString());
        // The clock's sweeps may record transitions meanwhile: what matters is that no slice was stored.
        await using var session = Store.QuerySession();
        Assert.Equal(0, await session.Query<Sre.Projections.Slos.SliHour>().CountAsync());
    }

    [Fact]
    public async Task integration_events_are_published_from_the_event_store_with_their_source()
    {
        await Broker.Bind("test-incident-events", [typeof(C.IncidentOpened), typeof(C.IncidentAcknowledged)]);
        var incident = await FiringAlert("fp1");
        await Command(incident.Id, "acknowledge", new { by = "alice" });

        var seen = new List<Broker.Received>();
        await Repository.Eventually(async () => { seen.AddRange(await Broker.Drain("test-incident-events")); return seen.Count >= 2; },
            Patience, "both events are published");

        var opened = seen.Single(m => m.Message.TryGetProperty("title", out _)).Message;
        Assert.Equal(incident.Id, opened.GetProperty("incidentId").GetGuid());
        Assert.Equal(1, opened.GetProperty("streamVersion").GetInt64());
        var acked = seen.Single(m => m.Message.TryGetProperty("by", out _));
        Assert.Equal(3, acked.Message.GetProperty("streamVersion").GetInt64());
        Assert.Equal(acked.Message.GetProperty("sourceEventId").GetGuid(), acked.MessageId);
    }

    [Fact]
    public async Task while_the_broker_is_down_nothing_is_lost_and_every_event_arrives_once_it_is_back()
    {
        await Broker.Bind("test-outage-events", [typeof(C.IncidentOpened)]);
        await Broker.Stop();
        var opened = new List<Guid>();
        try
        {
            foreach (var service in new[] { "alpha", "beta", "gamma" })
            {
                var body = Payloads.Notification([new Payloads.AlertSpec($"fp-{service}", Service: service)]);
                Assert.True((await PostNotification(body)).IsSuccessStatusCode);
            }
            opened.AddRange((await Incidents()).Select(i => i.Id));
        }
        finally
        {
            await Broker.Start();
        }

        var seen = new Dictionary<Guid, JsonElement>();
        await Repository.Eventually(async () =>
        {
            // A deduplicating consumer: the source event id (the message id) makes a redelivery a no-op.
            foreach (var m in await Broker.Drain("test-outage-events")) seen.TryAdd(m.MessageId, m.Message);
            return opened.All(id => seen.Values.Any(m => m.GetProperty("incidentId").GetGuid() == id));
        }, TimeSpan.FromSeconds(60), "every incident opened during the outage is published");
        Assert.Equal(3, opened.Count);
    }

    [Fact]
    public async Task toil_from_the_bus_is_recorded_once_and_invalid_toil_goes_to_the_error_queue()
    {
        await Broker.Purge("record-toil_error");
        var toil = new C.RecordToil("payments", "release shepherding", "manual-canary", 25, T.AddHours(-1), "ana", ["manual", "repetitive"]);

        await Send(toil);
        await Send(toil);
        await Send(toil with { Minutes = -5 });

        IReadOnlyList<Broker.Received> faulted = [];
        await Repository.Eventually(async () => (faulted = await Broker.Drain("record-toil_error")).Count > 0,
            Patience, "the invalid toil is in the error queue");
        Assert.Contains("minutes", faulted[0].Headers["MT-Fault-Message"]?.ToString());
        // The three are consumed concurrently: the invalid one may reach the error queue before the valid one is stored.
        await using var session = Store.QuerySession();
        await Repository.Eventually(async () => await session.Query<Sre.Domain.Toil.ToilEntry>().AnyAsync(), Patience, "the toil is stored");
        Assert.Equal(25, (await session.Query<Sre.Domain.Toil.ToilEntry>().SingleAsync()).Minutes);
    }

    [Fact]
    public async Task a_backup_report_from_the_bus_reaches_the_status_and_a_missed_run_is_published()
    {
        await Broker.Bind("test-backup-events", [typeof(C.BackupMissed)]);
        var policy = await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/etcd-prod",
            new { kind = "etcd", schedule = "0 */6 * * *", rpo = "7h", grace = "15m" });
        Assert.True(policy.IsSuccessStatusCode);

        Clock.Advance(TimeSpan.FromMinutes(5));
        await Send(new C.RecordBackupReport("etcd-prod", "snapshot-0800", "Completed", T, T.AddMinutes(2), "etcdctl", 4_194_304,
            "s3://etcd/snapshot-0800.db", EtcdRevision: 123456, EtcdHash: "3233069178"));
        await Repository.Eventually(async () =>
            (await Client().GetAsync("/api/v1/backups/etcd-prod/status")) is { IsSuccessStatusCode: true } r
            && (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("newestCompleted").ValueKind == JsonValueKind.Object,
            Patience, "the report is recorded");

        // The 12:00 run never reports: at 12:16 it is missed.
        Clock.SetUtcNow(T.Date.AddHours(12).AddMinutes(16));
        await Host.Settled(() => Host.Services.GetRequiredService<Sre.Host.Backups.BackupMonitor>().SweepAll(CancellationToken.None));

        var seen = new List<Broker.Received>();
        await Repository.Eventually(async () => { seen.AddRange(await Broker.Drain("test-backup-events")); return seen.Count > 0; },
            Patience, "the missed run is published");
        Assert.Equal("etcd-prod", seen[0].Message.GetProperty("target").GetString());
        Assert.Equal(new DateTimeOffset(T.Date.AddHours(12), TimeSpan.Zero), seen[0].Message.GetProperty("due").GetDateTimeOffset());
    }

    /// <summary>Hostile values for the text, number and time fields of the bus contracts: 50 variants each.</summary>
    private static IEnumerable<(string Text, long Number, DateTimeOffset Time)> HostileValues()
    {
        string[] texts = ["", " ", "'; DROP TABLE sre.mt_events; --", "\u0000", "\u001b[31m", new('x', 100_000), "../../etc/passwd", "<script>", "🔥", "\r\n"];
        long[] numbers = [-1, long.MinValue, long.MaxValue, 0, -999_999_999];
        DateTimeOffset[] times = [DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero), T.AddYears(50)];
        for (var i = 0; i < 50; i++) yield return (texts[i % texts.Length], numbers[i % numbers.Length], times[i % times.Length]);
    }

    [Fact]
    public async Task fifty_hostile_messages_to_every_consumer_go_to_their_error_queues_and_store_nothing()
    {
        var queues = new[] { "record-sli-observations", "record-deployment", "alertmanager-notification", "record-toil", "record-backup-report" };
        foreach (var q in queues) await Broker.Purge($"{q}_error");

        var values = HostileValues().ToList();
        foreach (var (text, number, time) in values)
        {
            await Send(new C.RecordSliObservations([new C.SliObservation(text, time, time, number, long.MaxValue)], text));
            await Send(new C.RecordDeployment(text, text + " ", time, text));
            await Send(new C.AlertmanagerNotification("4", text, "exploded", text, [new C.AlertmanagerAlert(text, null, null, time, null, null, null)]));
            await Send(new C.RecordToil(text + "!", "naps", text, (int)Math.Clamp(number, int.MinValue, 0), time, text, ["boring"]));
            await Send(new C.RecordBackupReport(text + "!", text, "Exploded", time, time, SizeBytes: Math.Min(number, -1)));
        }

        foreach (var q in queues)
            await Repository.Eventually(async () => await Broker.Ready($"{q}_error") >= values.Count, Patience, $"every hostile message is in {q}_error");
        await using var session = Store.QuerySession();
        Assert.Equal(0, await session.Query<Sre.Projections.Slos.SliHour>().CountAsync());
        Assert.Equal(0, await session.Query<Deployment>().CountAsync());
        Assert.Equal(0, await session.Query<Sre.Domain.Incidents.Incident>().CountAsync());
        Assert.Equal(0, await session.Query<Sre.Domain.Toil.ToilEntry>().CountAsync());
        Assert.Equal(0, await session.Query<Sre.Domain.Backups.BackupTarget>().CountAsync());
        Assert.Equal(0u, await Broker.Ready("record-toil"));
    }
}
