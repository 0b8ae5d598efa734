namespace Sre.Domain.Slos;

/// <summary>The SLO period that contains an instant: rolling (ends at the instant) or calendar (restarts at the boundary in the SLO's time zone).</summary>
public sealed record SloPeriod(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End - Start;

    public static SloPeriod At(SloWindow window, DateTimeOffset at)
    {
        if (window.Kind == WindowKind.Rolling) return new SloPeriod(at - window.Duration!.Value, at);

        var zone = TimeZoneInfo.FindSystemTimeZoneById(window.TimeZone ?? "UTC");
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var startLocal = window.Unit switch
        {
            CalendarUnit.Week => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)), // ISO weeks start on Monday
            CalendarUnit.Month => new DateTime(local.Year, local.Month, 1),
            CalendarUnit.Quarter => new DateTime(local.Year, (local.Month - 1) / 3 * 3 + 1, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(window), window.Unit, "Unknown calendar unit."),
        };
        var endLocal = window.Unit switch
        {
            CalendarUnit.Week => startLocal.AddDays(7),
            CalendarUnit.Month => startLocal.AddMonths(1),
            _ => startLocal.AddMonths(3),
        };
        return new SloPeriod(ToInstant(startLocal, zone), ToInstant(endLocal, zone));
    }

    public static bool IsKnownTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // Midnight can fall in a DST gap in a few zones: move to the first valid instant.
        while (zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddMinutes(30);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }
}
