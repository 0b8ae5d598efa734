using Sre.Domain.Backups;

namespace Sre.Domain.Tests.Backups;

public class BackupMonitoringTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 6, 0, 0, TimeSpan.Zero);
    private static readonly BackupPolicy Daily =
        new(BackupKind.Velero, "0 7 * * *", "UTC", TimeSpan.FromHours(25), TimeSpan.FromMinutes(30), TimeSpan.FromDays(30));

    private static BackupReport Completed(string name, DateTimeOffset started, TimeSpan? took = null) =>
        new(name, "velero", BackupPhase.Completed, started, started + (took ?? TimeSpan.FromMinutes(10)), 1024, "s3://backups", 0, 0, null, null);

    private static BackupTarget Apply(BackupTarget? target, IEnumerable<IBackupEvent> events) =>
        events.Aggregate(target, (t, e) => t is null ? e switch
        {
            BackupPolicySet p => BackupTarget.Create(p),
            BackupReported r => BackupTarget.Create(r),
            _ => throw new InvalidOperationException(),
        } : t.With(e))!;

    private static BackupTarget WithPolicy() => BackupTarget.Create(new BackupPolicySet("cluster-a", Daily, T0, "ops"));

    [Fact]
    public void a_fresh_backup_is_fresh_until_the_rpo_has_passed()
    {
        var completions = new[] { T0 };
        Assert.Equal(Freshness.Fresh, BackupFreshness.At(completions, TimeSpan.FromHours(1), T0.AddDays(-1), T0.AddHours(1)));
        Assert.Equal(Freshness.Stale, BackupFreshness.At(completions, TimeSpan.FromHours(1), T0.AddDays(-1), T0.AddHours(1).AddTicks(1)));
        Assert.Equal(Freshness.Pending, BackupFreshness.At([], TimeSpan.FromHours(1), T0, T0.AddMinutes(59)));
        Assert.Equal(Freshness.Stale, BackupFreshness.At([], TimeSpan.FromHours(1), T0, T0.AddMinutes(61)));
    }

    [Fact]
    public void the_freshness_breach_is_recorded_once_and_a_completed_backup_restores_it()
    {
        var target = Apply(WithPolicy(), BackupMonitoring.Report(WithPolicy(), "cluster-a", Completed("daily-1", T0.AddHours(1)), T0.AddHours(2), "velero"));
        Assert.Empty(BackupMonitoring.Sweep(target, T0.AddHours(26)).OfType<BackupFreshnessBreached>());

        var late = T0.AddHours(1).AddMinutes(10) + TimeSpan.FromHours(25) + TimeSpan.FromMinutes(1);
        var breach = BackupMonitoring.Sweep(target, late).OfType<BackupFreshnessBreached>().Single();
        target = Apply(target, BackupMonitoring.Sweep(target, late));
        Assert.True(target.Breached);
        Assert.Empty(BackupMonitoring.Sweep(target, late.AddMinutes(1)).OfType<BackupFreshnessBreached>());

        var events = BackupMonitoring.Report(target, "cluster-a", Completed("daily-2", late.AddMinutes(5)), late.AddMinutes(20), "velero");
        var restored = Assert.IsType<BackupFreshnessRestored>(events[1]);
        Assert.Equal(breach.At, restored.BreachedAt);
        Assert.False(Apply(target, events).Breached);
    }

    [Fact]
    public void a_resent_report_records_nothing_and_a_new_phase_of_the_same_backup_does()
    {
        var inProgress = Completed("daily-1", T0.AddHours(1)) with { Phase = BackupPhase.InProgress, CompletedAt = null };
        var target = Apply(WithPolicy(), BackupMonitoring.Report(WithPolicy(), "cluster-a", inProgress, T0.AddHours(1), "velero"));
        Assert.Empty(BackupMonitoring.Report(target, "cluster-a", inProgress, T0.AddHours(1).AddMinutes(1), "velero"));

        target = Apply(target, BackupMonitoring.Report(target, "cluster-a", Completed("daily-1", T0.AddHours(1)), T0.AddHours(2), "velero"));
        Assert.Equal(BackupPhase.Completed, Assert.Single(target.Runs).Phase);
        Assert.Equal("daily-1", target.NewestCompleted!.Name);
    }

    [Fact]
    public void a_missed_run_is_recorded_once()
    {
        var target = WithPolicy();
        var now = T0.AddHours(1).AddMinutes(31);
        var missed = BackupMonitoring.Sweep(target, now).OfType<BackupMissed>().Single();
        Assert.Equal(T0.AddHours(1), missed.Due);
        target = Apply(target, BackupMonitoring.Sweep(target, now));
        Assert.Empty(BackupMonitoring.Sweep(target, now.AddHours(1)).OfType<BackupMissed>());
        Assert.Single(BackupMonitoring.Sweep(target, now.AddDays(1)).OfType<BackupMissed>());
    }

    [Fact]
    public void the_status_counts_finished_runs_missed_runs_and_restore_tests_of_the_last_30_days()
    {
        var target = WithPolicy();
        for (var day = 0; day < 4; day++)
        {
            var started = T0.AddDays(day).AddHours(1);
            var report = day == 2 ? Completed($"daily-{day}", started) with { Phase = BackupPhase.PartiallyFailed } : Completed($"daily-{day}", started);
            target = Apply(target, BackupMonitoring.Report(target, "cluster-a", report, started.AddMinutes(15), "velero"));
        }
        target = target.With(new RestoreTested("cluster-a", "daily-0", true, TimeSpan.FromMinutes(12), T0.AddDays(1), T0.AddDays(1), "ops"))
            .With(new RestoreTested("cluster-a", "daily-1", false, TimeSpan.FromMinutes(3), T0.AddDays(2), T0.AddDays(2), "ops"))
            .With(new RestoreTested("cluster-a", "daily-3", true, TimeSpan.FromMinutes(20), T0.AddDays(4), T0.AddDays(4), "ops"));

        var status = BackupStatus.Of(target, T0.AddDays(5).AddHours(2));
        Assert.Equal(4, status.Runs);
        Assert.Equal(0.75, status.SuccessShare!.Value, 9);
        Assert.Equal([T0.AddDays(4).AddHours(1), T0.AddDays(5).AddHours(1)], status.MissedRuns);
        Assert.Equal(2.0 / 3, status.RestoreSuccessShare!.Value, 9);
        Assert.Equal(TimeSpan.FromMinutes(20), status.RecoveryTime);
        Assert.Equal("daily-3", status.NewestCompleted!.Name);
        Assert.Equal(Freshness.Stale, status.Freshness);
    }

    [Fact]
    public void freshness_slices_are_good_while_the_newest_backup_is_younger_than_the_rpo()
    {
        var policy = Daily with { Rpo = TimeSpan.FromHours(1) };
        var target = BackupTarget.Create(new BackupPolicySet("cluster-a", policy, T0, "ops"));
        target = target.With(new BackupReported("cluster-a", Completed("b1", T0.AddMinutes(-10)), T0.AddMinutes(1), "velero"));

        var slices = BackupFreshness.Slices(target, T0.AddMinutes(58), T0.AddMinutes(62).AddSeconds(30));
        Assert.Equal([1, 1, 0, 0], slices.Select(s => s.Good));
        Assert.All(slices, s => Assert.Equal(TimeSpan.FromMinutes(1), s.End - s.Start));
        // A start inside a minute begins at the next whole one: a slice never starts before the SLO.
        Assert.Equal(T0.AddMinutes(59), BackupFreshness.Slices(target, T0.AddMinutes(58).AddSeconds(1), T0.AddMinutes(61))[0].Start);
    }
}
