namespace Sre.Domain.Backups;

public sealed record BackupRun(string Name, BackupPhase Phase, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, long? SizeBytes);

public sealed record RestoreTest(string BackupName, bool Succeeded, TimeSpan Duration, DateTimeOffset TestedAt);

public sealed record BackupRef(string Name, DateTimeOffset CompletedAt, long? SizeBytes, string? Location);

/// <summary>
/// One backup target, built from its stream: the policy, the newest completed backup, and the runs, misses and
/// restore tests of the last <see cref="History"/> (older ones drop off, so the document stays small).
/// </summary>
public sealed record BackupTarget
{
    public static readonly TimeSpan History = TimeSpan.FromDays(40);
    private static readonly Guid Namespace = new("9d3e7b1a-5c2f-4a8e-b6d4-3f1e2c7a9b05");

    public Guid Id { get; init; }
    public long Version { get; set; }
    public string Name { get; init; } = "";
    public BackupPolicy? Policy { get; init; }
    /// <summary>When the current schedule came into force: runs due before it are not looked for.</summary>
    public DateTimeOffset? ScheduleSince { get; init; }
    public DateTimeOffset? PolicySince { get; init; }
    public BackupRef? NewestCompleted { get; init; }
    public BackupRun? LastRun { get; init; }
    /// <summary>True between a BackupFreshnessBreached and the BackupFreshnessRestored after it.</summary>
    public bool Breached => BreachedSince is not null;
    public DateTimeOffset? BreachedSince { get; init; }
    public DateTimeOffset? MissedCheckedUntil { get; init; }
    public IReadOnlyList<BackupRun> Runs { get; init; } = [];
    public IReadOnlyList<DateTimeOffset> Completions { get; init; } = [];
    public IReadOnlyList<DateTimeOffset> Missed { get; init; } = [];
    public IReadOnlyList<RestoreTest> RestoreTests { get; init; } = [];

    public static Guid IdFor(string target) => NameBasedGuid.Create(Namespace, target);

    // One Create and one Apply per event type: the event store dispatches on the concrete type.
    public static BackupTarget Create(BackupPolicySet e) => Start(e);
    public static BackupTarget Create(BackupReported e) => Start(e);
    public static BackupTarget Create(RestoreTested e) => Start(e);
    public BackupTarget Apply(BackupPolicySet e) => With(e);
    public BackupTarget Apply(BackupReported e) => With(e);
    public BackupTarget Apply(RestoreTested e) => With(e);
    public BackupTarget Apply(BackupMissed e) => With(e);
    public BackupTarget Apply(BackupFreshnessBreached e) => With(e);
    public BackupTarget Apply(BackupFreshnessRestored e) => With(e);

    /// <summary>The target as its events build it (the fold the event store runs), or null for none.</summary>
    public static BackupTarget? Fold(IEnumerable<IBackupEvent> events) =>
        events.Aggregate((BackupTarget?)null, (target, e) => target is null ? Start(e) : target.With(e));

    private static BackupTarget Start(IBackupEvent e) => new BackupTarget { Id = IdFor(e.Target), Name = e.Target }.With(e);

    public BackupTarget With(IBackupEvent e) => e switch
    {
        BackupPolicySet p => this with
        {
            Policy = p.Policy,
            PolicySince = PolicySince ?? p.At,
            ScheduleSince = Policy is { } old && old.Schedule == p.Policy.Schedule && old.TimeZone == p.Policy.TimeZone ? ScheduleSince : p.At,
        },
        BackupReported r => Recorded(r),
        RestoreTested t => this with
        {
            RestoreTests = [.. RestoreTests.Where(x => x.TestedAt >= t.At - History).Append(new RestoreTest(t.BackupName, t.Succeeded, t.Duration, t.TestedAt))],
        },
        BackupMissed m => this with
        {
            MissedCheckedUntil = MissedCheckedUntil > m.Due ? MissedCheckedUntil : m.Due,
            Missed = [.. Missed.Where(x => x >= m.At - History).Append(m.Due).Distinct().Order()],
        },
        BackupFreshnessBreached b => this with { BreachedSince = b.At },
        BackupFreshnessRestored => this with { BreachedSince = null },
        _ => this,
    };

    private BackupTarget Recorded(BackupReported e)
    {
        var r = e.Report;
        var run = new BackupRun(r.Name, r.Phase, r.StartedAt, r.CompletedAt, r.SizeBytes);
        var completed = r.Phase == BackupPhase.Completed && r.CompletedAt is { } at;
        var newest = completed && (NewestCompleted is null || r.CompletedAt > NewestCompleted.CompletedAt)
            ? new BackupRef(r.Name, r.CompletedAt!.Value, r.SizeBytes, r.Location)
            : NewestCompleted;
        var since = e.At - History;
        return this with
        {
            LastRun = LastRun is null || r.StartedAt >= LastRun.StartedAt ? run : LastRun,
            NewestCompleted = newest,
            Runs = [.. Runs.Where(x => x.Name != r.Name && x.StartedAt >= since).Append(run).OrderBy(x => x.StartedAt)],
            Completions = completed
                ? [.. Completions.Where(x => x >= since).Append(r.CompletedAt!.Value).Distinct().Order()]
                : Completions,
        };
    }

    /// <summary>The run of that name, if it is still in the history.</summary>
    public BackupRun? Run(string name) => Runs.FirstOrDefault(r => r.Name == name);
}
