namespace Sre.Domain.Slos.Alerting;

/// <summary>
/// When spending is significant: at least <paramref name="Share"/> of the period's budget spent within
/// <paramref name="Within"/> (the workbook's page threshold is 2% within 1 hour, ch. 5 "Alerting on SLOs").
/// </summary>
/// <param name="Share">A share of the period's budget, above 0 (0.02 is 2%).</param>
/// <param name="Within">The length of the span it must be spent in.</param>
public sealed record SignificanceRule(double Share, TimeSpan Within)
{
    /// <summary>2% of the period's budget within 1 hour: the page threshold (burn rate 14.4 over 1 hour for 30 days).</summary>
    public static readonly IReadOnlyList<SignificanceRule> Default = [new(0.02, TimeSpan.FromHours(1))];
}

/// <summary>
/// A significant event found in an SLO's SLI data (a budget event): from the start of its first bad slice to the end of
/// its last one, the bad units it holds (events, or slices for the timeslice methods), the share of a period's budget
/// they spent, and the span of the hot windows that made it significant (what a later search merges with).
/// </summary>
/// <param name="Start">The start of the first bad slice (a slice with fewer good than valid units).</param>
/// <param name="End">The end of the last bad slice.</param>
/// <param name="Bad">Bad units of the slices ending in (Start, End], in the units of the budgeting method.</param>
/// <param name="Spent">The share of the period's budget those units spent: the burn rate over (Start, End] × its length ÷ the period (workbook ch. 5 "budget consumed").</param>
/// <param name="HotFrom">The start of the earliest hot window.</param>
/// <param name="HotTo">The end of the latest hot window.</param>
public sealed record BudgetEvent(DateTimeOffset Start, DateTimeOffset End, decimal Bad, double Spent, DateTimeOffset HotFrom, DateTimeOffset HotTo)
    : ISignificantPeriod
{
    /// <summary>A recorded budget event is over at its end; late data that extends it is recorded as an extension.</summary>
    bool ISignificantPeriod.Over => true;

    /// <summary>Whether the hot windows of the two events overlap or touch: then they are one event.</summary>
    public bool Joins(BudgetEvent other) => HotFrom <= other.HotTo && other.HotFrom <= HotTo;
}

/// <summary>A budget event found now: new (<see cref="Extends"/> empty), or one that grows (or revises) events recorded before.</summary>
public sealed record BudgetEventChange(BudgetEvent Event, IReadOnlyList<BudgetEvent> Extends);

/// <summary>
/// Finds budget events in an SLO's slices. The definition, for each rule (share s, span w):
/// <list type="number">
/// <item>A window (t − w, t] is hot when t is the end of a slice, the window holds at least the alerting minimum of valid
/// events (and one), and it spent at least s of the period's budget: the burn rate over it × w ÷ period ≥ s, i.e.
/// bad × w ≥ s × period × the bad units the target allows in the window (<see cref="ErrorBudget"/>), compared exactly
/// in decimals. The period is the SLO's window (for calendar windows, the one containing t).</item>
/// <item>Hot windows of every rule that overlap or touch merge into one event.</item>
/// <item>The event starts at the start of the first bad slice that ends inside the merged windows and ends at the end
/// of the last one; it spent the budget of the slices ending in (start, end].</item>
/// </list>
/// Only hot windows ending in (from, to] are looked for: an event's start may fall before <c>from</c>. The slices must
/// reach back to <c>from</c> − the longest span. The search is deterministic and local: an event found over a range
/// that covers all its hot windows is the same whatever else the range covers. So the evaluator can search, on data
/// arrival or on the clock, from before the first hot window of any recorded event still within reach, and give
/// what it finds to <see cref="Reconcile"/>: late data may create an event or extend one, never rewrite it silently.
/// </summary>
public static class BudgetEvents
{
    public static IReadOnlyList<BudgetEvent> Find(SloDefinition def, DateTimeOffset definedAt, IEnumerable<SliceObservation> slices,
        DateTimeOffset from, DateTimeOffset to, IReadOnlyList<SignificanceRule>? rules = null) =>
        Find(def, new SliceTallies(def, definedAt, slices), from, to, rules);

