namespace Sre.Domain.Backups;

public enum BackupKind
{
    Etcd,
    Velero,
    Postgres,
    Other,
}

/// <summary>Velero's backup phases; etcd snapshots report Completed or Failed.</summary>
public enum BackupPhase
{
    New,
    FailedValidation,
    InProgress,
    WaitingForPluginOperations,
    WaitingForPluginOperationsPartiallyFailed,
    Finalizing,
    FinalizingPartiallyFailed,
    Completed,
    PartiallyFailed,
    Failed,
    Deleting,
}

/// <summary>SLOs a target carries: freshness (minutes with a backup younger than the RPO) and durability (restore tests that succeeded).</summary>
public sealed record BackupSloTargets(double? Freshness = null, double? Durability = null, TimeSpan? Window = null);

/// <summary>How a target is backed up: a cron schedule in a time zone, the recovery point objective, grace, retention.</summary>
public sealed record BackupPolicy(
    BackupKind Kind, string Schedule, string TimeZone, TimeSpan Rpo, TimeSpan Grace, TimeSpan? Retention,
    bool OpenIncident = false, BackupSloTargets? Slos = null);

/// <summary>What a backup tool reported about one backup (Velero's Backup status, or an etcd snapshot and its status).</summary>
public sealed record BackupReport(
    string Name, string? Tool, BackupPhase Phase, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, long? SizeBytes,
    string? Location, int Errors, int Warnings, long? EtcdRevision, string? EtcdHash);

/// <summary>An event of a backup target's stream: whose, and when it was recorded.</summary>
public interface IBackupEvent
{
    string Target { get; }
    DateTimeOffset At { get; }
}

public sealed record BackupPolicySet(string Target, BackupPolicy Policy, DateTimeOffset At, string By) : IBackupEvent;

public sealed record BackupReported(string Target, BackupReport Report, DateTimeOffset At, string By) : IBackupEvent;

public sealed record RestoreTested(
    string Target, string BackupName, bool Succeeded, TimeSpan Duration, DateTimeOffset TestedAt, DateTimeOffset At, string By) : IBackupEvent;

/// <summary>The run scheduled at <see cref="Due"/> did not report by its due time plus grace.</summary>
public sealed record BackupMissed(string Target, DateTimeOffset Due, DateTimeOffset At, string By) : IBackupEvent;

/// <summary>The newest completed backup became older than the RPO (or none came within the RPO of the policy).</summary>
public sealed record BackupFreshnessBreached(
    string Target, DateTimeOffset? NewestCompletedAt, TimeSpan Rpo, DateTimeOffset At, string By) : IBackupEvent;

/// <summary>A backup younger than the RPO again, after the breach that began at <see cref="BreachedAt"/>.</summary>
public sealed record BackupFreshnessRestored(
    string Target, string? BackupName, DateTimeOffset? CompletedAt, DateTimeOffset? BreachedAt, DateTimeOffset At, string By) : IBackupEvent;
