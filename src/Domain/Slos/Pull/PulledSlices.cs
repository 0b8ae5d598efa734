namespace Sre.Domain.Slos.Pull;

/// <summary>Which events the SLI's numerator query counts (OpenSLO <c>ratioMetric.good</c> or <c>ratioMetric.bad</c>).</summary>
public enum CountedEvents
{
    Good,
    Bad,
}

/// <summary>
/// Prometheus's answers for one range, turned into slices of events. The meaning of the numbers:
/// <list type="bullet">
/// <item>Each query gives a per-second rate over the slice (<c>rate(...[{{.window}}])</c>, window = slice length, evaluated
/// at the slice's end). The events of a slice are that rate times the slice's seconds, rounded to the nearest whole
/// event (halves away from zero); <c>increase()</c> is the same number, as Prometheus defines it
/// (<c>increase(v[w]) = rate(v[w]) * w</c>), so a query written with <c>increase</c> must not be used: its value would be
/// counted once per second of the slice. Counter resets are Prometheus's business: <c>rate</c> and <c>increase</c>
/// detect them and extrapolate to the range's edges, which is also why a slice's counts are not whole numbers
/// before rounding.</item>
/// <item>A slice whose total is absent from the answer (no series), not a finite number, or rounds to 0 events has no
/// data: no slice is stored, so it counts neither for nor against the budget (the status counts slices without data).
/// A rate SLI is the exception: its total is the SLI, so a 0 that Prometheus answers is a slice of 0 requests.</item>
/// <item>A slice with a total but no good (or bad) value had none of those events: no series matched, which Prometheus
/// answers with nothing, not with 0 (Istio creates the 5xx series at the first 5xx).</item>
/// <item>Good is clamped to [0, total]; with a <c>bad</c> query, good = total - bad, bad clamped to [0, total] first.</item>
/// <item>A threshold SLI's query gives a value per slice (evaluated at the slice's end); the slice is one event, good when
/// the value meets the comparison (<see cref="SliSpec.Meets"/>), bad when not. A slice whose value is absent or not a
/// number (<c>histogram_quantile</c> over no requests answers NaN) has no data.</item>
/// </list>
/// </summary>
public static class PulledSlices
{
    /// <summary>The events of a slice for a per-second rate, or null when the value is not a finite number at or above 0.</summary>
    public static long? Events(double perSecond, TimeSpan length)
    {
        if (!double.IsFinite(perSecond) || perSecond < 0) return null;
        // Far beyond any real traffic (and beyond what a decimal holds): the most one slice may count.
        if (perSecond * length.TotalSeconds >= ObservationRules.MaxEvents) return ObservationRules.MaxEvents;
        var events = Math.Round((decimal)perSecond * (decimal)length.TotalSeconds, MidpointRounding.AwayFromZero);
        return events > ObservationRules.MaxEvents ? ObservationRules.MaxEvents : (long)events;
    }

    /// <summary>The slices of a ratio SLI (good or bad over total), in order; slices without data are left out.</summary>
    /// <param name="range">The range asked for.</param>
    /// <param name="total">The total query's values by slice end.</param>
    /// <param name="counted">The numerator query's values by slice end.</param>
    /// <param name="counts">Whether the numerator counts good or bad events.</param>
    public static IReadOnlyList<ObservedSlice> Ratio(SliceRange range, IReadOnlyDictionary<DateTimeOffset, double> total,
        IReadOnlyDictionary<DateTimeOffset, double> counted, CountedEvents counts)
    {
        var slices = new List<ObservedSlice>();
        for (var end = range.FirstEnd; end <= range.LastEnd; end += range.Step)
        {
            if (!total.TryGetValue(end, out var rate) || Events(rate, range.Step) is not (> 0 and var all)) continue;
            var part = counted.TryGetValue(end, out var value) ? Events(value, range.Step) ?? 0 : 0;
            part = Math.Clamp(part, 0, all);
            slices.Add(new ObservedSlice(end - range.Step, end, all, counts == CountedEvents.Good ? part : all - part));
        }
        return slices;
    }

    /// <summary>
    /// The slices of a rate SLI (total only), in order. Here the traffic is the SLI, so a total of 0 that Prometheus
    /// answers is a slice of 0 requests (bad when under the minimum); only a slice absent from the answer has no data.
    /// </summary>
    public static IReadOnlyList<ObservedSlice> Total(SliceRange range, IReadOnlyDictionary<DateTimeOffset, double> total)
    {
        var slices = new List<ObservedSlice>();
        for (var end = range.FirstEnd; end <= range.LastEnd; end += range.Step)
            if (total.TryGetValue(end, out var rate) && Events(rate, range.Step) is { } all)
                slices.Add(new ObservedSlice(end - range.Step, end, all));
        return slices;
    }

    /// <summary>The slices of a threshold SLI, in order: one event each, good when its value meets the comparison.</summary>
    public static IReadOnlyList<ObservedSlice> Threshold(SliceRange range, IReadOnlyDictionary<DateTimeOffset, double> values, ThresholdOp op,
        double threshold)
    {
        var slices = new List<ObservedSlice>();
        for (var end = range.FirstEnd; end <= range.LastEnd; end += range.Step)
            if (values.TryGetValue(end, out var value) && !double.IsNaN(value))
                slices.Add(new ObservedSlice(end - range.Step, end, 1, SliSpec.Meets(value, op, threshold) ? 1 : 0));
        return slices;
    }

    /// <summary>The slices of a raw-ratio SLI, in order: each slice's ratio as <see cref="SliSpec.RawScale"/> events (<see cref="SliSpec.Events"/>).</summary>
    public static IReadOnlyList<ObservedSlice> Raw(SliceRange range, IReadOnlyDictionary<DateTimeOffset, double> ratios, SliSpec sli)
    {
        var slices = new List<ObservedSlice>();
        for (var end = range.FirstEnd; end <= range.LastEnd; end += range.Step)
            if (ratios.TryGetValue(end, out var ratio) && !double.IsNaN(ratio) && sli.Events(ratio) is var (good, total))
                slices.Add(new ObservedSlice(end - range.Step, end, total, good));
        return slices;
    }

    /// <summary>
    /// The pulled slices that overlap no stored slice, in order. A stored slice keeps its numbers whatever its boundaries
    /// (pushed while the SLO was not pulled, or pulled before in slices of another length), so that no span counts twice.
    /// </summary>
    /// <param name="pulled">The slices of one range, in order.</param>
    /// <param name="stored">The SLO's stored slices that may overlap the range (any order).</param>
    public static IReadOnlyList<ObservedSlice> WithoutStored(IReadOnlyList<ObservedSlice> pulled, IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> stored)
    {
        var spans = stored.OrderBy(s => s.Start).ToList();
        var fresh = new List<ObservedSlice>();
        var first = 0;
        foreach (var slice in pulled)
        {
            // Stored spans that end by this slice's start end by every later slice's too (pulled slices are in order).
            while (first < spans.Count && spans[first].End <= slice.Start) first++;
            var overlaps = false;
            for (var i = first; i < spans.Count && spans[i].Start < slice.End; i++)
                if (spans[i].End > slice.Start) { overlaps = true; break; }
            if (!overlaps) fresh.Add(slice);
        }
        return fresh;
    }
}
