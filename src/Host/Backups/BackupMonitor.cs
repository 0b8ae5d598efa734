using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Backups;
using Sre.Host.Cluster;
using Sre.Host.Operations;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Sre.Host.Backups;

/// <summary>Configuration section "Backups".</summary>
public sealed class BackupOptions
{
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00"), Display(Name = "Backups:MonitorInterval")]
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How far back the freshness SLI is filled in after the service was down.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "366.00:00:00"), Display(Name = "Backups:MaxFreshnessBackfill")]
    public TimeSpan MaxFreshnessBackfill { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// The clock's side of backups: every <c>Backups:MonitorInterval</c> a check of each target with a policy, queued in one
/// commit and handled as any other side effect (<see cref="CheckBackupTarget"/>). Each process checks the targets of the
/// work partitions it owns (<see cref="OwnedPartitions"/>), so each target has one checker at a time.
/// </summary>
public sealed class BackupMonitor(
    IDocumentStore store, OutboxedSessionFactory sessions, IWolverineRuntime runtime, TimeProvider clock, IOptions<BackupOptions> options,
    OwnedPartitions owned, ILogger<BackupMonitor> logger) : PeriodicSweep(clock, logger)
{
    public override async Task SweepAll(CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var ids = (await query.Query<BackupTarget>().Where(t => t.Policy != null).Select(t => t.Id).ToListAsync(ct)).Where(owned.Owns);
        var bus = new MessageContext(runtime);
        await using var session = sessions.OpenSession(bus);
        foreach (var id in ids) await bus.PublishAsync(new CheckBackupTarget(id));
        await session.SaveChangesAsync(ct);
    }

    protected override TimeSpan Interval => options.Value.MonitorInterval;
}
