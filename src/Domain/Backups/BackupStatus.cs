namespace Sre.Domain.Backups;

/// <summary>Where a target stands at an instant.</summary>
public sealed record BackupStatusReport(
    string Target, BackupKind? Kind, string? Schedule, string? TimeZone, TimeSpan? Rpo, Freshness Freshness, bool Breached,
    BackupRef? NewestCompleted, TimeSpan? Age, BackupPhase? LastPhase, string? LastRun, DateTimeOffset? NextDue,
    int Runs, double? SuccessShare, IReadOnlyList<DateTimeOffset> MissedRuns,
    int RestoreTests, double? RestoreSuccessShare, TimeSpan? RecoveryTime, DateTimeOffset? LastRestoreTest);

public static class BackupStatus
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>Phases after which a backup changes no more (Deleting is about removal, not the outcome).</summary>
    public static bool IsFinal(BackupPhase phase) =>
        phase is BackupPhase.Completed or BackupPhase.PartiallyFailed or BackupPhase.Failed or BackupPhase.FailedValidation;

    /// <summary>
    /// The status over the last 30 days: success share of the runs that finished, runs missed (computed from the
    /// schedule, so a run the monitor has not yet looked at counts too), restore tests and the median recovery time.
    /// </summary>
    public static BackupStatusReport Of(BackupTarget t, DateTimeOffset now)
    {
        var since = now - Window;
        var runs = t.Runs.Where(r => r.StartedAt >= since && r.StartedAt <= now && IsFinal(r.Phase)).ToList();
        var tests = t.RestoreTests.Where(r => r.TestedAt >= since && r.TestedAt <= now).ToList();
        var recovered = tests.Where(r => r.Succeeded).Select(r => r.Duration).Order().ToList();

        IReadOnlyList<DateTimeOffset> missed = [];
        if (t.Policy is { } policy && t.ScheduleSince is { } scheduleSince)
        {
            var from = scheduleSince > since ? scheduleSince : since;
            missed = t.Missed.Where(m => m > since && m <= now)
                .Union(BackupSchedule.Missed(policy, scheduleSince, from, now, t.Runs.Select(r => r.StartedAt)))
                .Order().ToList();
        }

        var newest = t.NewestCompleted is { } n && n.CompletedAt <= now ? n : null;
        return new BackupStatusReport(
            t.Name, t.Policy?.Kind, t.Policy?.Schedule, t.Policy?.TimeZone, t.Policy?.Rpo, BackupFreshness.Of(t, now), t.Breached,
            newest, newest is null ? null : now - newest.CompletedAt, t.LastRun?.Phase, t.LastRun?.Name,
            t.Policy is null ? null : BackupSchedule.NextDue(t.Policy, t.ScheduleSince ?? now, now),
            runs.Count, runs.Count == 0 ? null : (double)runs.Count(r => r.Phase == BackupPhase.Completed) / runs.Count, missed,
            tests.Count, tests.Count == 0 ? null : (double)recovered.Count / tests.Count,
            recovered.Count == 0 ? null : recovered[recovered.Count / 2],
            tests.Count == 0 ? null : tests.Max(r => r.TestedAt));
    }
}
