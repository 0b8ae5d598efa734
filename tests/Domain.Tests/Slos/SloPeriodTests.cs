using Sre.Domain.Slos;

namespace Sre.Domain.Tests.Slos;

/// <summary>Calendar periods counted from a start time in a time zone (OpenSLO <c>calendar.startTime</c> and <c>timeZone</c>).</summary>
public class SloPeriodTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();

    [Fact]
    public void a_calendar_day_in_new_york_across_the_spring_change_is_23_hours()
    {
        // Clocks in New York go from 02:00 EST to 03:00 EDT on 2026-03-08. Days counted from 2026-03-01 00:00 local.
        var window = SloWindow.Calendar(1, CalendarUnit.Day, new DateTime(2026, 3, 1, 0, 0, 0), "America/New_York");

        var period = SloPeriod.At(window, Utc("2026-03-08T12:00:00Z"));

        // Midnight EST is 05:00Z; the next midnight, in EDT, is 04:00Z.
        Assert.Equal((Utc("2026-03-08T05:00:00Z"), Utc("2026-03-09T04:00:00Z")), (period.Start, period.End));
        Assert.Equal(TimeSpan.FromHours(23), period.Length);
    }

    [Fact]
    public void a_week_from_a_start_time_in_new_york_across_the_autumn_change_is_7_days_and_an_hour()
    {
        // Weeks from Wednesday 2026-10-28 09:30 local; clocks go back from 02:00 EDT to 01:00 EST on 2026-11-01.
        var window = SloWindow.Calendar(1, CalendarUnit.Week, new DateTime(2026, 10, 28, 9, 30, 0), "America/New_York");

        var period = SloPeriod.At(window, Utc("2026-11-02T00:00:00Z"));

        Assert.Equal((Utc("2026-10-28T13:30:00Z"), Utc("2026-11-04T14:30:00Z")), (period.Start, period.End));
        Assert.Equal(TimeSpan.FromDays(7) + TimeSpan.FromHours(1), period.Length);
        // The instant before the start belongs to the week before.
        Assert.Equal(Utc("2026-10-21T13:30:00Z"), SloPeriod.At(window, period.Start.AddTicks(-1)).Start);
    }

    [Theory]
    [InlineData("2026-05-31T23:59:59Z", "2026-03-15T00:00:00Z", "2026-06-15T00:00:00Z")]
    [InlineData("2026-06-15T00:00:00Z", "2026-06-15T00:00:00Z", "2026-09-15T00:00:00Z")]
    [InlineData("2025-12-01T00:00:00Z", "2025-09-15T00:00:00Z", "2025-12-15T00:00:00Z")]
    public void quarters_counted_from_the_fifteenth_start_on_the_fifteenth(string at, string start, string end)
    {
        var window = SloWindow.Calendar(1, CalendarUnit.Quarter, new DateTime(2020, 3, 15), "UTC");

        var period = SloPeriod.At(window, Utc(at));

        Assert.Equal((Utc(start), Utc(end)), (period.Start, period.End));
    }

    [Fact]
    public void a_calendar_window_of_one_minute_is_one_minute_long()
    {
        var window = SloWindow.Calendar(1, CalendarUnit.Minute, new DateTime(2026, 1, 1, 0, 0, 30), "Europe/Berlin");

        var period = SloPeriod.At(window, Utc("2026-06-01T10:00:10Z"));

        Assert.Equal((Utc("2026-06-01T09:59:30Z"), Utc("2026-06-01T10:00:30Z")), (period.Start, period.End));
    }

    [Fact]
    public void months_from_the_31st_end_on_the_last_day_of_shorter_months_without_drifting()
    {
        var window = SloWindow.Calendar(1, CalendarUnit.Month, new DateTime(2026, 1, 31), "UTC");

        Assert.Equal((Utc("2026-02-28T00:00:00Z"), Utc("2026-03-31T00:00:00Z")), (SloPeriod.At(window, Utc("2026-03-01T00:00:00Z")) is var p ? (p.Start, p.End) : default));
        Assert.Equal((Utc("2026-03-31T00:00:00Z"), Utc("2026-04-30T00:00:00Z")), (SloPeriod.At(window, Utc("2026-04-01T00:00:00Z")) is var q ? (q.Start, q.End) : default));
    }

    [Theory]
    [InlineData(CalendarUnit.Week, "2026-12-02T12:00:00Z", "2026-11-30T00:00:00Z")]
    [InlineData(CalendarUnit.Month, "2026-12-02T12:00:00Z", "2026-12-01T00:00:00Z")]
    [InlineData(CalendarUnit.Quarter, "2026-12-02T12:00:00Z", "2026-10-01T00:00:00Z")]
    [InlineData(CalendarUnit.Year, "2026-12-02T12:00:00Z", "2026-01-01T00:00:00Z")]
    public void without_a_start_time_weeks_start_on_monday_and_the_rest_on_the_calendar(CalendarUnit unit, string at, string start)
    {
        Assert.Equal(Utc(start), SloPeriod.At(SloWindow.Calendar(unit), Utc(at)).Start);
    }

    [Fact]
    public void a_default_start_time_and_a_count_of_one_are_the_same_window_as_none()
    {
        var written = SloWindow.Calendar(1, CalendarUnit.Month, new DateTime(2020, 1, 1), "UTC").Canonical();

        Assert.Equal(SloWindow.Calendar(CalendarUnit.Month), written);
    }

    [Fact]
    public void an_instant_in_the_repeated_hour_is_in_the_period_that_holds_it()
    {
        // Days from 01:30 in New York. On 2025-11-02 01:30 happens twice (EDT, then EST): the day starts at the first,
        // 05:30Z. At 06:10Z the wall clock says 01:10 (the second time round), before 01:30, yet the day has begun.
        var window = SloWindow.Calendar(1, CalendarUnit.Day, new DateTime(2025, 1, 1, 1, 30, 0), "America/New_York");

        var period = SloPeriod.At(window, Utc("2025-11-02T06:10:00Z"));

        Assert.Equal((Utc("2025-11-02T05:30:00Z"), Utc("2025-11-03T06:30:00Z")), (period.Start, period.End));
    }

    [Fact]
    public void every_instant_of_a_year_is_in_the_period_at_it_and_periods_follow_each_other()
    {
        var window = SloWindow.Calendar(1, CalendarUnit.Day, new DateTime(2025, 1, 1, 1, 30, 0), "America/New_York");
        for (var at = Utc("2025-01-01T00:00:00Z"); at < Utc("2026-01-01T00:00:00Z"); at = at.AddMinutes(10))
        {
            var period = SloPeriod.At(window, at);
            Assert.True(period.Start <= at && at < period.End, $"{at:O} not in {period}");
            Assert.Equal(period.End, SloPeriod.At(window, period.End).Start);
        }
    }
}
