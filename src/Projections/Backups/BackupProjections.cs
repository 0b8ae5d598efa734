using JasperFx.Events.Projections;
using Marten;
using Sre.Domain.Backups;

namespace Sre.Projections.Backups;

public static class BackupProjections
{
    /// <summary>Inline: reports are deduplicated against the target as stored, and the status reads it right after.</summary>
    public static void AddBackupProjections(this StoreOptions opts)
    {
        opts.Projections.Snapshot<BackupTarget>(SnapshotLifecycle.Inline);
    }
}
