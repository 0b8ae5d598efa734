using Cronos;

namespace Sre.Domain.Backups;

/// <summary>Cron schedules in a time zone (Cronos: daylight-saving gaps run once at the gap's end, overlaps once).</summary>
public static class BackupSchedule
{
    /// <summary>The smallest slack around a due time, for runs that start a moment early.</summary>
    public static readonly TimeSpan MinimumSlack = TimeSpan.FromMinutes(1);

    public static bool TryParse(string? schedule, out CronExpression? cron, out string? error)
    {
        cron = null;
        error = null;
        if (string.IsNullOrWhiteSpace(schedule))
        {
            error = "is required.";
            return false;
        }
        try
        {
            cron = CronExpression.Parse(schedule.Trim(), CronFormat.Standard);
            return true;
        }
        catch (CronFormatException e)
        {
            error = $"'{schedule}' is not a five-field cron expression: {e.Message}";
            return false;
        }
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

    /// <summary>Due times of the schedule in (from, to].</summary>
    public static IEnumerable<DateTimeOffset> Due(BackupPolicy policy, DateTimeOffset from, DateTimeOffset to)
    {
        if (from >= to) return [];
        var cron = CronExpression.Parse(policy.Schedule.Trim(), CronFormat.Standard);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(policy.TimeZone);
        return cron.GetOccurrences(from, to, zone, fromInclusive: false, toInclusive: true);
    }

    public static DateTimeOffset? NextDue(BackupPolicy policy, DateTimeOffset after)
    {
        var cron = CronExpression.Parse(policy.Schedule.Trim(), CronFormat.Standard);
        return cron.GetNextOccurrence(after, TimeZoneInfo.FindSystemTimeZoneById(policy.TimeZone));
    }

    /// <summary>
    /// Runs due in (from, now - grace] that no report covers: a run covers a due time when it started within
    /// the grace on either side of it. Due times whose grace has not yet passed are not missed (yet).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Missed(
        BackupPolicy policy, DateTimeOffset from, DateTimeOffset now, IEnumerable<DateTimeOffset> runStarts)
    {
        var slack = policy.Grace > MinimumSlack ? policy.Grace : MinimumSlack;
        var starts = runStarts.Order().ToList();
        return Due(policy, from, now - policy.Grace)
            .Where(due => !starts.Any(s => s >= due - slack && s <= due + slack))
            .ToList();
    }
}
