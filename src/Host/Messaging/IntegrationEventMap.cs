using JasperFx.Events;
using Marten;
using Sre.Domain.Backups;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Domain.Time;
using C = Sre.Contracts;

namespace Sre.Host.Messaging;

/// <summary>Which stored events become integration events, and their shape on the bus.</summary>
public static class IntegrationEventMap
{
    public static readonly Type[] SourceTypes =
    [
        typeof(IncidentOpened), typeof(IncidentDeclared), typeof(IncidentAcknowledged), typeof(IncidentResolved), typeof(IncidentMerged),
        typeof(IncidentClosed),
        typeof(BurnRateAlertRaised), typeof(BurnRateAlertCleared), typeof(ErrorBudgetExhausted), typeof(ErrorBudgetRestored),
        typeof(BackupMissed), typeof(BackupFreshnessBreached), typeof(BackupFreshnessRestored),
    ];

    /// <summary>The integration events of one stored event (none, one or two), in the order to publish them.</summary>
    public static async Task<IReadOnlyList<C.IIntegrationEvent>> From(IEvent e, IQuerySession session, CancellationToken ct)
    {
        var (id, stream, version) = (e.Id, e.StreamId, e.Version);
        async Task<Incident?> IncidentOf() => await session.LoadAsync<Incident>(stream, ct);
        async Task<Slo?> SloOf() => await session.LoadAsync<Slo>(stream, ct);

        switch (e.Data)
        {
            case IncidentOpened o:
                return [new C.IncidentOpened(o.IncidentId, o.Title, o.Service, o.Severity, o.Labels, id, stream, version, o.At)];
            // A declared incident is opened by a person: the same fact for the bus's consumers.
            case IncidentDeclared d:
                return [new C.IncidentOpened(d.IncidentId, d.Title, d.Service, d.Severity, d.Labels, id, stream, version, d.At)];
            case IncidentAcknowledged a:
                return [new C.IncidentAcknowledged(stream, (await IncidentOf())?.Service ?? "", a.By, id, stream, version, a.At)];
            case IncidentResolved r:
                return [new C.IncidentResolved(stream, (await IncidentOf())?.Service ?? "", r.By, id, stream, version, r.At)];
            // A merged incident is resolved by the merge.
            case IncidentMerged m:
                return [new C.IncidentResolved(stream, (await IncidentOf())?.Service ?? "", m.By, id, stream, version, m.At)];
            case IncidentClosed c:
                return [new C.IncidentClosed(stream, (await IncidentOf())?.Service ?? "", c.By, id, stream, version, c.At)];
            case BurnRateAlertRaised r when await SloOf() is { } slo:
                return [new C.BurnRateAlertRaised(slo.Name, slo.Service, r.Severity, PromDuration.Format(r.LongWindow),
                    PromDuration.Format(r.ShortWindow), r.Factor, r.LongBurnRate, r.ShortBurnRate, id, stream, version, r.At)];
            // An OpenSLO policy with alertWhenResolved: false asks that a cleared alert be not told.
            case BurnRateAlertCleared c when await SloOf() is { } slo && slo.Definition.Alerting.Resolved:
                return [new C.BurnRateAlertCleared(slo.Name, slo.Service, c.Severity, PromDuration.Format(c.LongWindow),
                    PromDuration.Format(c.ShortWindow), c.Factor, id, stream, version, c.At)];
            case ErrorBudgetExhausted x when await SloOf() is { } slo:
                return [new C.ErrorBudgetExhausted(slo.Name, slo.Service, x.Remaining, id, stream, version, x.At),
                    new C.ReleaseGateChanged(slo.Service, true, slo.Name, id, stream, version, x.At)];
            case ErrorBudgetRestored r when await SloOf() is { } slo:
                var stillFrozen = await session.Query<Slo>().AnyAsync(s => s.Service == slo.Service && s.Id != slo.Id && s.BudgetExhausted, ct);
                return [new C.ErrorBudgetRestored(slo.Name, slo.Service, r.Remaining, id, stream, version, r.At),
                    new C.ReleaseGateChanged(slo.Service, stillFrozen, slo.Name, id, stream, version, r.At)];
            case BackupMissed m:
                return [new C.BackupMissed(m.Target, m.Due, id, stream, version, m.At)];
            case BackupFreshnessBreached b:
                return [new C.BackupFreshnessBreached(b.Target, b.NewestCompletedAt, PromDuration.Format(b.Rpo), id, stream, version, b.At)];
            case BackupFreshnessRestored r:
                return [new C.BackupFreshnessRestored(r.Target, r.BackupName, r.CompletedAt, id, stream, version, r.At)];
            default:
                return [];
        }
    }
}
