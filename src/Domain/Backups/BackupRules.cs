using Sre.Domain.Slos;

namespace Sre.Domain.Backups;

/// <summary>Checks of what backup tools and people send; each error is keyed by its field, and nothing invalid is stored.</summary>
public static class BackupRules
{
    public static readonly TimeSpan DefaultSloWindow = TimeSpan.FromDays(28);

    /// <summary>Target names are DNS labels short enough to name the target's SLOs (<c>{target}-backup-freshness</c>).</summary>
    public static void CheckTarget(string? target, Dictionary<string, string[]> errors)
    {
        if (!SloRules.IsDnsLabel(target) || target!.Length > 40)
            errors["target"] = ["must be a DNS label of at most 40 characters: lower-case letters, digits and '-'."];
    }

    public static BackupPolicy? Policy(
        string? kind, string? schedule, string? timeZone, TimeSpan? rpo, TimeSpan? grace, TimeSpan? retention, bool? openIncident,
        BackupSloTargets? slos, Dictionary<string, string[]> errors)
    {
        var parsedKind = EnumText.Parse<BackupKind>(kind);
        if (parsedKind is null) errors["kind"] = [$"must be one of {string.Join(", ", Enum.GetNames<BackupKind>().Select(n => n.ToLowerInvariant()))}."];
        if (!BackupSchedule.TryParse(schedule, out var cron, out var cronError)) errors["schedule"] = [cronError!];
        var zone = string.IsNullOrWhiteSpace(timeZone) ? cron?.Zone ?? "UTC" : timeZone;
        if (!BackupSchedule.TryZone(zone, out _)) errors["timeZone"] = [$"'{timeZone}' is not an IANA time zone such as Europe/Berlin."];
        else if (cron?.Zone is { } prefixed && prefixed != zone)
            errors["timeZone"] = [$"is {zone}, but the schedule's prefix says {prefixed}."];
        if (rpo is null) errors["rpo"] = ["is required."];
        else if (rpo <= TimeSpan.Zero) errors["rpo"] = ["must be more than 0."];
        if (grace < TimeSpan.Zero) errors["grace"] = ["must be 0 or more."];
        if (retention < TimeSpan.Zero) errors["retention"] = ["must be 0 or more."];
        if (slos?.Freshness is { } f && (f <= 0 || !Slos.ErrorBudget.IsValidTarget(f))) errors["slos.freshness"] = ["must be a ratio between 0 and 1, such as 0.99."];
        if (slos?.Durability is { } d && (d <= 0 || !Slos.ErrorBudget.IsValidTarget(d))) errors["slos.durability"] = ["must be a ratio between 0 and 1, such as 0.99."];
        if (slos?.Window is { } w && (w < TimeSpan.FromHours(1) || w > TimeSpan.FromDays(400))) errors["slos.window"] = ["must be between 1h and 400d."];
        if (errors.Count > 0) return null;
        return new BackupPolicy(parsedKind!.Value, schedule!.Trim(), zone, rpo!.Value, grace ?? TimeSpan.FromMinutes(30), retention,
            openIncident ?? false, slos is null || (slos.Freshness is null && slos.Durability is null) ? null : slos with { Window = slos.Window ?? DefaultSloWindow });
    }

    public static BackupReport? Report(
        BackupKind? kind, string? name, string? tool, string? phase, DateTimeOffset? startedAt, DateTimeOffset? completedAt, long? sizeBytes,
        string? location, int? errorCount, int? warningCount, long? etcdRevision, string? etcdHash, DateTimeOffset now,
        Dictionary<string, string[]> errors)
    {
        FieldRules.CheckName("backupName", name, errors);
        FieldRules.CheckText("tool", tool, 100, errors);
        FieldRules.CheckText("location", location, 2048, errors);
        FieldRules.CheckText("etcdHash", etcdHash, 128, errors);
        var parsedPhase = EnumText.Parse<BackupPhase>(phase);
        if (parsedPhase is null) errors["phase"] = [$"must be one of {string.Join(", ", Enum.GetNames<BackupPhase>())}."];
        else if (kind == BackupKind.Etcd && parsedPhase is not (BackupPhase.Completed or BackupPhase.Failed))
            errors["phase"] = ["an etcd snapshot is Completed or Failed."];
        if (startedAt is null) errors["startedAt"] = ["is required."];
        else FieldRules.CheckInstant("startedAt", startedAt, now, errors);
        FieldRules.CheckInstant("completedAt", completedAt, now, errors);
        if (parsedPhase == BackupPhase.Completed && completedAt is null) errors["completedAt"] = ["is required for a Completed backup."];
        if (completedAt < startedAt) errors["completedAt"] = ["is before startedAt."];
        if (sizeBytes < 0) errors["sizeBytes"] = ["must be 0 or more."];
        if (errorCount < 0) errors["errors"] = ["must be 0 or more."];
        if (warningCount < 0) errors["warnings"] = ["must be 0 or more."];
        if (etcdRevision < 0) errors["etcdRevision"] = ["must be 0 or more."];
        if (errors.Count > 0) return null;
        return new BackupReport(name!, tool, parsedPhase!.Value, startedAt!.Value, completedAt, sizeBytes, location,
            errorCount ?? 0, warningCount ?? 0, etcdRevision, etcdHash);
    }

    public static void RestoreTest(string? backupName, bool? succeeded, TimeSpan? duration, DateTimeOffset? testedAt, DateTimeOffset now,
        Dictionary<string, string[]> errors)
    {
        FieldRules.CheckName("backupName", backupName, errors);
        if (succeeded is null) errors["succeeded"] = ["is required."];
        if (duration is null) errors["duration"] = ["is required."];
        else if (duration < TimeSpan.Zero || duration > TimeSpan.FromDays(7)) errors["duration"] = ["must be between 0s and 7d."];
        FieldRules.CheckInstant("testedAt", testedAt, now, errors);
    }
}
