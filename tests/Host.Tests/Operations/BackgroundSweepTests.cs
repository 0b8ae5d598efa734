using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sre.Domain.Backups;
using Sre.Domain.Slos;
using Sre.Host.Backups;
using Sre.Host.Slos;
using Sre.Host.Tests.Support;

namespace Sre.Host.Tests.Operations;

/// <summary>
/// The periodic sweeps run on the service's clock: its timers fire when the clock passes their interval, so the test
/// clock drives them as it drives everything else. (The shared host stops them; each test here runs one loop.)
/// </summary>
public class BackgroundSweepTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly DateTimeOffset T = AppFixture.Epoch;

    /// <summary>
    /// Runs the loop while the clock moves one interval at a time until the condition holds (the loop creates its timer
    /// on its own thread once started, so a single step could come before the timer exists).
    /// </summary>
    private async Task WhileRunning(BackgroundService loop, TimeSpan interval, Func<Task<bool>> condition, string what)
    {
        await loop.StartAsync(CancellationToken.None);
        try
        {
            await Repository.Eventually(async () =>
            {
                Clock.Advance(interval);
                return await condition();
            }, TimeSpan.FromSeconds(30), what);
        }
        finally
        {
            await loop.StopAsync(CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<object>> Events(Guid stream)
    {
        await using var session = Store.QuerySession();
        return (await session.Events.FetchStreamAsync(stream)).Select(e => e.Data).ToList();
    }

    [Fact]
    public async Task the_slo_evaluator_clears_an_alert_when_the_clock_slides_its_windows_past_the_errors()
    {
        await Client().DefineSlo(SloSteps.Availability());
        Clock.Advance(TimeSpan.FromHours(2));
        await Client().Observe("checkout-availability", T, 120, 100_000, 0);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Client().Observe("checkout-availability", T.AddHours(2), 1, 100_000, 100_000);
        var id = SloIds.For("checkout-availability");
        Assert.DoesNotContain(await Events(id), e => e is BurnRateAlertCleared);

        // No new data, no call: the loop's own ticks find that the 5-minute window no longer holds the outage.
        await WhileRunning(Host.Services.GetRequiredService<SloSweep>(),
            Host.Services.GetRequiredService<IOptions<SloPolicyOptions>>().Value.EvaluationInterval,
            async () => (await Events(id)).Any(e => e is BurnRateAlertCleared), "the sweep's tick clears the alert");
    }

    [Fact]
    public async Task the_backup_monitor_records_a_missed_run_when_the_clock_passes_it()
    {
        await Client().Send(HttpMethod.Put, "/api/v1/backups/policies/cluster-a", new { kind = "velero", schedule = "0 7 * * *", rpo = "25h", grace = "30m" });
        await Client().Send(HttpMethod.Post, "/api/v1/backups/reports", new
        {
            target = "cluster-a", backupName = "daily-1", phase = "Completed", startedAt = T.AddHours(-1), completedAt = T.AddMinutes(-50),
        });

        // The 07:00 run of 21 November never reports: past its grace, the loop's tick records it missed.
        var due = new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero);
        Clock.SetUtcNow(due.AddMinutes(31));
        var id = BackupTarget.IdFor("cluster-a");
        await WhileRunning(Host.Services.GetRequiredService<BackupMonitor>(),
            Host.Services.GetRequiredService<IOptions<BackupOptions>>().Value.MonitorInterval,
            async () => (await Events(id)).OfType<BackupMissed>().Any(m => m.Due == due),
            "the monitor's tick records the missed run");
    }
}
