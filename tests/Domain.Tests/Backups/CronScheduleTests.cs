using Sre.Domain.Backups;

namespace Sre.Domain.Tests.Backups;

/// <summary>
/// Schedules mean what robfig/cron v3 (Kubernetes CronJobs, Velero) does with them. Every expected run time below
/// was worked out by hand from robfig's parser.go and spec.go (dayMatches, Next), not from this code.
/// </summary>
public class CronScheduleTests
{
    private static readonly DateTimeOffset Anchor = DateTimeOffset.Parse("2026-11-06T10:07:30Z");

    public static TheoryData<string, string, string, string[]> Runs => new()
    {
        { "*/15 * * * *", "UTC", "2026-11-06T10:07Z", ["2026-11-06T10:15Z", "2026-11-06T10:30Z", "2026-11-06T10:45Z", "2026-11-06T11:00Z"] },
        { "5/20 * * * *", "UTC", "2026-11-06T10:07Z", ["2026-11-06T10:25Z", "2026-11-06T10:45Z", "2026-11-06T11:05Z"] },
        { "0 9-17/4 * * mon-fri", "UTC", "2026-11-06T16:00Z", ["2026-11-06T17:00Z", "2026-11-09T09:00Z", "2026-11-09T13:00Z", "2026-11-09T17:00Z"] },
        { "5,35 2 1,15 * *", "UTC", "2026-11-01T00:00Z", ["2026-11-01T02:05Z", "2026-11-01T02:35Z", "2026-11-15T02:05Z", "2026-11-15T02:35Z", "2026-12-01T02:05Z"] },
        { "0 0 1 JAN,Jul *", "UTC", "2026-11-06T00:00Z", ["2027-01-01T00:00Z", "2027-07-01T00:00Z"] },
        { "0 0 * * mon/2", "UTC", "2026-11-06T00:00Z", ["2026-11-09T00:00Z", "2026-11-11T00:00Z", "2026-11-13T00:00Z", "2026-11-16T00:00Z"] },
        { "@daily", "UTC", "2026-11-06T10:00Z", ["2026-11-07T00:00Z", "2026-11-08T00:00Z"] },
        { "@midnight", "UTC", "2026-11-06T10:00Z", ["2026-11-07T00:00Z", "2026-11-08T00:00Z"] },
        { "@weekly", "UTC", "2026-11-06T10:00Z", ["2026-11-08T00:00Z", "2026-11-15T00:00Z"] },
        { "@hourly", "UTC", "2026-11-06T10:00Z", ["2026-11-06T11:00Z", "2026-11-06T12:00Z"] },
        { "@monthly", "UTC", "2026-11-06T10:00Z", ["2026-12-01T00:00Z", "2027-01-01T00:00Z"] },
        { "@yearly", "UTC", "2026-11-06T10:00Z", ["2027-01-01T00:00Z", "2028-01-01T00:00Z"] },
        { "@annually", "UTC", "2026-11-06T10:00Z", ["2027-01-01T00:00Z", "2028-01-01T00:00Z"] },
        // Both day fields restricted: the 15th OR a Friday.
        { "0 3 15 * 5", "UTC", "2026-11-01T00:00Z", ["2026-11-06T03:00Z", "2026-11-13T03:00Z", "2026-11-15T03:00Z", "2026-11-20T03:00Z", "2026-11-27T03:00Z", "2026-12-04T03:00Z"] },
        // A step over the whole month drops robfig's star bit: days 1, 11, 21, 31 OR Fridays.
        { "0 3 */10 * 5", "UTC", "2026-11-01T00:00Z", ["2026-11-01T03:00Z", "2026-11-06T03:00Z", "2026-11-11T03:00Z", "2026-11-13T03:00Z", "2026-11-20T03:00Z", "2026-11-21T03:00Z", "2026-11-27T03:00Z"] },
        { "0 3 1-7 * mon", "UTC", "2026-10-31T12:00Z", ["2026-11-01T03:00Z", "2026-11-02T03:00Z", "2026-11-03T03:00Z", "2026-11-04T03:00Z", "2026-11-05T03:00Z", "2026-11-06T03:00Z", "2026-11-07T03:00Z", "2026-11-09T03:00Z", "2026-11-16T03:00Z"] },
        // A star (or */1, or ?) in a day field: both must match, so Fridays only.
        { "0 3 * * 5", "UTC", "2026-11-01T00:00Z", ["2026-11-06T03:00Z", "2026-11-13T03:00Z", "2026-11-20T03:00Z"] },
        { "0 3 */1 * 5", "UTC", "2026-11-01T00:00Z", ["2026-11-06T03:00Z", "2026-11-13T03:00Z", "2026-11-20T03:00Z"] },
        { "0 3 ? * FRI", "UTC", "2026-11-01T00:00Z", ["2026-11-06T03:00Z", "2026-11-13T03:00Z", "2026-11-20T03:00Z"] },
        // Berlin springs from 02:00 to 03:00 on 29 March 2026: 02:30 never shows on the clock that day and does not run.
        { "30 2 * * *", "Europe/Berlin", "2026-03-27T12:00Z", ["2026-03-28T01:30Z", "2026-03-30T00:30Z"] },
        // ...and repeats 02:00-03:00 on 25 October 2026: 02:30 shows twice (CEST, then CET) and runs twice.
        { "30 2 * * *", "Europe/Berlin", "2026-10-24T00:00Z", ["2026-10-24T00:30Z", "2026-10-25T00:30Z", "2026-10-25T01:30Z", "2026-10-26T01:30Z"] },
        { "0 * * * *", "Europe/Berlin", "2026-03-28T23:30Z", ["2026-03-29T00:00Z", "2026-03-29T01:00Z", "2026-03-29T02:00Z"] },
        { "30 2 * * *", "America/New_York", "2026-03-07T00:00Z", ["2026-03-07T07:30Z", "2026-03-09T06:30Z"] },
        // @every runs every period from when the schedule came into force.
        { "@every 6h", "UTC", "2026-11-06T12:00Z", ["2026-11-06T16:07:30Z", "2026-11-06T22:07:30Z", "2026-11-07T04:07:30Z"] },
        { "@every 1h30m", "UTC", "2026-11-06T10:07:30Z", ["2026-11-06T11:37:30Z", "2026-11-06T13:07:30Z"] },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void a_schedule_runs_when_robfig_cron_runs_it(string schedule, string zone, string from, string[] expected)
    {
        var errors = new Dictionary<string, string[]>();
        var policy = BackupRules.Policy("velero", schedule, zone, TimeSpan.FromDays(1), null, null, null, null, errors);
        Assert.Empty(errors);
        var start = DateTimeOffset.Parse(from);
        var runs = BackupSchedule.Due(policy!, Anchor, start, start.AddYears(2)).Take(expected.Length).ToList();
        Assert.Equal(expected.Select(DateTimeOffset.Parse), runs);
    }

    [Theory]
    [InlineData("0 3 * * 7", "day-of-week")]
    [InlineData("0 0 * * sat-sun", "day-of-week")]
    [InlineData("0 0 * * 1#2", "day-of-week")]
    [InlineData("60 * * * *", "minute")]
    [InlineData("*/0 * * * *", "minute")]
    [InlineData("1-2-3 * * * *", "minute")]
    [InlineData("0 24 * * *", "hour")]
    [InlineData("0 0 0 * *", "day-of-month")]
    [InlineData("0 0 L * *", "day-of-month")]
    [InlineData("0 0 15W * *", "day-of-month")]
    [InlineData("0 0 * 13 *", "month")]
    [InlineData("0 7 * *", "five")]
    [InlineData("0 0 0 * * *", "five")]
    [InlineData("every day", "five")]
    [InlineData("@reboot", "@every")]
    [InlineData("@DAILY", "@every")]
    [InlineData("@every 1x", "duration")]
    [InlineData("@every 30s", "1m")]
    [InlineData("@every 99999999999999999999999999999h", "duration")]
    [InlineData("@every 9999999999999h", "duration")]
    [InlineData("CRON_TZ=Mars/Olympus 0 0 * * *", "time zone")]
    public void a_schedule_robfig_cron_refuses_is_refused_naming_the_field(string schedule, string named)
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(BackupRules.Policy("velero", schedule, "UTC", TimeSpan.FromDays(1), null, null, null, null, errors));
        Assert.Equal(["schedule"], errors.Keys);
        Assert.Contains(named, errors["schedule"][0]);
    }

