namespace Sre.Domain.Backups;

/// <summary>A policy's schedule in its time zone, read as the scheduler that runs the backups reads it (<see cref="CronSchedule"/>).</summary>
public static class BackupSchedule
{
    /// <summary>The smallest slack around a due time, for runs that start a moment early.</summary>
    public static readonly TimeSpan MinimumSlack = TimeSpan.FromMinutes(1);

    /// <summary>How far ahead the next due time is looked for (robfig/cron gives up after five years too).</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(5 * 366);

    public static bool TryParse(string? schedule, out CronSchedule? cron, out string? error)
    {
        error = null;
        cron = null;
        if (string.IsNullOrWhiteSpace(schedule))
        {
            error = "is required.";
            return false;
        }
        cron = CronSchedule.Read(schedule, out error);
        return cron is not null;
    }

    public static bool TryZone(string? name, out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(name)) return false;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>Due times of the schedule in (from, to]; <paramref name="since"/> is when the schedule came into force.</summary>
    public static IEnumerable<DateTimeOffset> Due(BackupPolicy policy, DateTimeOffset since, DateTimeOffset from, DateTimeOffset to)
    {
        if (from >= to || Read(policy) is not { } cron) return [];
        return cron.Occurrences(TimeZoneInfo.FindSystemTimeZoneById(policy.TimeZone), since, from, to);
    }

    /// <summary>The first due time after <paramref name="after"/>, or none within <see cref="Horizon"/> (such as 30 February).</summary>
    public static DateTimeOffset? NextDue(BackupPolicy policy, DateTimeOffset since, DateTimeOffset after) =>
        Due(policy, since, after, after + Horizon).Select(t => (DateTimeOffset?)t).FirstOrDefault();

    /// <summary>
    /// Runs due in (from, now - grace] that no report covers: a run covers a due time when it started within
    /// the grace on either side of it. Due times whose grace has not yet passed are not missed (yet).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Missed(
        BackupPolicy policy, DateTimeOffset since, DateTimeOffset from, DateTimeOffset now, IEnumerable<DateTimeOffset> runStarts)
    {
        var slack = policy.Grace > MinimumSlack ? policy.Grace : MinimumSlack;
        var starts = runStarts.Order().ToList();
        return Due(policy, since, from, now - policy.Grace)
            .Where(due => !starts.Any(s => s >= due - slack && s <= due + slack))
            .ToList();
    }

    // A stored schedule the rules of today refuse (Cronos extensions such as L, W, # or day-of-week 7) is read as it
    // was when it was accepted, so its target stays watched until the policy is set again.
    private static CronSchedule? Read(BackupPolicy policy) => CronSchedule.Read(policy.Schedule, out _) ?? CronSchedule.Legacy(policy.Schedule);
}
