using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sre.Host.Backups;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Backups;

/// <summary>A target's status at a past instant is the status as it stood then, from the events recorded up to then.</summary>
public class BackupStatusAtTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    private async Task Report(string name, DateTimeOffset started) =>
        await Client().Send(HttpMethod.Post, "/api/v1/backups/reports", new
        {
            target = "cluster-a", backupName = name, tool = "velero", phase = "Completed", startedAt = started, completedAt = started.AddMinutes(10),
        });

    [Fact]
    public async Task the_status_at_a_past_instant_shows_the_breach_runs_and_newest_backup_of_then()
    {
        await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/cluster-a", new { kind = "velero", schedule = "0 7 * * *", rpo = "25h" });
        await Report("daily-1", T.AddHours(-1));
        Clock.SetUtcNow(T.AddDays(1).AddHours(2));
        await Host.Settled(() => Host.Services.GetRequiredService<BackupMonitor>().SweepAll(CancellationToken.None));
        Clock.SetUtcNow(T.AddDays(1).AddHours(3));
        await Report("daily-2", T.AddDays(1).AddHours(2).AddMinutes(30));

        var then = await Get<JsonElement>($"/api/v1/backups/cluster-a/status?at={Uri.EscapeDataString(T.AddHours(1).ToString("O"))}");
        Assert.False(then.GetProperty("breached").GetBoolean());
        Assert.Equal("daily-1", then.GetProperty("lastRun").GetString());
        Assert.Equal("daily-1", then.GetProperty("newestCompleted").GetProperty("name").GetString());
        Assert.Equal(1, then.GetProperty("runs").GetInt32());

        var breached = await Get<JsonElement>($"/api/v1/backups/cluster-a/status?at={Uri.EscapeDataString(T.AddDays(1).AddHours(2).AddMinutes(45).ToString("O"))}");
        Assert.True(breached.GetProperty("breached").GetBoolean());
        Assert.Equal("stale", breached.GetProperty("freshness").GetString());
        Assert.Equal("daily-1", breached.GetProperty("newestCompleted").GetProperty("name").GetString());
    }
}
