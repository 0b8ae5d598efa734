using Sre.Domain.Slos;

namespace Sre.Domain.Tests.Slos;

public class BurnRateMathTests
{
    private static readonly TimeSpan Days30 = TimeSpan.FromDays(30);

    [Fact]
    public void burn_rate_one_spends_the_budget_in_exactly_one_period() =>
        Assert.Equal(Days30, BurnRateMath.TimeToExhaustion(1, Days30));

    [Fact]
    public void burning_14_4x_for_an_hour_spends_2_percent_of_30_days() =>
        Assert.Equal(0.02, BurnRateMath.BudgetConsumed(14.4, TimeSpan.FromHours(1), Days30), 10);

    [Fact]
    public void one_percent_errors_against_99_9_is_burn_rate_10() =>
        Assert.Equal(10, BurnRateMath.BurnRate(0.01, 0.999), 9);

    [Fact]
    public void default_conditions_for_30_days_are_the_workbook_table()
    {
        var table = BurnRateMath.DefaultConditions(Days30);
        Assert.Equal([14.4, 6, 3, 1], table.Select(c => c.Factor));
        Assert.Equal(["page", "page", "ticket", "ticket"], table.Select(c => c.Severity));
        Assert.Equal([TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)],
            table.Select(c => c.ShortWindow));
    }

    [Fact]
    public void default_conditions_scale_to_28_days() =>
        Assert.Equal([13.44, 5.6, 2.8, 0.933333], BurnRateMath.DefaultConditions(TimeSpan.FromDays(28)).Select(c => c.Factor));
}

public class BudgetRecoveryTests
{
    private static readonly DateTimeOffset T = SloGiven.Defined;

    [Fact]
    public void budget_comes_back_when_the_bad_minutes_leave_the_rolling_window()
    {
        // An hour of clean traffic after a bad minute: once that minute slides out, the budget is back.
        var slices = SloGiven.Minutes(T, 1, 1000, 500).Concat(SloGiven.Minutes(T.AddMinutes(1), 59, 1000, 0));
        var back = BudgetRecovery.When(SloGiven.Availability(), T, slices, T.AddHours(1), 0);
        Assert.Equal(T.AddMinutes(1).AddDays(30), back);
    }

    [Fact]
    public void calendar_budget_comes_back_with_the_next_period()
    {
        var window = SloWindow.Calendar(CalendarUnit.Month);
        var back = BudgetRecovery.When(SloGiven.Availability(window: window), T, SloGiven.Minutes(T, 10, 100, 50), T.AddHours(1), 0);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), back);
    }

    [Fact]
    public void budget_left_means_nothing_to_wait_for() =>
        Assert.Null(BudgetRecovery.When(SloGiven.Availability(), T, SloGiven.Minutes(T, 10, 100, 0), T.AddHours(1), 0));
}
