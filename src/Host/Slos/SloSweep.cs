using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Host.Cluster;
using Sre.Host.Operations;
using Sre.Host.Slos.Prometheus;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Sre.Host.Slos;

/// <summary>
/// The clock's side of SLOs: every <c>Slos:EvaluationInterval</c> (windows slide without new data) an evaluation of
/// each live SLO (but those whose pull evaluates them, <see cref="EvaluatedByItsPull"/>) and a postmortem check of each
/// open incident linked to one, queued in one commit and handled as any other side effect. Each process sweeps the SLOs
/// and incidents of the work partitions it owns (<see cref="OwnedPartitions"/>), so each has one evaluator at a time.
/// </summary>
public sealed class SloSweep(
    IDocumentStore store, OutboxedSessionFactory sessions, IWolverineRuntime runtime, TimeProvider clock,
    IOptions<SloPolicyOptions> options, IOptions<PrometheusOptions> prometheus, OwnedPartitions owned, ILogger<SloSweep> logger)
    : PeriodicSweep(clock, logger)
{
    public override async Task SweepAll(CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var now = Clock.GetUtcNow();
        var slos = (await query.Query<Slo>().Where(s => s.Retired == null)
                .Select(s => new { s.Id, s.PulledThrough, s.PullFault, s.Definition.Sli.SliceLength })
                .ToListAsync(ct))
            .Where(s => owned.Owns(s.Id) && !EvaluatedByItsPull(s.PulledThrough, s.PullFault is not null, s.SliceLength, now, prometheus.Value, options.Value.EvaluationInterval))
            .Select(s => s.Id)
            .ToList();
        var incidents = (await query.Query<Incident>()
                .Where(i => i.Status != IncidentStatus.Closed && i.PostmortemRequiredFor == null)
                .ToListAsync(ct))
            .Where(i => owned.Owns(i.Id) && CheckPostmortemRequiredHandler.IsCandidate(i))
            .Select(i => i.Id)
            .ToList();

        var bus = new MessageContext(runtime);
        await using var session = sessions.OpenSession(bus);
        await bus.EvaluateOnCommit(slos);
        foreach (var id in incidents) await bus.PublishAsync(new CheckPostmortemRequired(id));
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// True when an SLO is pulled at least as often as the sweep runs (its slices, and the pull interval, no longer than the
    /// evaluation interval) and its pull is keeping up (its last slice ended no longer ago than the lag, a pull interval and
    /// a slice): each pull that advances evaluates it in its own commit (SliPuller), so the sweep leaves it out rather than evaluate
    /// it twice. A pull that falls behind (Prometheus down, a fault) puts it back in the sweep. The slice length is the
    /// SLI's, or else the longest any source is configured with.
    /// </summary>
    public static bool EvaluatedByItsPull(DateTimeOffset? pulledThrough, bool faulted, TimeSpan? sliceLength, DateTimeOffset now,
        PrometheusOptions prometheus, TimeSpan evaluationInterval)
    {
        var slice = sliceLength ?? prometheus.Sources.Values.Select(s => s.SliceLength).Append(prometheus.SliceLength)
            .Max() ?? TimeSpan.FromMinutes(1);
        return !faulted && pulledThrough is { } through
            && slice <= evaluationInterval && prometheus.PullInterval <= evaluationInterval
            && now - through <= prometheus.EffectiveLag + prometheus.PullInterval + slice;
    }

    protected override TimeSpan Interval => options.Value.EvaluationInterval;
}
