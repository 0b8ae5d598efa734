namespace Sre.Domain.Backups;

/// <summary>
/// The transitions a target records, once each: a missed run, the freshness breached, the freshness restored.
/// Pure: the caller gives the target as stored and the time.
/// </summary>
public static class BackupMonitoring
{
    public const string Monitor = "backup-monitor";

    /// <summary>A report, plus the freshness restored if it brings a fresh backup to a breached target. Nothing for a resend.</summary>
    public static IReadOnlyList<IBackupEvent> Report(BackupTarget? target, string name, BackupReport report, DateTimeOffset now, string by)
    {
        if (target?.Run(report.Name) is { } known && known.Phase == report.Phase && known.CompletedAt == report.CompletedAt) return [];
        var reported = new BackupReported(name, report, now, by);
        var after = target is null ? BackupTarget.Create(reported) : target.With(reported);
        return after.Breached && BackupFreshness.Of(after, now) == Freshness.Fresh
            ? [reported, new BackupFreshnessRestored(name, report.Name, report.CompletedAt, after.BreachedSince, now, by)]
            : [reported];
    }

    /// <summary>What the clock brings: runs missed since the last look, and a change of freshness.</summary>
    public static IReadOnlyList<IBackupEvent> Sweep(BackupTarget target, DateTimeOffset now)
    {
        if (target.Policy is not { } policy || target.ScheduleSince is not { } scheduleSince) return [];
        var events = new List<IBackupEvent>();

        var from = Max(Max(scheduleSince, target.MissedCheckedUntil ?? DateTimeOffset.MinValue), now - BackupTarget.History);
        foreach (var due in BackupSchedule.Missed(policy, scheduleSince, from, now, target.Runs.Select(r => r.StartedAt)))
            events.Add(new BackupMissed(target.Name, due, now, Monitor));

        var freshness = BackupFreshness.Of(target, now);
        if (freshness == Freshness.Stale && !target.Breached)
            events.Add(new BackupFreshnessBreached(target.Name, target.NewestCompleted?.CompletedAt, policy.Rpo, now, Monitor));
        else if (freshness != Freshness.Stale && target.Breached)
            events.Add(new BackupFreshnessRestored(target.Name, target.NewestCompleted?.Name, target.NewestCompleted?.CompletedAt, target.BreachedSince, now, Monitor));
        return events;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
