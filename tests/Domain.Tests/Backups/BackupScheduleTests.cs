using Sre.Domain.Backups;

namespace Sre.Domain.Tests.Backups;

public class BackupScheduleTests
{
    private static readonly DateTimeOffset Since = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static BackupPolicy Policy(string schedule, string zone, TimeSpan? grace = null) =>
        new(BackupKind.Etcd, schedule, zone, TimeSpan.FromHours(26), grace ?? TimeSpan.FromMinutes(30), TimeSpan.FromDays(30));

    [Fact]
    public void no_run_is_missed_on_the_day_the_clock_skips_the_due_time()
    {
        // 02:30 does not exist in Berlin on 29 March 2026; the scheduler does not run it, so nothing is missed.
        var policy = Policy("30 2 * * *", "Europe/Berlin");
        var starts = new[] { Utc(3, 28, 1, 31), Utc(3, 30, 0, 32) };
        Assert.Empty(BackupSchedule.Missed(policy, Since, Utc(3, 27, 12), Utc(3, 31, 0), starts));
    }

    [Fact]
    public void both_runs_of_the_repeated_hour_are_looked_for()
    {
        // 02:30 shows twice in Berlin on 25 October 2026 (00:30 and 01:30 UTC); the scheduler runs both.
        var policy = Policy("30 2 * * *", "Europe/Berlin");
        var starts = new[] { Utc(10, 24, 0, 31), Utc(10, 25, 0, 31), Utc(10, 26, 1, 31) };
        Assert.Equal([Utc(10, 25, 1, 30)], BackupSchedule.Missed(policy, Since, Utc(10, 23, 12), Utc(10, 27, 0), starts));
    }

    [Fact]
    public void a_new_york_run_started_at_the_winter_hour_after_the_change_is_late_by_an_hour()
    {
        // 07:00 in New York is 12:00 UTC before 8 March 2026 and 11:00 UTC after it.
        var policy = Policy("0 7 * * *", "America/New_York");
        var starts = new[] { Utc(3, 7, 12, 0), Utc(3, 9, 12, 0) };
        var missed = BackupSchedule.Missed(policy, Since, Utc(3, 6, 13), Utc(3, 9, 13), starts);
        Assert.Equal([Utc(3, 8, 11), Utc(3, 9, 11)], missed);
    }

    [Fact]
    public void a_due_time_is_not_missed_before_its_grace_has_passed()
    {
        var policy = Policy("0 7 * * *", "UTC", TimeSpan.FromMinutes(30));
        Assert.Empty(BackupSchedule.Missed(policy, Since, Utc(11, 1, 0), Utc(11, 1, 7, 29), []));
        Assert.Equal([Utc(11, 1, 7)], BackupSchedule.Missed(policy, Since, Utc(11, 1, 0), Utc(11, 1, 7, 30), []));
    }

    [Fact]
    public void nothing_is_missed_right_after_the_schedule_began() =>
        Assert.Empty(BackupSchedule.Missed(Policy("0 7 * * *", "UTC"), Since, Utc(11, 1, 7, 10), Utc(11, 1, 7, 20), []));

    [Fact]
    public void a_run_within_the_grace_on_either_side_covers_its_due_time()
    {
        var policy = Policy("0 7 * * *", "UTC", TimeSpan.FromMinutes(30));
        Assert.Empty(BackupSchedule.Missed(policy, Since, Utc(11, 1, 0), Utc(11, 2, 0), [Utc(11, 1, 6, 45)]));
        Assert.Empty(BackupSchedule.Missed(policy, Since, Utc(11, 1, 0), Utc(11, 2, 0), [Utc(11, 1, 7, 30)]));
        Assert.Single(BackupSchedule.Missed(policy, Since, Utc(11, 1, 0), Utc(11, 2, 0), [Utc(11, 1, 7, 31)]));
    }

    [Theory]
    [InlineData("0 7 * *")]
    [InlineData("61 * * * *")]
    [InlineData("every day")]
    public void a_schedule_that_is_not_cron_is_refused(string schedule)
    {
        Assert.False(BackupSchedule.TryParse(schedule, out _, out var error));
        Assert.NotNull(error);
    }
}