    public static IReadOnlyList<BudgetEvent> Find(SloDefinition def, SliceTallies tallies, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyList<SignificanceRule>? rules = null)
    {
        var units = tallies.Units;
        var runs = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var rule in rules ?? SignificanceRule.Default)
        {
            var window = new SlidingWindow(tallies, rule.Within);
            (DateTimeOffset From, DateTimeOffset To)? run = null;
            for (var i = tallies.Upto(from); i < units.Count && units[i].End <= to; i++)
            {
                var t = units[i].End;
                if (i + 1 < units.Count && units[i + 1].End == t) continue; // one window per instant
                if (!Hot(def, rule, t, window.At(t))) continue;
                if (run is { } r && t - rule.Within <= r.To) run = (r.From, t);
                else
                {
                    if (run is { } done) runs.Add(done);
                    run = (t - rule.Within, t);
                }
            }
            if (run is { } open) runs.Add(open);
        }

        var bad = units.Where(u => u.Good < u.Total).ToList();
        var events = new List<BudgetEvent>();
        foreach (var (hotFrom, hotTo) in Merge(runs))
        {
            var first = bad.FindIndex(u => u.End > hotFrom);
            var last = bad.FindLastIndex(u => u.End <= hotTo);
            if (first < 0 || last < first) continue; // cannot happen: a hot window spent budget
            var (start, end) = (bad[first].Start, bad[last].End);
            var tally = tallies.Between(start, end);
            events.Add(new BudgetEvent(start, end, tally.Bad, Spent(def, end - start, tally, SloPeriod.At(def.Window, end).Length), hotFrom, hotTo));
        }
        return events;
    }

    /// <summary>
    /// What the events found now change in those recorded: each found event that joins no recorded one is new; one that
    /// joins recorded events and differs from them extends them (late data, or a burn that goes on). Recorded events
    /// that are found unchanged give nothing, and recorded events are never removed.
    /// </summary>
    public static IReadOnlyList<BudgetEventChange> Reconcile(IReadOnlyList<BudgetEvent> recorded, IReadOnlyList<BudgetEvent> found) =>
        found
            .Select(e => new BudgetEventChange(e, recorded.Where(r => r.Joins(e)).ToList()))
            .Where(c => c.Extends is not [var only] || only != c.Event)
            .ToList();

    /// <summary>The share of the period's budget spent by a tally over a span: bad ÷ allowed × span ÷ period; 0 without data.</summary>
    public static double Spent(SloDefinition def, TimeSpan span, Tally tally, TimeSpan period)
    {
        var allowed = ErrorBudget.Allowed(def.Target, ErrorBudget.Units(def, span, tally));
        return tally.NoData || allowed <= 0 ? 0 : (double)(tally.Bad * span.Ticks / (allowed * period.Ticks));
    }

    private static bool Hot(SloDefinition def, SignificanceRule rule, DateTimeOffset t, Tally tally)
    {
        if (tally.Total < Math.Max(1, def.Alerting.MinEvents)) return false;
        var allowed = ErrorBudget.Allowed(def.Target, ErrorBudget.Units(def, rule.Within, tally));
        var period = SloPeriod.At(def.Window, t).Length;
        return tally.Bad > 0 && tally.Bad * rule.Within.Ticks >= ErrorBudget.Exact(rule.Share) * period.Ticks * allowed;
    }

    private static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Merge(List<(DateTimeOffset From, DateTimeOffset To)> runs)
    {
        (DateTimeOffset From, DateTimeOffset To)? current = null;
        foreach (var run in runs.OrderBy(r => r.From))
        {
            if (current is { } c && run.From <= c.To) current = (c.From, run.To > c.To ? run.To : c.To);
            else
            {
                if (current is { } done) yield return done;
                current = run;
            }
        }
        if (current is { } last) yield return last;
    }
}
