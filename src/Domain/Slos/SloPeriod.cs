namespace Sre.Domain.Slos;

/// <summary>The SLO period that contains an instant: rolling (ends at the instant) or calendar (restarts at each boundary
/// counted from the window's start time, in the SLO's time zone).</summary>
public sealed record SloPeriod(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End - Start;

    /// <summary>Where calendar periods are counted from when the window names no start time: a Monday for weeks (ISO
    /// weeks), the first of January 2020 for the rest, so that months, quarters and years are the calendar's own.</summary>
    public static DateTime DefaultStart(CalendarUnit unit) => unit == CalendarUnit.Week ? new DateTime(2020, 1, 6) : new DateTime(2020, 1, 1);

    public static SloPeriod At(SloWindow window, DateTimeOffset at)
    {
        if (window.Kind == WindowKind.Rolling) return new SloPeriod(at - window.Duration!.Value, at);

        var unit = window.Unit ?? throw new ArgumentException("A calendar window needs a unit.", nameof(window));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(window.TimeZone ?? "UTC");
        var anchor = DateTime.SpecifyKind(window.StartTime ?? DefaultStart(unit), DateTimeKind.Unspecified);
        var count = window.Count ?? 1;

        if (unit is CalendarUnit.Minute or CalendarUnit.Hour)
        {
            // Elapsed time: an hour is an hour, whatever the clocks do.
            var length = (unit == CalendarUnit.Minute ? TimeSpan.FromMinutes(1) : TimeSpan.FromHours(1)) * count;
            var origin = ToInstant(anchor, zone);
            var k = FloorDiv((at - origin).Ticks, length.Ticks);
            var first = origin + length * k;
            return new SloPeriod(first, first + length);
        }

        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        long index;
        Func<long, DateTime> boundary;
        if (unit is CalendarUnit.Day or CalendarUnit.Week)
        {
            // Wall-clock days: a day across a DST change is 23 or 25 hours.
            var days = count * (unit == CalendarUnit.Week ? 7 : 1);
            index = FloorDiv((local - anchor).Ticks, TimeSpan.FromDays(days).Ticks);
            boundary = k => anchor.AddDays(k * days);
        }
        else
        {
            var months = count * unit switch { CalendarUnit.Month => 1, CalendarUnit.Quarter => 3, _ => 12 };
            index = FloorDiv((local.Year - anchor.Year) * 12L + local.Month - anchor.Month, months);
            // Counted from the anchor each time, so a start on the 31st is the last day of a shorter month, not a drift.
            boundary = k => anchor.AddMonths((int)(k * months));
        }
        // A wall-clock boundary inside the hour repeated when clocks go back is its first instant: an instant in the
        // repeated hour may belong to the period after (or before) the one its wall-clock time says.
        var start = ToInstant(boundary(index), zone);
        while (at < start) start = ToInstant(boundary(--index), zone);
        var end = ToInstant(boundary(index + 1), zone);
        while (at >= end)
        {
            start = end;
            end = ToInstant(boundary(++index + 1), zone);
        }
        return new SloPeriod(start, end);
    }

    public static bool IsKnownTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    /// <summary>A unit's usual length in days (a month is a twelfth of a year of 365.25 days).</summary>
    public static double NominalDays(CalendarUnit unit) => unit switch
    {
        CalendarUnit.Minute => 1.0 / 1440,
        CalendarUnit.Hour => 1.0 / 24,
        CalendarUnit.Day => 1,
        CalendarUnit.Week => 7,
        CalendarUnit.Month => 365.25 / 12,
        CalendarUnit.Quarter => 365.25 / 4,
        _ => 365.25,
    };

    /// <summary>The longest period the window can have (a calendar month as 31 days, a year as 366).</summary>
    public static TimeSpan LongestLength(SloWindow window) => window.Kind == WindowKind.Rolling ? window.Duration ?? TimeSpan.Zero
        : (window.Count ?? 1) * window.Unit switch
        {
            CalendarUnit.Minute => TimeSpan.FromMinutes(1),
            CalendarUnit.Hour => TimeSpan.FromHours(1),
            CalendarUnit.Day => TimeSpan.FromHours(25),
            CalendarUnit.Week => TimeSpan.FromDays(7) + TimeSpan.FromHours(1),
            CalendarUnit.Month => TimeSpan.FromDays(31) + TimeSpan.FromHours(1),
            CalendarUnit.Quarter => TimeSpan.FromDays(92) + TimeSpan.FromHours(1),
            _ => TimeSpan.FromDays(366) + TimeSpan.FromHours(1),
        };

    private static long FloorDiv(long a, long b) => a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);

    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A start can fall in a DST gap: move to the first valid instant.
        while (zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddMinutes(30);
        // In an overlap (the hour repeated when clocks go back) the first of the two instants: the offset before the change.
        var offset = zone.IsAmbiguousTime(unspecified) ? zone.GetAmbiguousTimeOffsets(unspecified).Max() : zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset).ToUniversalTime();
    }
}
