using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sre.Domain.Backups;
using Sre.Domain.Incidents;
using Sre.Host.Backups;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Backups;

public class BackupTests(AppFixture fixture) : IntegrationContext(fixture)
{
    // The epoch is 20 November 2026, 08:00 UTC; the daily run is due at 07:00 UTC.
    private static readonly DateTimeOffset T = AppFixture.Epoch;
    private BackupMonitor Monitor => Host.Services.GetRequiredService<BackupMonitor>();

    private static object Policy(bool openIncident = false, object? slos = null, string schedule = "0 7 * * *", string rpo = "25h") => new
    {
        kind = "velero", schedule, timeZone = "UTC", rpo, grace = "30m", retention = "30d", openIncident, slos, by = "ops",
    };

    private static object Report(string name, DateTimeOffset started, string phase = "Completed", string target = "cluster-a") => new
    {
        target, backupName = name, tool = "velero", phase, startedAt = started,
        completedAt = phase == "Completed" ? started.AddMinutes(10) : (DateTimeOffset?)null,
        sizeBytes = 52_428_800, location = "s3://backups/cluster-a", errors = 0, warnings = 1,
    };

    private async Task<HttpResponseMessage> SetPolicy(object policy, string target = "cluster-a") =>
        await Client().Send(HttpMethod.Put, $"/api/v1/backups/policies/{target}", policy);

    private async Task<HttpResponseMessage> PostReport(object report) => await Client().Send(HttpMethod.Post, "/api/v1/backups/reports", report);

    private async Task<JsonElement> Status(string target = "cluster-a") => await Get<JsonElement>($"/api/v1/backups/{target}/status");

