using MassTransit;
using Sre.Host.Messaging;

namespace Sre.Host.Backups;

/// <summary>Backup reports on the bus (a Velero or etcd snapshot hook): the same path as POST /api/v1/backups/reports.</summary>
public sealed class RecordBackupReportConsumer(BackupWriter writer) : IConsumer<Contracts.RecordBackupReport>
{
    public async Task Consume(ConsumeContext<Contracts.RecordBackupReport> context)
    {
        var outcome = await writer.Report(context.Message, context.CancellationToken);
        if (outcome.Errors.Count > 0) throw new InvalidMessageException(outcome.Errors);
    }
}
