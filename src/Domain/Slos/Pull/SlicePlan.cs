namespace Sre.Domain.Slos.Pull;

/// <summary>One <c>query_range</c> call: slices ending at <see cref="FirstEnd"/>, FirstEnd + step, ... <see cref="LastEnd"/>.</summary>
/// <param name="FirstEnd">The end of the first slice (Prometheus's <c>start</c>: a rate over <c>[{{.window}}]</c>
/// evaluated there covers the slice that ends there).</param>
/// <param name="LastEnd">The end of the last slice (Prometheus's <c>end</c>).</param>
/// <param name="Step">The slice length (Prometheus's <c>step</c>).</param>
public sealed record SliceRange(DateTimeOffset FirstEnd, DateTimeOffset LastEnd, TimeSpan Step)
{
    /// <summary>The number of slices (points per series) in the range.</summary>
    public long Count => (LastEnd - FirstEnd).Ticks / Step.Ticks + 1;
}

/// <summary>
/// Which slices a pull asks Prometheus for. Slices have a fixed length and are aligned to the clock (their ends are
/// whole multiples of the length since the Unix epoch), so every process, every retry and every catch-up cuts the
/// same slices and a slice has one key (SLO, start, end). Only slices that ended at least <c>lag</c> ago are pulled, so
/// that late scrapes are in. A range never holds more than <see cref="MaxPoints"/> slices: Prometheus refuses a
/// <c>query_range</c> of more than 11,000 points per series.
/// </summary>
public static class SlicePlan
{
    /// <summary>Prometheus's limit of points per series in one <c>query_range</c> answer.</summary>
    public const int MaxPoints = 11_000;

    /// <summary>The latest clock-aligned instant at or before <paramref name="instant"/>.</summary>
    public static DateTimeOffset AlignDown(DateTimeOffset instant, TimeSpan length)
    {
        var ticks = (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / length.Ticks * length.Ticks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks);
    }

    /// <summary>The earliest clock-aligned instant at or after <paramref name="instant"/>.</summary>
    public static DateTimeOffset AlignUp(DateTimeOffset instant, TimeSpan length)
    {
        var down = AlignDown(instant, length);
        return down == instant ? down : down + length;
    }

    /// <summary>
    /// The ranges to pull: every whole slice that starts at or after <paramref name="from"/> (the end of the last slice
    /// stored, or the start of the history to fill) and ends at or before <paramref name="now"/> minus
    /// <paramref name="lag"/>, in order, split at <paramref name="maxPoints"/> slices. Empty when no slice is due.
    /// </summary>
    public static IReadOnlyList<SliceRange> Ranges(
        DateTimeOffset from, DateTimeOffset now, TimeSpan length, TimeSpan lag, int maxPoints = MaxPoints)
    {
        if (length <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(length), "must be positive.");
        if (maxPoints < 1) throw new ArgumentOutOfRangeException(nameof(maxPoints), "must be at least 1.");
        var firstEnd = AlignUp(from, length) + length;
        var lastEnd = AlignDown(now - lag, length);
        var ranges = new List<SliceRange>();
        for (var start = firstEnd; start <= lastEnd; start += length * maxPoints)
        {
            var end = start + length * (maxPoints - 1);
            ranges.Add(new SliceRange(start, end < lastEnd ? end : lastEnd, length));
        }
        return ranges;
    }

    /// <summary>
    /// The end of the retention gap at the start of a pull: the slices from the range's first start that begin before
    /// <paramref name="oldest"/> (the oldest instant the source holds) cannot be had whole, so the gap runs to the first
    /// slice boundary at or after it, and no further than the last slice due. Null when the first slice is held.
    /// </summary>
    public static DateTimeOffset? GapBefore(SliceRange range, DateTimeOffset oldest, DateTimeOffset now, TimeSpan lag)
    {
        var firstStart = range.FirstEnd - range.Step;
        if (firstStart >= oldest) return null;
        var gapTo = AlignUp(oldest, range.Step);
        var lastDue = AlignDown(now - lag, range.Step);
        return gapTo < lastDue ? gapTo : lastDue;
    }
}
