using Sre.Domain.Slos;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos;

public class SloCalculatorTests
{
    [Fact]
    public void new_slo_starts_at_100_percent_with_no_data()
    {
        var status = SloCalculator.Compute(Availability(), Defined, [], Defined.AddHours(1));
        Assert.True(status.NoData);
        Assert.Equal(1.0, status.Budget.Remaining);
        Assert.All(status.BurnRates, b => Assert.Null(b.BurnRate));
        Assert.Null(status.TimeToExhaustionSeconds);
        Assert.False(status.Page || status.Ticket);
    }

    [Fact]
    public void zero_traffic_is_no_data_never_nan()
    {
        var status = SloCalculator.Compute(Availability(), Defined, Minutes(Defined, 60, total: 0, bad: 0), Defined.AddHours(1));
        Assert.True(status.NoData);
        Assert.Null(status.Sli.Ratio);
        Assert.DoesNotContain(status.BurnRates, b => b.BurnRate is { } r && (double.IsNaN(r) || double.IsInfinity(r)));
    }

    [Fact]
    public void data_from_before_the_definition_never_counts()
    {
        var before = Minutes(Defined.AddHours(-2), 60, total: 100, bad: 100);
        var status = SloCalculator.Compute(Availability(), Defined, before, Defined.AddHours(1));
        Assert.True(status.NoData);
        Assert.Equal(1.0, status.Budget.Remaining);
    }

    [Fact]
    public void an_slo_of_a_one_hour_window_has_numbers_its_period_burning_as_its_last_hour()
    {
        // The period of a rolling 1h window is as long as the reported 1h window: two windows of one length, one number.
        var window = Availability(target: 0.99, window: SloWindow.Rolling(TimeSpan.FromHours(1)));
        var status = SloCalculator.Compute(window, Defined, Minutes(Defined, 60, total: 1000, bad: 20), Defined.AddHours(1));
        var hour = status.BurnRates.Where(b => b.Window == TimeSpan.FromHours(1)).ToList();
        Assert.Equal(2, hour.Count);
        Assert.All(hour, b => Assert.Equal(2.0, b.BurnRate!.Value, 9));
        Assert.Equal(2.0, SloCalculator.HourBurnRate(status.BurnRates)!.Value, 9);
        Assert.Equal(0, status.TimeToExhaustionSeconds);
    }

    [Fact]
    public void occurrences_weigh_by_events_not_by_slice()
    {
        // One busy minute all good (1000 events), one quiet minute all bad (10 events): 99.0099% good, not 50%.
        var slices = new[]
        {
            new SliceObservation(Defined, Defined.AddMinutes(1), 1000, 1000),
            new SliceObservation(Defined.AddMinutes(1), Defined.AddMinutes(2), 0, 10),
        };
        var status = SloCalculator.Compute(Availability(), Defined, slices, Defined.AddMinutes(2));
        Assert.Equal(1000.0 / 1010, status.Sli.Ratio!.Value, 12);
        Assert.Equal(1 - 10 / (0.001 * 1010), status.Budget.Remaining, 9);
    }

    [Fact]
    public void an_hour_at_14_4x_fires_the_fast_page_and_spends_2_percent()
    {
        // 30 days of steady traffic, then an hour at 1.44% errors (burn 14.4 against 99.9%): just above the factor.
        var at = Defined.AddDays(30);
        var steady = Minutes(Defined, 30 * 24 * 60 - 60, total: 1000, bad: 0);
        var burning = Minutes(at.AddHours(-1), 60, total: 1000, bad: 15);
        var status = SloCalculator.Compute(Availability(), Defined, steady.Concat(burning), at);

        var oneHour = status.BurnRates.Single(b => b.Window == TimeSpan.FromHours(1));
        Assert.Equal(15, oneHour.BurnRate!.Value, 9);
        var fast = status.Conditions[0];
        Assert.True(fast.Firing);
        Assert.True(status.Page);
        Assert.False(status.Conditions[1].Firing); // 6h at 2.5x stays under 6
        Assert.Equal(1 - 60 * 15 / (0.001 * 30 * 24 * 60 * 1000), status.Budget.Remaining, 9);
    }

