namespace Sre.Domain.Slos;

/// <summary>The slices of one SLO that end in the hour (Hour, Hour + 1h], summed.</summary>
public sealed record HourTally(DateTimeOffset Hour, long Good, long Total, DateTimeOffset FirstStart, DateTimeOffset LastRecordedAt);

/// <summary>A slice with the instant it was recorded: a status at a past instant ignores what came later.</summary>
public sealed record RecordedSlice(DateTimeOffset Start, DateTimeOffset End, long Good, long Total, DateTimeOffset RecordedAt);

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

    /// <summary>Whether the hour's sum stands for its slices in the window (from, at].</summary>
    public static bool Summable(HourTally hour, DateTimeOffset from, DateTimeOffset definedAt, DateTimeOffset at) =>
        hour.Hour >= from && hour.Hour + Length <= at && hour.FirstStart >= definedAt && hour.LastRecordedAt <= at;

    /// <summary>
    /// The spans (From, To] of slice ends that must be read one by one for the windows starting at
    /// <paramref name="starts"/> and ending at <paramref name="at"/>, given the hours summed for the SLO from the
    /// earliest start on: of an hour cut by a window's start, only what ends after that start (the window counts no
    /// more of it); of the hour cut by the instant, what ends by then; an hour that cannot stand for its slices, whole.
    /// Overlapping and adjacent spans are merged.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> SlicesToRead(
        IEnumerable<HourTally> hours, DateTimeOffset definedAt, DateTimeOffset at, IEnumerable<DateTimeOffset> starts)
    {
        bool Cut(DateTimeOffset t) => t.UtcTicks % Length.Ticks != 0;
        var spans = starts.Where(Cut).Select(t => (From: t, To: Floor(t) + Length))
            .Concat(Cut(at) ? [(Floor(at), at)] : [])
            .Concat(hours.Where(h => !Summable(h, DateTimeOffset.MinValue, definedAt, at)).Select(h => (From: h.Hour, To: h.Hour + Length)))
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

    /// <summary>
    /// Good and total events of the slices that end in (from, at], start at or after the definition and were
    /// recorded by <paramref name="at"/>: summable hours from their sums, the rest from <paramref name="slices"/>
    /// (which must hold every slice that ends in the spans <see cref="SlicesToRead"/> names).
    /// </summary>
    public static Tally Over(
        DateTimeOffset from, IReadOnlyList<HourTally> hours, IReadOnlyList<RecordedSlice> slices, DateTimeOffset definedAt, DateTimeOffset at)
    {
        long good = 0, total = 0;
        var summed = new HashSet<DateTimeOffset>();
        foreach (var hour in hours)
        {
            if (!Summable(hour, from, definedAt, at)) continue;
            summed.Add(hour.Hour);
            good += hour.Good;
            total += hour.Total;
        }
        foreach (var s in slices)
        {
            if (s.End <= from || s.End > at || s.Start < definedAt || s.RecordedAt > at || summed.Contains(HourOf(s.End))) continue;
            good += s.Good;
            total += s.Total;
        }
        return new Tally(good, total);
    }
}
