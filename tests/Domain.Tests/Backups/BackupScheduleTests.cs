using Sre.Domain.Backups;

namespace Sre.Domain.Tests.Backups;

public class BackupScheduleTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static BackupPolicy Policy(string schedule, string zone, TimeSpan? grace = null) =>
        new(BackupKind.Etcd, schedule, zone, TimeSpan.FromHours(26), grace ?? TimeSpan.FromMinutes(30), TimeSpan.FromDays(30));

    [Fact]
    public void a_run_that_falls_in_the_spring_forward_gap_is_due_at_the_end_of_the_gap()
    {
        // Berlin skips 02:00-03:00 on 29 March 2026: 02:30 does not exist that day; Cronos runs it at 03:00 CEST (01:00 UTC).
        var due = BackupSchedule.Due(Policy("30 2 * * *", "Europe/Berlin"), Utc(3, 27, 12), Utc(3, 30, 12)).ToList();
        Assert.Equal([Utc(3, 28, 1, 30), Utc(3, 29, 1, 0), Utc(3, 30, 0, 30)], due);
    }

    [Fact]
    public void a_run_in_the_repeated_autumn_hour_is_due_once()
    {
        // Berlin repeats 02:00-03:00 on 25 October 2026: 02:30 happens at 00:30 and 01:30 UTC, the run is due once.
        var due = BackupSchedule.Due(Policy("30 2 * * *", "Europe/Berlin"), Utc(10, 24, 0), Utc(10, 26, 12)).ToList();
        Assert.Equal([Utc(10, 24, 0, 30), Utc(10, 25, 0, 30), Utc(10, 26, 1, 30)], due);
    }

    [Fact]
    public void the_run_missing_on_the_day_of_the_change_is_found_and_the_others_are_not()
    {
        var policy = Policy("30 2 * * *", "Europe/Berlin");
        var starts = new[] { Utc(3, 28, 1, 31), Utc(3, 30, 0, 32) };
        Assert.Equal([Utc(3, 29, 1, 0)], BackupSchedule.Missed(policy, Utc(3, 27, 12), Utc(3, 31, 0), starts));
    }

    [Fact]
    public void a_new_york_run_started_at_the_winter_hour_after_the_change_is_late_by_an_hour()
    {
        // 07:00 in New York is 12:00 UTC before 8 March 2026 and 11:00 UTC after it.
        var policy = Policy("0 7 * * *", "America/New_York");
        var starts = new[] { Utc(3, 7, 12, 0), Utc(3, 9, 12, 0) };
        var missed = BackupSchedule.Missed(policy, Utc(3, 6, 13), Utc(3, 9, 13), starts);
        Assert.Equal([Utc(3, 8, 11), Utc(3, 9, 11)], missed);
    }

    [Fact]
    public void a_due_time_is_not_missed_before_its_grace_has_passed()
    {
        var policy = Policy("0 7 * * *", "UTC", TimeSpan.FromMinutes(30));
        Assert.Empty(BackupSchedule.Missed(policy, Utc(11, 1, 0), Utc(11, 1, 7, 29), []));
        Assert.Equal([Utc(11, 1, 7)], BackupSchedule.Missed(policy, Utc(11, 1, 0), Utc(11, 1, 7, 30), []));
    }

    [Fact]
    public void nothing_is_missed_right_after_the_schedule_began() =>
        Assert.Empty(BackupSchedule.Missed(Policy("0 7 * * *", "UTC"), Utc(11, 1, 7, 10), Utc(11, 1, 7, 20), []));

    [Fact]
    public void a_run_within_the_grace_on_either_side_covers_its_due_time()
    {
        var policy = Policy("0 7 * * *", "UTC", TimeSpan.FromMinutes(30));
        Assert.Empty(BackupSchedule.Missed(policy, Utc(11, 1, 0), Utc(11, 2, 0), [Utc(11, 1, 6, 45)]));
        Assert.Empty(BackupSchedule.Missed(policy, Utc(11, 1, 0), Utc(11, 2, 0), [Utc(11, 1, 7, 30)]));
        Assert.Single(BackupSchedule.Missed(policy, Utc(11, 1, 0), Utc(11, 2, 0), [Utc(11, 1, 7, 31)]));
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