    [Fact]
    public void an_alert_needs_both_windows()
    {
        // A burst that ended 10 minutes ago: the hour still burns, the last 5 minutes do not.
        var at = Defined.AddDays(1);
        var slices = Minutes(Defined, 24 * 60 - 60, 1000, 0)
            .Concat(Minutes(at.AddHours(-1), 50, 1000, 50))
            .Concat(Minutes(at.AddMinutes(-10), 10, 1000, 0));
        var status = SloCalculator.Compute(Availability(), Defined, slices, at);
        var fast = status.Conditions[0];
        Assert.True(fast.LongBurnRate > fast.Factor);
        Assert.Equal(0, fast.ShortBurnRate);
        Assert.False(fast.Firing);
    }

    [Fact]
    public void too_few_events_never_alert()
    {
        var at = Defined.AddHours(2);
        var slices = Minutes(Defined, 120, total: 1, bad: 1);
        var quiet = SloCalculator.Compute(Availability(alerting: new AlertingOptions(MinEvents: 1000)), Defined, slices, at);
        var loud = SloCalculator.Compute(Availability(), Defined, slices, at);
        Assert.False(quiet.Page);
        Assert.True(loud.Page);
    }

    [Fact]
    public void calendar_month_restarts_at_the_boundary_in_the_slo_time_zone()
    {
        var window = SloWindow.Calendar(CalendarUnit.Month, "Europe/Berlin");
        // 1 November 00:00 in Berlin is 31 October 23:00 UTC.
        var lastOctober = Minutes(new DateTimeOffset(2026, 10, 31, 22, 0, 0, TimeSpan.Zero), 60, 100, 100);
        var firstNovember = Minutes(new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero), 60, 100, 0);
        var status = SloCalculator.Compute(Availability(window: window), Defined, lastOctober.Concat(firstNovember),
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero), status.PeriodStart);
        Assert.Equal(TimeSpan.FromDays(30), status.PeriodLength);
        Assert.Equal(1.0, status.Budget.Remaining);
    }

    [Fact]
    public void timeslices_count_good_slices_and_ratio_timeslices_average_them()
    {
        var slices = new[]
        {
            new SliceObservation(Defined, Defined.AddMinutes(1), 99, 100),
            new SliceObservation(Defined.AddMinutes(1), Defined.AddMinutes(2), 90, 100),
            new SliceObservation(Defined.AddMinutes(2), Defined.AddMinutes(3), 0, 0),
        };
        var at = Defined.AddMinutes(3);
        var timeslices = SloCalculator.Compute(Availability(0.9, budgeting: new(BudgetingMethod.Timeslices, TimeSpan.FromMinutes(1), 0.95)),
            Defined, slices, at);
        var ratio = SloCalculator.Compute(Availability(0.9, budgeting: new(BudgetingMethod.RatioTimeslices, TimeSpan.FromMinutes(1))),
            Defined, slices, at);
        Assert.Equal((1m, 2m), (timeslices.Sli.Good, timeslices.Sli.Total));
        Assert.Equal(0.945, ratio.Sli.Ratio!.Value, 12);
    }

    [Fact]
    public void rate_slices_are_good_above_the_minimum_and_without_a_steep_drop()
    {
        var def = Availability() with
        {
            Sli = new SliSpec(SliKind.Rate, Rate: new RateRule(1000, MaxDrop: 0.10, DropWindow: TimeSpan.FromMinutes(10))),
        };
        long[] perMinute = [2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 1900, 1700, 900];
        var slices = perMinute.Select((n, i) => new SliceObservation(Defined.AddMinutes(i), Defined.AddMinutes(i + 1), n, n));
        var status = SloCalculator.Compute(def, Defined, slices, Defined.AddMinutes(perMinute.Length));
        // 1900 is a 5% drop (good); 1700 a 15% drop (bad); 900 is under the minimum (bad).
        Assert.Equal((11m, 13m), (status.Sli.Good, status.Sli.Total));
    }
}
