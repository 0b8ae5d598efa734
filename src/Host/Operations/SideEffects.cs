using JasperFx.Core;
using Sre.Host.Backups;
using Sre.Host.Slos;
using Sre.Host.Toil;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Sre.Host.Operations;

/// <summary>
/// What a committed write sets off runs after the answer, as Wolverine messages on durable local queues: evaluating an
/// SLO, pulling a newly defined SLO's SLI from Prometheus, checking an incident's postmortem, checking a backup target,
/// recording an incident's toil, raising a backup alert. A message is stored in the transaction of the events that cause it (Wolverine's outbox on the Marten
/// session) or of the subscription's checkpoint, so it is handled once that commits, also after a crash.
/// </summary>
public static class SideEffects
{
    /// <summary>Handled in parallel: each message decides on fresh state and meets the others on stream versions.</summary>
    public const string Queue = "side-effects";

    /// <summary>One at a time, in the order of the events: a restored freshness resolves the alert its breach raised.</summary>
    public const string BackupAlertsQueue = "backup-alerts";

    public static void AddSideEffects(this WolverineOptions opts)
    {
        opts.LocalQueue(Queue).UseDurableInbox();
        opts.LocalQueue(BackupAlertsQueue).UseDurableInbox().Sequential();
        opts.PublishMessage<EvaluateSlo>().ToLocalQueue(Queue);
        opts.PublishMessage<CheckPostmortemRequired>().ToLocalQueue(Queue);
        opts.PublishMessage<CheckBackupTarget>().ToLocalQueue(Queue);
        opts.PublishMessage<RecordIncidentToil>().ToLocalQueue(Queue);
        opts.PublishMessage<RaiseBackupAlert>().ToLocalQueue(BackupAlertsQueue);
        opts.PublishMessage<Slos.Prometheus.PullSli>().ToLocalQueue(Queue);

        // The one retry policy. Another writer committed first, or the database was away: the handler decides again on
        // fresh state after a pause. The same after the last pause, or any other fault at once (Wolverine's default),
        // leaves the message in the dead-letter storage (wolverine_dead_letters), logged with its exception.
        opts.Policies.OnException(e => TransientFaults.IsConcurrencyConflict(e) || TransientFaults.IsTransient(e),
                "a concurrent writer or a transient database fault")
            .RetryWithCooldown(100.Milliseconds(), 1.Seconds(), 5.Seconds())
            .Then.MoveToErrorQueue();
    }
}
