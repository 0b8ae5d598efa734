using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Backups;
using Sre.Host.Alertmanager;
using Wolverine.Marten.Subscriptions;

namespace Sre.Host.Backups;

/// <summary>Raise (or resolve) the alert of the backup transition at this version of the target's stream.</summary>
public sealed record RaiseBackupAlert(Guid TargetId, long Version);

/// <summary>
/// Opens incidents for targets whose policy asks for them: missed runs and freshness breaches become alerts in the
/// same ingestion as Alertmanager's (grouped per target, deduplicated by fingerprints derived from the events, so a
/// message handled twice appends nothing), and a restored freshness resolves its alert. Each committed transition
/// becomes a message through a checkpointed subscription (<see cref="Relay"/>), handled in order.
/// </summary>
public static class RaiseBackupAlertHandler
{
    /// <summary>The subscription's name, and so its checkpoint in the event store.</summary>
    public const string Subscription = "backup-incidents";

    public static void Relay(IPublishingRelay relay)
    {
        relay.PublishEvent<BackupMissed>((e, bus) => bus.PublishAsync(new RaiseBackupAlert(e.StreamId, e.Version)));
        relay.PublishEvent<BackupFreshnessBreached>((e, bus) => bus.PublishAsync(new RaiseBackupAlert(e.StreamId, e.Version)));
        relay.PublishEvent<BackupFreshnessRestored>((e, bus) => bus.PublishAsync(new RaiseBackupAlert(e.StreamId, e.Version)));
    }

    public static async Task Handle(
        RaiseBackupAlert message, IQuerySession session, AlertIngestor ingestor, IOptions<AlertmanagerOptions> options, CancellationToken ct)
    {
        var e = (await session.Events.FetchStreamAsync(message.TargetId, message.Version, fromVersion: message.Version, token: ct))
            .SingleOrDefault();
        if (e?.Data is not IBackupEvent backup) return;
        var target = await session.LoadAsync<BackupTarget>(message.TargetId, ct);
        if (target?.Policy is not { OpenIncident: true }) return;
        if (BackupAlerts.For(backup, e.Id, options.Value.Ingest) is { } notification)
            await ingestor.Submit(notification, ct);
    }
}
