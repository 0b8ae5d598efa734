namespace Sre.Domain.Slos.Alerting;

/// <summary>
/// The tally of an SLO's slices over any span (from, to], from prefix sums: a span of any length costs a few
/// subtractions, so a backtest that asks for every window at every step costs time linear in the history.
/// It is the tally <see cref="SloCalculator.Tallies"/> gives the live evaluator: the units of
/// <see cref="SliceUnits.Of"/> of the slices that start at or after the definition, ordered by end, a unit counting in
/// a span when it ends inside it. For the timeslice methods the slices of <c>sliceLength</c> are judged
/// (<see cref="SliceUnits.Counted"/>) on the observations inside the span, so a slice cut by the span's edge is judged
/// on its part inside, as the live evaluator judges it. Sums of whole numbers (events, slices) are exact; a
/// RatioTimeslices sum of ratios may differ from the live one in its 28th significant digit.
/// </summary>
public sealed class SliceTallies
{
    private readonly SloDefinition def;
    private readonly long[] ends;
    private readonly decimal[] good;
    private readonly decimal[] total;

    // Timeslice methods: the epoch-aligned slice (its ordinal) of each unit, each slice's first and last unit, and the
    // prefix sums of the judged slices.
    private readonly int[] slot = [];
    private readonly int[] slotFirst = [];
    private readonly int[] slotLast = [];
    private readonly decimal[] slotGood = [0];
    private readonly decimal[] slotCount = [0];

    public SliceTallies(SloDefinition def, DateTimeOffset definedAt, IEnumerable<SliceObservation> slices)
    {
        this.def = def;
        Units = SliceUnits.Of(def, slices.Where(s => s.Start >= definedAt).OrderBy(s => s.End).ToList());
        var n = Units.Count;
        ends = new long[n];
        good = new decimal[n + 1];
        total = new decimal[n + 1];
        for (var i = 0; i < n; i++)
        {
            ends[i] = Units[i].End.UtcTicks;
            good[i + 1] = good[i] + Units[i].Good;
            total[i + 1] = total[i] + Units[i].Total;
        }
        if (def.Budgeting.Method == BudgetingMethod.Occurrences) return;

        var length = def.Budgeting.SliceLength!.Value.Ticks;
        slot = new int[n];
        var first = new List<int>();
        var last = new List<int>();
        for (var i = 0; i < n; i++)
        {
            var index = (ends[i] - DateTimeOffset.UnixEpoch.UtcTicks - 1) / length; // as SliceUnits.Counted groups
            if (i == 0 || index != (ends[i - 1] - DateTimeOffset.UnixEpoch.UtcTicks - 1) / length)
            {
                first.Add(i);
                last.Add(i);
            }
            slot[i] = first.Count - 1;
            last[^1] = i;
        }
        slotFirst = [.. first];
        slotLast = [.. last];
        slotGood = new decimal[first.Count + 1];
        slotCount = new decimal[first.Count + 1];
        for (var k = 0; k < first.Count; k++)
        {
            var judged = Judge(first[k], last[k] + 1);
            slotGood[k + 1] = slotGood[k] + judged.Good;
            slotCount[k + 1] = slotCount[k] + judged.Total;
        }
    }

    /// <summary>The units, ordered by end (for rate SLIs, each slice judged against the rate rule).</summary>
    public IReadOnlyList<SliceUnit> Units { get; }

    /// <summary>How many units end at or before <paramref name="t"/> (binary search).</summary>
    public int Upto(DateTimeOffset t)
    {
        var i = Array.BinarySearch(ends, t.UtcTicks);
        if (i < 0) return ~i;
        while (i + 1 < ends.Length && ends[i + 1] == t.UtcTicks) i++;
        return i + 1;
    }

    /// <summary>How many units end at or before <paramref name="t"/>, moving forward from <paramref name="hint"/> (a previous
    /// answer for an earlier instant): amortised constant when the instants only grow.</summary>
    public int Upto(DateTimeOffset t, int hint)
    {
        var ticks = t.UtcTicks;
        if (hint < 0 || hint > ends.Length || (hint > 0 && ends[hint - 1] > ticks)) return Upto(t);
        while (hint < ends.Length && ends[hint] <= ticks) hint++;
        return hint;
    }

    /// <summary>The tally of the units ending in (from, to].</summary>
    public Tally Between(DateTimeOffset from, DateTimeOffset to) => Between(Upto(from), Upto(to));

    /// <summary>The tally of units [lo, hi) in end order.</summary>
    public Tally Between(int lo, int hi)
    {
        if (hi <= lo) return Tally.Empty;
        if (def.Budgeting.Method == BudgetingMethod.Occurrences) return new Tally(good[hi] - good[lo], total[hi] - total[lo]);
        var (a, b) = (slot[lo], slot[hi - 1]);
        if (a == b) return Judge(lo, hi);
        var head = Judge(lo, slotLast[a] + 1);
        var tail = Judge(slotFirst[b], hi);
        return new Tally(
            head.Good + tail.Good + slotGood[b] - slotGood[a + 1],
            head.Total + tail.Total + slotCount[b] - slotCount[a + 1]);
    }

    // One slice of sliceLength from its units [lo, hi): no data, or 1 unit judged as SliceUnits.Counted judges it.
    private Tally Judge(int lo, int hi)
    {
        var (g, t) = (good[hi] - good[lo], total[hi] - total[lo]);
        if (t <= 0) return Tally.Empty;
        return def.Budgeting.Method == BudgetingMethod.Timeslices
            ? new Tally(g >= ErrorBudget.Exact(def.Budgeting.SliceTarget!.Value) * t ? 1 : 0, 1)
            : new Tally(g / t, 1);
    }
}

/// <summary>A window of a fixed length sliding forward over <see cref="SliceTallies"/>: its tally at growing instants
/// costs amortised constant time (each edge only moves forward).</summary>
public sealed class SlidingWindow(SliceTallies tallies, TimeSpan length)
{
    private int lo;
    private int hi;
    private DateTimeOffset? last;
    private Tally lastTally = Tally.Empty;

    public TimeSpan Length => length;

    /// <summary>The tally of the units ending in (at − length, at].</summary>
    public Tally At(DateTimeOffset at)
    {
        if (last == at) return lastTally;
        lo = tallies.Upto(at - length, lo);
        hi = tallies.Upto(at, hi);
        last = at;
        return lastTally = tallies.Between(lo, hi);
    }
}
