using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Microsoft.Extensions.Options;
using Sre.Domain.Backups;
using Sre.Host.Alertmanager;

namespace Sre.Host.Backups;

/// <summary>
/// Opens incidents for targets whose policy asks for them: missed runs and freshness breaches become alerts in
/// the same ingestion as Alertmanager's (grouped per target, deduplicated), and a restored freshness resolves its
/// alert. A checkpointed subscription: each transition is raised once it is committed, also after a restart.
/// </summary>
public sealed class BackupIncidentOpener : SubscriptionBase
{
    private readonly IServiceProvider _services;
    private readonly IOptions<AlertmanagerOptions> _options;

    // The ingestor (which needs the store) is resolved when events come: Marten builds its subscriptions while it builds the store.
    public BackupIncidentOpener(IServiceProvider services, IOptions<AlertmanagerOptions> options)
    {
        _services = services;
        _options = options;
        Name = "backup-incidents";
        IncludeType<BackupMissed>();
        IncludeType<BackupFreshnessBreached>();
        IncludeType<BackupFreshnessRestored>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken ct)
    {
        foreach (var e in page.Events)
        {
            if (e.Data is not IBackupEvent backup) continue;
            var target = await operations.LoadAsync<BackupTarget>(e.StreamId, ct);
            if (target?.Policy is not { OpenIncident: true }) continue;
            if (BackupAlerts.For(backup, e.Id, _options.Value.Ingest) is { } notification)
                await _services.GetRequiredService<AlertIngestor>().Submit(notification, ct);
        }
        return NullChangeListener.Instance;
    }
}
