using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Host.Operations;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Sre.Host.Slos;

/// <summary>
/// The clock's side of SLOs: every <c>Slos:EvaluationInterval</c> (windows slide without new data) an evaluation of
/// each live SLO and a postmortem check of each open incident linked to one, queued in one commit and handled as
/// any other side effect.
/// </summary>
public sealed class SloSweep(
    IDocumentStore store, OutboxedSessionFactory sessions, IWolverineRuntime runtime, TimeProvider clock,
    IOptions<SloPolicyOptions> options, ILogger<SloSweep> logger) : PeriodicSweep(clock, logger)
{
    public override async Task SweepAll(CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var slos = await query.Query<Slo>().Where(s => s.Retired == null).Select(s => s.Id).ToListAsync(ct);
        var incidents = (await query.Query<Incident>()
                .Where(i => i.Status != IncidentStatus.Closed && i.PostmortemRequiredFor == null)
                .ToListAsync(ct))
            .Where(CheckPostmortemRequiredHandler.IsCandidate)
            .Select(i => i.Id)
            .ToList();

        var bus = new MessageContext(runtime);
        await using var session = sessions.OpenSession(bus);
        await bus.EvaluateOnCommit(slos);
        foreach (var id in incidents) await bus.PublishAsync(new CheckPostmortemRequired(id));
        await session.SaveChangesAsync(ct);
    }

    protected override TimeSpan Interval => options.Value.EvaluationInterval;
}
