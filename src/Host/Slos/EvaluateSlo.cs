using Marten;
using Microsoft.Extensions.Options;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using Wolverine;

namespace Sre.Host.Slos;

/// <summary>Evaluate an SLO now: after new data or a new definition, and on the clock (windows slide without new data).</summary>
public sealed record EvaluateSlo(Guid SloId);

/// <summary>
/// Records the SLO's burn-rate alert and budget transitions as of now on its stream, and the budget events its recent
/// data holds (<see cref="BudgetEventRecording"/>), in one transaction. Two evaluations (two processes, or the sweep and
/// new data) that see the same transition or budget event meet on the stream's version: one commits, the other is
/// retried (<see cref="Operations.SideEffects"/>), reads again and finds nothing left to record.
/// </summary>
public static class EvaluateSloHandler
{
    public static async Task Handle(
        EvaluateSlo message, IDocumentSession session, SliceStore slices, TimeProvider clock, IOptions<SloPolicyOptions> options,
        CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Slo>(message.SloId, ct);
        if (stream.Aggregate is not { } slo) return;
        var events = await Decide(slo, slices, options.Value, clock.GetUtcNow(), changedAfter: null, ct);
        if (events.Count == 0) return;
        stream.AppendMany(events);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// What an evaluation of the SLO (as folded up to the events it is to be appended after) records at
    /// <paramref name="now"/>: its alert and budget transitions (<see cref="SloEvaluation.Transitions"/>), then the budget
    /// events its slices hold (<see cref="BudgetEventRecording"/>); none for a retired SLO or one not defined by then.
    /// The search for budget events covers the whole look back, or, with <paramref name="changedAfter"/> (a pull that
    /// evaluates in the transaction of its slices knows that every slice new since the last evaluation ends after it),
    /// only the windows that end after it (<see cref="BudgetEventRecording.SearchFrom"/>).
    /// </summary>
    public static async Task<IReadOnlyList<object>> Decide(
        Slo slo, ISliceReads slices, SloPolicyOptions options, DateTimeOffset now, DateTimeOffset? changedAfter, CancellationToken ct)
    {
        if (slo.IsRetired || await SloReads.StatusAt(slices, slo, now, ct) is not { } status) return [];
        return
        [
            .. SloEvaluation.Transitions(slo, status, options.FreezeAtRemaining, now),
            .. await BudgetEventsOf(slices, slo, options.Significance, now, changedAfter, ct),
        ];
    }

    /// <summary>The budget events to record: those found in the slices recorded by now, reconciled with the recorded ones.</summary>
    private static async Task<IReadOnlyList<object>> BudgetEventsOf(
        ISliceReads store, Slo slo, SignificanceRule rule, DateTimeOffset now, DateTimeOffset? changedAfter, CancellationToken ct)
    {
        var definition = slo.DefinitionAt(now)!;
        var (from, reads) = BudgetSearch(slo, rule, now, changedAfter);
        var slices = (await store.Read(slo.Id, reads.From, reads.To, ct)).Where(s => s.RecordedAt <= now).Select(s => s.ToObservation());
        var found = BudgetEvents.Find(definition, slo.CountsFrom, slices, from, now, [rule]);
        return BudgetEventRecording.Decide(slo.BudgetEvents, found, rule, now, SloEvaluation.Evaluator);
    }

    /// <summary>
    /// Where an evaluation's search for budget events starts (<see cref="BudgetEventRecording.SearchFrom"/>) and the span
    /// of slice ends it reads: the windows of <paramref name="rule"/> that end after the start, up to now.
    /// </summary>
    public static (DateTimeOffset From, (DateTimeOffset From, DateTimeOffset To) Reads) BudgetSearch(
        Slo slo, SignificanceRule rule, DateTimeOffset now, DateTimeOffset? changedAfter)
    {
        var from = BudgetEventRecording.SearchFrom(slo.BudgetEvents, now, rule.Within, changedAfter);
        return (from, (from - rule.Within, now));
    }

    /// <summary>
    /// Queues an evaluation of each SLO on a bus enrolled in a Marten session's outbox: stored with that session's
    /// commit and handled after it, or never if it does not commit.
    /// </summary>
    public static async ValueTask EvaluateOnCommit(this IMessageBus bus, IEnumerable<Guid> sloIds)
    {
        foreach (var id in sloIds.Distinct()) await bus.PublishAsync(new EvaluateSlo(id));
    }
}
