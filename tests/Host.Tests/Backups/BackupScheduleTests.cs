using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sre.Host.Backups;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Backups;

/// <summary>Schedules through the API: they mean what Kubernetes CronJobs and Velero (robfig/cron) do with them.</summary>
public class BackupScheduleTests(AppFixture fixture) : IntegrationContext(fixture)
{
    // December, after the epoch (20 November): the clock only moves forward. Its Fridays are the 4th, 11th, 18th and 25th.
    private static DateTimeOffset Dec(int day, int hour = 0) => new(2026, 12, day, hour, 0, 0, TimeSpan.Zero);

    private async Task<HttpResponseMessage> SetPolicy(string schedule, string? timeZone = "UTC") =>
        await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/cluster-a",
            new { kind = "velero", schedule, timeZone, rpo = "8d", grace = "30m", by = "ops" });

    [Fact]
    public async Task the_fifteenth_is_missed_when_a_schedule_names_it_and_fridays_and_only_the_fridays_report()
    {
        Clock.SetUtcNow(Dec(1));
        Assert.Equal(HttpStatusCode.Created, (await SetPolicy("0 3 15 * 5")).StatusCode);
        foreach (var day in new[] { 4, 11, 18, 25 })
        {
            Clock.SetUtcNow(Dec(day, 3).AddMinutes(10));
            var report = await Client().Send(HttpMethod.Post, "/api/v1/backups/reports", new
            {
                target = "cluster-a", backupName = $"weekly-{day}", tool = "velero", phase = "Completed",
                startedAt = Dec(day, 3), completedAt = Dec(day, 3).AddMinutes(5),
            });
            Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        }

        Clock.SetUtcNow(Dec(26));
        await Host.Settled(() => Host.Services.GetRequiredService<BackupMonitor>().SweepAll(CancellationToken.None));
        var status = await Get<JsonElement>("/api/v1/backups/cluster-a/status");
        Assert.Equal([Dec(15, 3)], status.GetProperty("missedRuns").EnumerateArray().Select(m => m.GetDateTimeOffset()));
        // The next Friday: 1 January 2027.
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 3, 0, 0, TimeSpan.Zero), status.GetProperty("nextDue").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("0 3 * * 7", "day-of-week")]
    [InlineData("0 0 L * *", "day-of-month")]
    [InlineData("@every 30s", "1m")]
    [InlineData("@reboot", "@every")]
    public async Task a_schedule_the_scheduler_refuses_is_400_naming_the_schedule(string schedule, string said)
    {
        var response = await SetPolicy(schedule);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Problem(response)).GetProperty("errors");
        Assert.Contains(said, errors.GetProperty("schedule")[0].GetString());
        Assert.Equal(0, await StoredEvents());
    }

    [Fact]
    public async Task descriptors_and_a_cron_tz_prefix_are_accepted()
    {
        Assert.Equal(HttpStatusCode.Created, (await SetPolicy("@weekly")).StatusCode);
        var view = await (await SetPolicy("CRON_TZ=Europe/Berlin 0 3 * * *", timeZone: null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Europe/Berlin", view.GetProperty("policy").GetProperty("timeZone").GetString());
    }
}
