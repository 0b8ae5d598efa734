using Sre.Domain.Slos;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos;

public class BudgetBurnDownTests
{
    [Fact]
    public void a_rolling_window_burns_down_from_the_whole_budget_to_what_the_status_says_is_left()
    {
        var slo = Availability(target: 0.99, window: SloWindow.Rolling(TimeSpan.FromDays(1)));
        var at = Defined.AddDays(3);
        // Two bad hours a day apart: the first falls before the window, the second in its middle.
        var slices = Minutes(Defined, 3 * 24 * 60, total: 100, bad: 0)
            .Select(s => s.Start >= at.AddHours(-36) && s.Start < at.AddHours(-35) || s.Start >= at.AddHours(-12) && s.Start < at.AddHours(-11)
                ? s with { Good = 95 } : s)
            .ToList();

        var points = BudgetBurnDown.Of(slo, Defined, slices, at, points: 25);

        Assert.Equal(25, points.Count);
        Assert.Equal(at.AddDays(-1), points[0].At);
        Assert.Equal(1.0, points[0].Remaining);
        Assert.Equal(1.0, points[0].Ideal);
        Assert.Equal(0.0, points[^1].Ideal);
        Assert.Equal(SloCalculator.Compute(slo, Defined, slices, at).Budget.Remaining, points[^1].Remaining, 12);
        // Allowed: 1% of 144,000 requests = 1,440; the bad hour spent 300 of it, at its end (hour 13 of 24).
        Assert.Equal(1.0, points[12].Remaining);
        Assert.Equal(1 - 300.0 / 1440, points[13].Remaining, 12);
        Assert.Equal(0.5, points[12].Ideal, 12);
    }

    [Fact]
    public void a_calendar_period_starts_at_its_first_day_and_a_budget_spent_to_the_last_event_ends_at_zero()
    {
        var slo = Availability(target: 0.9, window: SloWindow.Calendar(CalendarUnit.Week));
        var monday = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var at = monday.AddHours(10);
        // 10% bad over the ten hours: exactly the budget.
        var slices = Minutes(monday, 600, total: 10, bad: 1).ToList();

        var points = BudgetBurnDown.Of(slo, Defined, slices, at, points: 11);

        Assert.Equal(monday, points[0].At);
        Assert.Equal(1.0, points[0].Remaining);
        Assert.Equal(0.0, points[^1].Remaining);
        Assert.Equal(0.5, points[5].Remaining, 12);
        Assert.Equal(1 - 10.0 / (7 * 24), points[^1].Ideal, 12);
    }
}