    [Fact]
    public void a_cron_tz_prefix_sets_the_time_zone_and_may_not_contradict_it()
    {
        var errors = new Dictionary<string, string[]>();
        var policy = BackupRules.Policy("velero", "CRON_TZ=Europe/Berlin 0 3 * * *", null, TimeSpan.FromDays(1), null, null, null, null, errors);
        Assert.Equal("Europe/Berlin", policy!.TimeZone);
        Assert.Equal([DateTimeOffset.Parse("2026-11-07T02:00Z")], BackupSchedule.Due(policy, Anchor, Anchor, DateTimeOffset.Parse("2026-11-07T12:00Z")));

        Assert.Null(BackupRules.Policy("velero", "TZ=Europe/Berlin 0 3 * * *", "UTC", TimeSpan.FromDays(1), null, null, null, null, errors));
        Assert.Contains("Europe/Berlin", errors["timeZone"][0]);
    }

    [Fact]
    public void a_schedule_that_never_comes_has_no_next_due_time()
    {
        var policy = new BackupPolicy(BackupKind.Velero, "0 0 30 2 *", "UTC", TimeSpan.FromDays(1), TimeSpan.FromMinutes(30), null);
        Assert.Null(BackupSchedule.NextDue(policy, Anchor, Anchor));
    }

    [Fact]
    public void the_fifteenth_is_missed_when_only_the_fridays_report()
    {
        var set = DateTimeOffset.Parse("2026-11-01T00:00Z");
        var policy = new BackupPolicy(BackupKind.Velero, "0 3 15 * 5", "UTC", TimeSpan.FromDays(8), TimeSpan.FromMinutes(30), null);
        var target = BackupTarget.Create(new BackupPolicySet("cluster-a", policy, set, "ops"));
        foreach (var day in new[] { 6, 13, 20, 27 })
        {
            var started = new DateTimeOffset(2026, 11, day, 3, 0, 0, TimeSpan.Zero);
            var report = new BackupReport($"daily-{day}", "velero", BackupPhase.Completed, started, started.AddMinutes(5), 1, null, 0, 0, null, null);
            target = target.With(new BackupReported("cluster-a", report, started.AddMinutes(5), "velero"));
        }
        var now = DateTimeOffset.Parse("2026-11-28T00:00Z");

        var status = BackupStatus.Of(target, now);
        Assert.Equal([DateTimeOffset.Parse("2026-11-15T03:00Z")], status.MissedRuns);
        Assert.Equal(DateTimeOffset.Parse("2026-12-04T03:00Z"), status.NextDue);
        Assert.Equal([DateTimeOffset.Parse("2026-11-15T03:00Z")], BackupMonitoring.Sweep(target, now).OfType<BackupMissed>().Select(m => m.Due));
    }
}
