namespace Sre.Domain.Slos.Alerting;

/// <summary>
/// What the evaluator records of the budget events it finds (<see cref="BudgetEvents"/>): a new one once, as
/// <see cref="BudgetEventRecorded"/>; one that grew or that late data changed, as <see cref="BudgetEventExtended"/>
/// naming what it replaces. An evaluation looks at the last <see cref="Lookback"/> (and, for events recorded within
/// reach, back to their first hot window, so that a search never sees a recorded event cut short).
/// </summary>
public static class BudgetEventRecording
{
    /// <summary>How far back an evaluation looks for hot windows: late data older than this creates nothing.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(1);

    /// <summary>
    /// Where the search for hot windows starts: <paramref name="now"/> − <see cref="Lookback"/>, or earlier, at the first
    /// hot window of each recorded event that a hot window ending later could join. A window ending after <c>from</c>
    /// starts after <c>from − within</c>, and a recorded event's hot windows end at most <c>within</c> after its end, so
    /// an event ending before <c>from − 2·within</c> can join nothing found; moving <c>from</c> back may bring another in reach.
    /// With <paramref name="changedAfter"/> (an evaluation that knows which slices are new since the last one: those that end
    /// after it), the search starts there if that is later than the look back: a window that ends earlier holds none of
    /// them, so it is as the last evaluation saw and recorded it.
    /// </summary>
    public static DateTimeOffset SearchFrom(IReadOnlyList<BudgetEvent> recorded, DateTimeOffset now, TimeSpan within, DateTimeOffset? changedAfter = null)
    {
        var from = changedAfter is { } changed && changed > now - Lookback ? changed : now - Lookback;
        while (recorded.Where(r => r.End >= from - 2 * within && r.HotFrom < from).Select(r => r.HotFrom).DefaultIfEmpty(from).Min() is var earlier
            && earlier < from)
            from = earlier;
        return from;
    }

    /// <summary>
    /// The events to append for what was found. A found event that differs from the one it joins only in its hot span (a
    /// hot window still covers the same bad slices) changes nothing recorded: the evaluation a minute later would
    /// otherwise record the same event again for as long as its bad slices stay inside a window.
    /// </summary>
    public static IReadOnlyList<object> Decide(
        IReadOnlyList<BudgetEvent> recorded, IReadOnlyList<BudgetEvent> found, SignificanceRule rule, DateTimeOffset now, string by) =>
        BudgetEvents.Reconcile(recorded, found)
            .Where(c => c.Extends is not [var only] || only with { HotFrom = c.Event.HotFrom, HotTo = c.Event.HotTo } != c.Event)
            .Select(object (c) => c.Extends.Count == 0
                ? new BudgetEventRecorded(c.Event, rule.Share, rule.Within, now, by)
                : new BudgetEventExtended(c.Event, c.Extends, rule.Share, rule.Within, now, by))
            .ToList();
}