    private async Task<IReadOnlyList<object>> TargetEvents(string target = "cluster-a")
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(BackupTarget.IdFor(target))).Select(e => e.Data).ToList();
    }

    [Fact]
    public async Task a_policy_and_a_report_give_the_status_and_resends_store_nothing()
    {
        Assert.Equal(HttpStatusCode.Created, (await SetPolicy(Policy())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SetPolicy(Policy())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostReport(Report("daily-1", T.AddHours(-1)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostReport(Report("daily-1", T.AddHours(-1)))).StatusCode);

        var status = await Status();
        Assert.Equal("fresh", status.GetProperty("freshness").GetString());
        Assert.Equal("daily-1", status.GetProperty("newestCompleted").GetProperty("name").GetString());
        Assert.Equal("50m", status.GetProperty("age").GetString());
        Assert.Equal("completed", status.GetProperty("lastPhase").GetString());
        Assert.Equal(1, status.GetProperty("successShare").GetDouble());
        Assert.Equal(T.Date.AddDays(1).AddHours(7), status.GetProperty("nextDue").GetDateTimeOffset().UtcDateTime);
        Assert.Equal(2, (await TargetEvents()).Count);
        Assert.Equal("cluster-a", (await Get<JsonElement>("/api/v1/backups/policies/cluster-a")).GetProperty("target").GetString());
    }

    [Fact]
    public async Task the_clock_records_a_missed_run_a_breach_and_a_report_restores_freshness_each_once()
    {
        await SetPolicy(Policy());
        await PostReport(Report("daily-1", T.AddHours(-1)));

        Clock.SetUtcNow(T.Date.AddDays(1).AddHours(7).AddMinutes(31));
        await Host.Settled(() => Monitor.SweepAll(CancellationToken.None));
        await Host.Settled(() => Monitor.SweepAll(CancellationToken.None));
        Assert.Equal([T.Date.AddDays(1).AddHours(7)], (await Status()).GetProperty("missedRuns").EnumerateArray().Select(m => m.GetDateTimeOffset().UtcDateTime));

        Clock.SetUtcNow(T.AddHours(-1).AddMinutes(10).AddHours(25).AddMinutes(1));
        await Host.Settled(() => Monitor.SweepAll(CancellationToken.None));
        await Host.Settled(() => Monitor.SweepAll(CancellationToken.None));
        Assert.Equal("stale", (await Status()).GetProperty("freshness").GetString());

        await PostReport(Report("daily-2", Clock.GetUtcNow().AddMinutes(-15)));
        await Host.Settled(() => Monitor.SweepAll(CancellationToken.None));

        Assert.Equal([typeof(BackupPolicySet), typeof(BackupReported), typeof(BackupMissed), typeof(BackupFreshnessBreached),
            typeof(BackupReported), typeof(BackupFreshnessRestored)], (await TargetEvents()).Select(e => e.GetType()));
        Assert.Equal("fresh", (await Status()).GetProperty("freshness").GetString());
    }

    [Fact]
    public async Task a_target_that_asks_for_incidents_opens_one_on_a_breach_and_the_restore_resolves_it()
    {
        // A yearly schedule, so that no missed run joins the incident.
        await SetPolicy(Policy(openIncident: true, schedule: "0 7 1 1 *"));
        await PostReport(Report("daily-1", T.AddHours(-1)));
        Clock.SetUtcNow(T.AddHours(-1).AddMinutes(10).AddHours(25).AddMinutes(1));
        await Host.Settled(() => Monitor.SweepAll(CancellationToken.None));

        Incident? incident = null;
        await Repository.Eventually(async () => (incident = (await Incidents()).FirstOrDefault()) is not null,
            TimeSpan.FromSeconds(30), "the breach opens an incident");
        Assert.Equal(("cluster-a", "critical"), (incident!.Service, incident.Severity));

        await PostReport(Report("daily-3", Clock.GetUtcNow().AddMinutes(-15)));
        await Repository.Eventually(async () => (await Incidents()).Single().Status == IncidentStatus.Resolved,
            TimeSpan.FromSeconds(30), "the restored freshness resolves the incident");
    }

    [Fact]
    public async Task the_targets_slos_are_fed_by_the_clock_and_the_restore_tests()
    {
        var created = await SetPolicy(Policy(slos: new { freshness = 0.99, durability = 0.9, window = "7d" }, rpo: "2h"));
        Assert.Equal(["cluster-a-backup-freshness", "cluster-a-backup-durability"],
            (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slos").EnumerateArray().Select(s => s.GetString()));
        await PostReport(Report("daily-1", T.AddMinutes(-20)));

        // Completed at 07:50 with a 2h RPO: the minutes from 08:00 (the SLO's start) are good until 09:50, then bad.
        Clock.SetUtcNow(T.AddHours(3));
        await Host.Settled(() => Monitor.SweepAll(CancellationToken.None));
        var freshness = await Get<JsonElement>("/api/v1/slos/cluster-a-backup-freshness/status");
        Assert.Equal((180.0, 110.0), (freshness.GetProperty("sli").GetProperty("total").GetDouble(), freshness.GetProperty("sli").GetProperty("good").GetDouble()));

        foreach (var (ok, minutesAgo) in new[] { (true, 30), (false, 20), (true, 10), (true, 5) })
        {
            var test = await Client().Send(HttpMethod.Post, "/api/v1/backups/restore-tests", new
            {
                target = "cluster-a", backupName = "daily-1", succeeded = ok, duration = "12m", testedAt = Clock.GetUtcNow().AddMinutes(-minutesAgo),
            });
            Assert.Equal(HttpStatusCode.Created, test.StatusCode);
        }
        var durability = await Get<JsonElement>("/api/v1/slos/cluster-a-backup-durability/status");
        Assert.Equal((4.0, 3.0), (durability.GetProperty("sli").GetProperty("total").GetDouble(), durability.GetProperty("sli").GetProperty("good").GetDouble()));
        var status = await Status();
        Assert.Equal(0.75, status.GetProperty("restoreSuccessShare").GetDouble());
        Assert.Equal("12m", status.GetProperty("recoveryTime").GetString());
    }

    [Fact]
    public async Task the_list_shows_the_stalest_target_first()
    {
        await SetPolicy(Policy(), "fresh-one");
        await SetPolicy(Policy(), "old-one");
        await SetPolicy(Policy(), "never-one");
        await PostReport(Report("a", T.AddHours(-2), target: "fresh-one"));
        await PostReport(Report("b", T.AddHours(-20), target: "old-one"));

        var list = await Get<JsonElement>("/api/v1/backups");
        Assert.Equal(["never-one", "old-one", "fresh-one"], list.EnumerateArray().Select(t => t.GetProperty("target").GetString()));
    }

    [Theory]
    [InlineData("{\"kind\":\"tape\",\"schedule\":\"0 7 * * *\",\"rpo\":\"25h\"}", "kind")]
    [InlineData("{\"kind\":\"etcd\",\"schedule\":\"0 7 * *\",\"rpo\":\"25h\"}", "schedule")]
    [InlineData("{\"kind\":\"etcd\",\"schedule\":\"0 7 * * *\",\"rpo\":\"25h\",\"timeZone\":\"Mars/Olympus\"}", "timeZone")]
    [InlineData("{\"kind\":\"etcd\",\"schedule\":\"0 7 * * *\"}", "rpo")]
    [InlineData("{\"kind\":\"etcd\",\"schedule\":\"0 7 * * *\",\"rpo\":\"25h\",\"slos\":{\"freshness\":1.5}}", "slos.freshness")]
    public async Task an_invalid_policy_is_400_naming_the_field(string json, string field)
    {
        var response = await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/cluster-a", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await StoredEvents());
    }

    [Theory]
    [InlineData("{\"target\":\"Cluster A\",\"backupName\":\"b\",\"phase\":\"Completed\",\"startedAt\":\"2026-11-20T07:00:00Z\",\"completedAt\":\"2026-11-20T07:10:00Z\"}", "target")]
    [InlineData("{\"target\":\"etcd-prod\",\"backupName\":\"b\",\"phase\":\"Exploded\",\"startedAt\":\"2026-11-20T07:00:00Z\"}", "phase")]
    [InlineData("{\"target\":\"etcd-prod\",\"backupName\":\"b\",\"phase\":\"InProgress\",\"startedAt\":\"2026-11-20T07:00:00Z\"}", "phase")]
    [InlineData("{\"target\":\"etcd-prod\",\"backupName\":\"b\",\"phase\":\"Completed\",\"startedAt\":\"2026-11-20T07:00:00Z\"}", "completedAt")]
    [InlineData("{\"target\":\"etcd-prod\",\"backupName\":\"b\",\"phase\":\"Completed\",\"startedAt\":\"2030-11-20T07:00:00Z\",\"completedAt\":\"2030-11-20T07:10:00Z\"}", "startedAt")]
    [InlineData("{\"target\":\"etcd-prod\",\"backupName\":\"b\",\"phase\":\"Failed\",\"startedAt\":\"2026-11-20T07:00:00Z\",\"sizeBytes\":-1}", "sizeBytes")]
    public async Task an_invalid_report_is_400_naming_the_field_and_stores_nothing(string json, string field)
    {
        await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/etcd-prod", new { kind = "etcd", schedule = "0 */6 * * *", rpo = "7h" });
        var events = await StoredEvents();
        var response = await PostReport(json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(events, await StoredEvents());
    }

    [Theory]
    [InlineData("{\"target\":\"nowhere\",\"backupName\":\"b\",\"succeeded\":true,\"duration\":\"5m\"}", "target")]
    [InlineData("{\"target\":\"cluster-a\",\"backupName\":\"b\",\"duration\":\"5m\"}", "succeeded")]
    [InlineData("{\"target\":\"cluster-a\",\"backupName\":\"b\",\"succeeded\":true}", "duration")]
    [InlineData("{\"target\":\"cluster-a\",\"backupName\":\"b\",\"succeeded\":true,\"duration\":\"5m\",\"testedAt\":\"2031-01-01T00:00:00Z\"}", "testedAt")]
    public async Task an_invalid_restore_test_is_400_naming_the_field(string json, string field)
    {
        await SetPolicy(Policy());
        var events = await StoredEvents();
        var response = await Client().Send(HttpMethod.Post, "/api/v1/backups/restore-tests", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(events, await StoredEvents());
    }

    [Fact]
    public async Task an_unknown_target_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await Client().GetAsync("/api/v1/backups/nowhere/status")).StatusCode);
}
