using Sre.Domain.Alertmanager;

namespace Sre.Domain.Backups;

/// <summary>
/// A target whose policy asks for incidents raises them as alerts through the same ingestion as Alertmanager's:
/// one group per target, a firing alert per missed run and per freshness breach, the breach's alert resolved
/// when the freshness is restored. Fingerprints come from the events, so a replay appends nothing.
/// </summary>
public static class BackupAlerts
{
    public const string Receiver = "sre-backups";

    public static AlertNotification? For(IBackupEvent e, Guid eventId, IngestOptions options) => e switch
    {
        BackupMissed m => Notification(m.Target, eventId, options, Alert(m.Target, "BackupMissed", "warning", "firing", m.Due, null,
            $"The backup of {m.Target} due at {m.Due:O} did not report.", options)),
        BackupFreshnessBreached b => Notification(b.Target, eventId, options, Alert(b.Target, "BackupFreshnessBreached", "critical", "firing", b.At, null,
            $"The newest completed backup of {b.Target} is older than its RPO of {Time.PromDuration.Format(b.Rpo)}.", options)),
        BackupFreshnessRestored { BreachedAt: { } since } r => Notification(r.Target, eventId, options, Alert(r.Target, "BackupFreshnessBreached", "critical", "resolved", since, r.At,
            $"The backup {r.BackupName} of {r.Target} is fresh again.", options)),
        _ => null,
    };

    private static ReceivedAlert Alert(
        string target, string name, string severity, string status, DateTimeOffset startsAt, DateTimeOffset? endsAt, string summary, IngestOptions options) =>
        new(status,
            new Dictionary<string, string>
            {
                ["alertname"] = name, ["backup_target"] = target, [options.ServiceLabel] = target, [options.SeverityLabel] = severity,
            },
            new Dictionary<string, string> { ["summary"] = summary },
            startsAt, endsAt, null,
            NameBasedGuid.Create(BackupTarget.IdFor(target), $"{name}:{startsAt.UtcTicks}").ToString("N")[..16]);

    private static AlertNotification Notification(string target, Guid eventId, IngestOptions options, ReceivedAlert alert)
    {
        var group = new Dictionary<string, string> { ["backup_target"] = target };
        return new AlertNotification(eventId, Receiver, alert.Status, $"{{}}:{{backup_target=\"{target}\"}}", 0, group,
            new Dictionary<string, string>(alert.Labels), new Dictionary<string, string>(alert.Annotations), null, [alert], BackupMonitoring.Monitor);
    }
}
