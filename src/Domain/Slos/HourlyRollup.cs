namespace Sre.Domain.Slos;

/// <summary>The slices of one SLO that end in the hour (Hour, Hour + 1h], summed.</summary>
public sealed record HourTally(DateTimeOffset Hour, long Good, long Total, DateTimeOffset FirstStart, DateTimeOffset LastRecordedAt);

/// <summary>A slice with the instant it was recorded: a status at a past instant ignores what came later.</summary>
public sealed record RecordedSlice(DateTimeOffset Start, DateTimeOffset End, long Good, long Total, DateTimeOffset RecordedAt)
{
    public SliceObservation ToObservation() => new(Start, End, Good, Total);
}

/// <summary>
/// Occurrences sums over hours instead of minutes, so that a status costs the same with 30 days of history as
/// with one. An hour's sum stands for its slices in a window only when the hour lies wholly inside the window, none
/// of its slices starts before the definition and none was recorded after the instant asked for; every other hour
/// a window touches (the ones cut by a window's start or by the instant, late data, the definition's hour) is
/// read slice by slice. The result is the sum <see cref="SloCalculator.Compute"/> makes from every slice.
/// </summary>
public static class HourlyRollup
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(1);

    /// <summary>The hour a slice ending at <paramref name="end"/> is summed in: the h with end in (h, h + 1h].</summary>
    public static DateTimeOffset HourOf(DateTimeOffset end) => Floor(end.AddTicks(-1));

    public static DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % Length.Ticks, TimeSpan.Zero);

    /// <summary>Fold slices into the hours they end in (what the projection keeps, one hour per document).</summary>
    public static HourTally Add(HourTally? hour, SliceObservation slice, DateTimeOffset recordedAt) => hour is null
        ? new HourTally(HourOf(slice.End), slice.Good, slice.Total, slice.Start, recordedAt)
        : hour with
        {
            Good = hour.Good + slice.Good,
            Total = hour.Total + slice.Total,
            FirstStart = slice.Start < hour.FirstStart ? slice.Start : hour.FirstStart,
            LastRecordedAt = recordedAt > hour.LastRecordedAt ? recordedAt : hour.LastRecordedAt,
        };

    /// <summary>The slices of one observation summed into the hours they end in.</summary>
    public static IEnumerable<HourTally> Hours(IEnumerable<SliceObservation> slices, DateTimeOffset recordedAt) =>
        slices.GroupBy(s => HourOf(s.End)).Select(g => g.Aggregate((HourTally?)null, (hour, s) => Add(hour, s, recordedAt))!);

    /// <summary>Two sums of the same hour as one (what the stored hour becomes when more of its slices arrive).</summary>
    public static HourTally Merge(HourTally a, HourTally b) => a with
    {
        Good = a.Good + b.Good,
        Total = a.Total + b.Total,
        FirstStart = b.FirstStart < a.FirstStart ? b.FirstStart : a.FirstStart,
        LastRecordedAt = b.LastRecordedAt > a.LastRecordedAt ? b.LastRecordedAt : a.LastRecordedAt,
    };

    /// <summary>Whether an hour's sum may stand for its slices at <paramref name="at"/>: none of them starts before the definition or came later.</summary>
    public static bool Clean(HourTally hour, DateTimeOffset definedAt, DateTimeOffset at) =>
        hour.FirstStart >= definedAt && hour.LastRecordedAt <= at;

    /// <summary>Whether the hour lies wholly inside the window (from, at].</summary>
    public static bool Inside(DateTimeOffset hour, DateTimeOffset from, DateTimeOffset at) => hour >= from && hour + Length <= at;

    /// <summary>
    /// The sums of the clean hours inside each window, from the sums of the clean whole hours grouped by how many of
    /// the (ascending) <paramref name="starts"/> are at or before the hour (PostgreSQL's width_bucket): the window
    /// from the i-th start holds the buckets from i + 1 on.
    /// </summary>
    public static IReadOnlyDictionary<DateTimeOffset, Tally> SumsFrom(IReadOnlyList<DateTimeOffset> starts, IReadOnlyDictionary<int, Tally> buckets)
    {
        var sums = new Dictionary<DateTimeOffset, Tally>();
        decimal good = 0, total = 0;
        for (var i = starts.Count - 1; i >= 0; i--)
        {
            if (buckets.TryGetValue(i + 1, out var bucket)) (good, total) = (good + bucket.Good, total + bucket.Total);
            sums[starts[i]] = new Tally(good, total);
        }
        return sums;
    }

    /// <summary>
    /// The spans (From, To] of slice ends that must be read one by one for the windows starting at
    /// <paramref name="starts"/> and ending at <paramref name="at"/>: of an hour cut by a window's start, only what
    /// ends after that start (the window counts no more of it); of the hour cut by the instant, what ends by then;
    /// the hours that are not clean, whole. Overlapping and adjacent spans are merged.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> SlicesToRead(
        IEnumerable<DateTimeOffset> uncleanHours, DateTimeOffset at, IEnumerable<DateTimeOffset> starts)
    {
        bool Cut(DateTimeOffset t) => t.UtcTicks % Length.Ticks != 0;
        var spans = starts.Where(Cut).Select(t => (From: t, To: Floor(t) + Length))
            .Concat(Cut(at) ? [(Floor(at), at)] : [])
            .Concat(uncleanHours.Select(h => (From: h, To: h + Length)))
            .OrderBy(r => r.From)
            .ToList();
        var merged = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var span in spans)
        {
            if (merged.Count > 0 && span.From <= merged[^1].To)
                merged[^1] = (merged[^1].From, span.To > merged[^1].To ? span.To : merged[^1].To);
            else merged.Add(span);
        }
        return merged;
    }

    /// <summary>Whether a slice counts in the window (from, at]: it ends in it, starts at or after the definition and was recorded by then.</summary>
    public static bool Counts(RecordedSlice slice, DateTimeOffset from, DateTimeOffset definedAt, DateTimeOffset at) =>
        slice.End > from && slice.End <= at && slice.Start >= definedAt && slice.RecordedAt <= at;

    /// <summary>
    /// Good and total events of the slices that end in (from, at], start at or after the definition and were
    /// recorded by <paramref name="at"/>: <paramref name="cleanHours"/> (the sums of the clean hours inside the
    /// window, <see cref="SumsFrom"/>) and the slices of every other hour, from <paramref name="slices"/> (which must
    /// hold every slice that ends in the spans <see cref="SlicesToRead"/> names).
    /// </summary>
    public static Tally Over(
        DateTimeOffset from, Tally cleanHours, IReadOnlySet<DateTimeOffset> uncleanHours, IReadOnlyList<RecordedSlice> slices,
        DateTimeOffset definedAt, DateTimeOffset at)
    {
        decimal good = cleanHours.Good, total = cleanHours.Total;
        foreach (var s in slices)
        {
            if (!Counts(s, from, definedAt, at)) continue;
            var hour = HourOf(s.End);
            if (Inside(hour, from, at) && !uncleanHours.Contains(hour)) continue; // in the hour's sum
            good += s.Good;
            total += s.Total;
        }
        return new Tally(good, total);
    }
}
