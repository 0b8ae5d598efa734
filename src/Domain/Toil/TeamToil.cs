namespace Sre.Domain.Toil;

public enum ToilBucket
{
    Week,
    Month,
}

/// <summary>Toil of a team in one week or month, against the team's time as it was then.</summary>
public sealed record ToilBucketRow(
    DateTimeOffset Start, DateTimeOffset End, int Minutes, double? CapacityMinutes, double? Share, bool? OverCap,
    IReadOnlyDictionary<ToilCategory, int> ByCategory);

/// <summary>The toil arithmetic: buckets, shares of the team's working time, and the 50% cap.</summary>
public static class TeamToil
{
    /// <summary>The SRE book's cap: toil above half of each engineer's time is too much.</summary>
    public const double Cap = 0.5;

    /// <summary>The start of the UTC week (Monday) or month holding the instant.</summary>
    public static DateTimeOffset BucketStart(DateTimeOffset instant, ToilBucket bucket)
    {
        var day = new DateTimeOffset(instant.UtcDateTime.Date, TimeSpan.Zero);
        return bucket == ToilBucket.Month
            ? new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero)
            : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    public static DateTimeOffset Next(DateTimeOffset start, ToilBucket bucket) =>
        bucket == ToilBucket.Month ? start.AddMonths(1) : start.AddDays(7);

    /// <summary>Working minutes of the team between two instants, day by day with the capacity in force that day; null with no capacity known.</summary>
    public static double? CapacityMinutes(IReadOnlyList<TeamCapacity> capacity, DateTimeOffset from, DateTimeOffset to)
    {
        double total = 0;
        var known = false;
        for (var day = from; day < to; day = day.AddDays(1))
        {
            if (capacity.LastOrDefault(c => c.EffectiveFrom <= day) is not { } c) continue;
            known = true;
            var dayLength = (Min(day.AddDays(1), to) - day).TotalDays;
            total += c.Engineers * c.HoursPerWeek * 60 / 7 * dayLength;
        }
        return known ? Math.Round(total, 3) : null;
    }

    public static IReadOnlyList<ToilBucketRow> Report(
        IReadOnlyList<ToilEntry> entries, IReadOnlyList<TeamCapacity> capacity, DateTimeOffset from, DateTimeOffset to, ToilBucket bucket)
    {
        var rows = new List<ToilBucketRow>();
        for (var start = BucketStart(from, bucket); start < to; start = Next(start, bucket))
        {
            var end = Next(start, bucket);
            var inBucket = entries.Where(e => e.PerformedAt >= start && e.PerformedAt < end).ToList();
            var minutes = inBucket.Sum(e => e.Minutes);
            var available = CapacityMinutes(capacity, start, end);
            double? share = available > 0 ? minutes / available.Value : null;
            rows.Add(new ToilBucketRow(start, end, minutes, available, share, share is null ? null : share > Cap,
                inBucket.GroupBy(e => e.Category).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Minutes))));
        }
        return rows;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
