using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Host.Incidents;
using Sre.Host.Operations;

namespace Sre.Host.Slos;

/// <summary>
/// Records burn-rate alert and budget transitions on each SLO's stream: after observations arrive and every
/// minute, since windows slide without new data. Two evaluators (two processes) that see the same transition
/// meet on the stream's version: one commits, the other re-reads and finds nothing left to record.
/// </summary>
public sealed class SloEvaluator(
    IDocumentStore store, SliceStore slices, TimeProvider clock, IOptions<SloPolicyOptions> options, ILogger<SloEvaluator> logger) : BackgroundService
{
    public async Task EvaluateAll(CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var ids = await query.Query<Slo>().Where(s => s.Retired == null).Select(s => s.Id).ToListAsync(ct);
        await Evaluate(ids, ct);
        await RecordPostmortemsRequired(ct);
    }

    /// <summary>Marks incidents that spent more than the policy's share of a linked SLO's budget.</summary>
    public async Task RecordPostmortemsRequired(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var candidates = (await session.Query<Incident>()
                .Where(i => i.Status != IncidentStatus.Closed && i.PostmortemRequiredFor == null)
                .ToListAsync(ct))
            .Where(i => i.Slos.Count > 0)
            .ToList();
        var now = clock.GetUtcNow();
        foreach (var incident in candidates)
        {
            var spends = await IncidentSloSpend.For(session, slices, incident, now, ct);
            if (spends.FirstOrDefault(s => s.BudgetSpent > options.Value.PostmortemAtIncidentSpend) is not { } over) continue;
            // The incident as queried above: the expected version fails the commit if it changed since.
            session.Events.Append(incident.Id, incident.Version + 1, new PostmortemRequired(over.Slo, over.BudgetSpent!.Value, now, SloEvaluation.Evaluator));
        }
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (TransientFaults.IsConcurrencyConflict(e))
        {
            // An incident changed meanwhile: the next sweep looks again.
        }
    }

    public async Task Evaluate(IEnumerable<Guid> sloIds, CancellationToken ct)
    {
        foreach (var id in sloIds)
        {
            try
            {
                await EvaluateOne(id, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The data is committed; the next sweep records what this one could not.
                logger.LogWarning(e, "Evaluating SLO {SloId} failed", id);
            }
        }
    }

    // Someone else may append first: evaluate again on what they recorded.
    private Task EvaluateOne(Guid id, CancellationToken ct) => TransientFaults.RetryOnConflict(3, async () =>
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<Slo>(id, ct);
        if (stream.Aggregate is not { IsRetired: false } slo) return false;
        var now = clock.GetUtcNow();
        if (await SloReads.StatusAt(slices, slo, now, ct) is not { } status) return false;
        var events = SloEvaluation.Transitions(slo, status, options.Value.FreezeAtRemaining, now);
        if (events.Count == 0) return false;
        stream.AppendMany(events);
        await session.SaveChangesAsync(ct);
        return true;
    });

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.EvaluationInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await EvaluateAll(stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "The SLO evaluation sweep failed; retrying at the next tick");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
