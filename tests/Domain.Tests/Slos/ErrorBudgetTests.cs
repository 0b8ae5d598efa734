using Sre.Domain.Slos;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos;

/// <summary>The budget counted in the units of its method, and exact at every threshold.</summary>
public class ErrorBudgetTests
{
    private static readonly DateTimeOffset At = Defined.AddHours(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static SloDefinition Timeslices(double target = 0.999) =>
        Availability(target, budgeting: new(BudgetingMethod.Timeslices, Minute, 0.95));

    /// <summary>60 one-minute slices of 100 requests; the given minutes have 50 errors (a bad slice at a 95% slice target).</summary>
    private static IEnumerable<SliceObservation> Hour(params int[] badMinutes) =>
        Enumerable.Range(0, 60).Select(i => new SliceObservation(Defined.AddMinutes(i), Defined.AddMinutes(i + 1), badMinutes.Contains(i) ? 50 : 100, 100));

    [Fact]
    public void a_timeslices_budget_is_counted_in_the_slices_of_the_whole_window()
    {
        var status = SloCalculator.Compute(Timeslices(), Defined, Hour(30), At);

        // 99.9% of 43,200 minutes allows 43.2 bad minutes; one was bad.
        Assert.Equal(43.2, status.Budget.Allowed, 12);
        Assert.Equal(1 - 1 / 43.2, status.Budget.Remaining, 12);
        Assert.Equal("0.976852", status.Budget.Remaining.ToString("F6", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new SliceCounts(43_200, 60, 0), status.Slices);
    }

    [Fact]
    public void a_slice_without_data_spends_nothing_and_is_counted_as_such()
    {
        var halfTheHour = Hour(30).Where((_, i) => i % 2 == 0);
        var status = SloCalculator.Compute(Timeslices(), Defined, halfTheHour, At);

        Assert.Equal(1 - 1 / 43.2, status.Budget.Remaining, 12);
        Assert.Equal(new SliceCounts(43_200, 30, 30), status.Slices);
        Assert.Equal(1.0 / 30, status.Sli.ErrorRatio!.Value, 12);
    }

    [Fact]
    public void ratio_timeslices_spend_each_slice_error_ratio_of_the_whole_window_budget()
    {
        var def = Availability(0.999, budgeting: new(BudgetingMethod.RatioTimeslices, Minute));
        var status = SloCalculator.Compute(def, Defined, Hour(30), At);
        Assert.Equal(1 - 0.5 / 43.2, status.Budget.Remaining, 12);
    }

    [Fact]
    public void a_rate_sli_is_counted_in_the_minutes_of_the_window()
    {
        var def = Availability(0.999) with { Sli = new SliSpec(SliKind.Rate, Rate: new RateRule(80)) };
        // Ten five-minute slices: one of 300 requests (60 a minute, under the minimum) is five bad minutes.
        var slices = Enumerable.Range(0, 10).Select(i => new SliceObservation(Defined.AddMinutes(5 * i), Defined.AddMinutes(5 * i + 5), 0, i == 3 ? 300 : 1000));
        var status = SloCalculator.Compute(def, Defined, slices, Defined.AddMinutes(50));
        Assert.Equal((45m, 50m), (status.Sli.Good, status.Sli.Total));
        Assert.Equal(1 - 5 / 43.2, status.Budget.Remaining, 12);
    }

    [Fact]
    public void a_timeslices_burn_rate_is_the_budget_share_spent_over_the_window_share()
    {
        var status = SloCalculator.Compute(Timeslices(), Defined, Hour(59), At);
        // One bad minute of the hour's 60: (1 / 60) / 0.001 = 16.67, the rate at which 1/43.2 of the budget goes in an hour.
        Assert.Equal(1000.0 / 60, status.BurnRates.Single(b => b.Window == TimeSpan.FromHours(1)).BurnRate!.Value, 9);
        // 16.67 > 14.4 over 1h and over 5m: the page condition fires.
        Assert.True(status.Page);
        // At that rate the rest of the budget lasts (1 - 1/43.2) × 30 days / 16.67.
        Assert.Equal((1 - 1 / 43.2) * TimeSpan.FromDays(30).TotalSeconds / (1000.0 / 60), status.TimeToExhaustionSeconds!.Value, 3);
    }

    [Theory]
    [InlineData(99, 0.01, false)]
    [InlineData(100, 0.0, true)]
    [InlineData(101, -0.01, true)]
    public void an_occurrences_budget_spent_to_the_last_event_is_exhausted(long bad, double remaining, bool exhausted)
    {
        var def = Availability(0.999);
        var slices = new[] { new SliceObservation(Defined, Defined.AddMinutes(1), 100_000 - bad, 100_000) };
        var status = SloCalculator.Compute(def, Defined, slices, At);

        Assert.Equal(remaining, status.Budget.Remaining);
        var slo = Slo.Create(new SloDefined(SloIds.For(def.Name), def, Defined, "alice"));
        var events = SloEvaluation.Transitions(slo, status, exhaustedAtRemaining: 0, At);
        Assert.Equal(exhausted, events.OfType<ErrorBudgetExhausted>().Any());
    }

    [Theory]
    [InlineData(42, false)] // 43.2 allowed: 42 bad leave 1.2 slices
    [InlineData(43, false)]
    [InlineData(44, true)]
    public void a_timeslices_budget_is_exhausted_only_past_its_last_slice(int badSlices, bool exhausted)
    {
        var slices = Enumerable.Range(0, 60).Select(i => new SliceObservation(Defined.AddMinutes(i), Defined.AddMinutes(i + 1), i < badSlices ? 0 : 100, 100));
        var status = SloCalculator.Compute(Timeslices(), Defined, slices, At);
        Assert.Equal(exhausted, status.Budget.Remaining <= 0);
    }

    [Theory]
    [InlineData(0.9, 2.0, 1999, false)]
    [InlineData(0.9, 2.0, 2000, false)] // burn exactly 2: not above (0.2 / (1 - 0.9) is 2.0000000000000004 in doubles)
    [InlineData(0.9, 2.0, 2001, true)]
    [InlineData(0.999, 14.4, 143, false)]
    [InlineData(0.999, 14.4, 144, false)]
    [InlineData(0.999, 14.4, 145, true)]
    public void a_burn_rate_fires_only_above_its_factor(double target, double factor, long bad, bool firing)
    {
        var def = Availability(target, alerting: new AlertingOptions([new BurnCondition("page", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), factor)]));
        // Every event of both windows in the last minute: the same error ratio over 1h and 5m.
        var slices = new[] { new SliceObservation(At.AddMinutes(-1), At, 10_000 - bad, 10_000) };
        var status = SloCalculator.Compute(def, Defined, slices, At);
        Assert.Equal(firing, status.Page);
    }

    [Theory]
    [InlineData(19, false)]
    [InlineData(20, false)] // exactly 20% of the budget: not more than the policy's 20%
    [InlineData(21, true)]
    public void an_incident_needs_a_postmortem_only_past_the_policy_share(long bad, bool over)
    {
        var def = Availability(0.999);
        var slices = new[] { new SliceObservation(Defined, Defined.AddMinutes(1), 100_000 - bad, 100_000) };
        var spent = IncidentBudget.Spent(def, Defined, slices, Defined, At);
        Assert.Equal(bad / 100.0, spent, 15);
        Assert.Equal(over, spent > 0.2);
    }

    [Fact]
    public void an_exhausted_timeslices_budget_comes_back_once_enough_bad_slices_leave_the_window()
    {
        // 44 bad minutes at the start of the hour: 0.8 over the 43.2 allowed; the first bad minute leaving the window
        // brings the budget back above 0.
        var slices = Enumerable.Range(0, 60).Select(i => new SliceObservation(Defined.AddMinutes(i), Defined.AddMinutes(i + 1), i < 44 ? 0 : 100, 100)).ToList();
        var back = BudgetRecovery.When(Timeslices(), Defined, slices, At, threshold: 0);
        Assert.Equal(Defined.AddMinutes(1) + TimeSpan.FromDays(30), back);
    }

    [Theory]
    [InlineData(99.9, 0.999)]
    [InlineData(99.95, 0.9995)]
    [InlineData(99.99, 0.9999)]
    [InlineData(99.999, 0.99999)]
    [InlineData(95, 0.95)]
    [InlineData(99.5, 0.995)]
    public void a_percent_target_is_the_ratio_as_written(double percent, double ratio) =>
        Assert.Equal(ratio, ErrorBudget.RatioOf(percent));

    [Theory]
    [InlineData(0.95, 949, 0)]
    [InlineData(0.95, 950, 1)] // exactly the slice target: a good slice
    [InlineData(0.999, 999, 1)]
    [InlineData(0.999, 998, 0)]
    public void a_slice_is_good_from_its_slice_target_on(double sliceTarget, long good, int goodSlices)
    {
        var def = Availability(0.9, budgeting: new(BudgetingMethod.Timeslices, Minute, sliceTarget));
        var status = SloCalculator.Compute(def, Defined, [new SliceObservation(Defined, Defined.AddMinutes(1), good, 1000)], At);
        Assert.Equal(goodSlices, status.Sli.Good);
    }

    [Theory]
    [InlineData(0.999, true)]
    [InlineData(0.999999999999999, true)]
    [InlineData(0.9999999999999999, false)] // 1 at the precision the budget is counted in: no budget at all
    [InlineData(1.0, false)]
    [InlineData(0.0, true)] // OpenSLO's target is [0, 1)
    [InlineData(-0.1, false)]
    public void a_target_is_a_ratio_from_0_up_to_1_at_the_budget_precision(double target, bool valid)
    {
        Assert.Equal(valid, ErrorBudget.IsValidTarget(target));
        Assert.Equal(valid, !SloRules.Check(Availability(target)).ContainsKey("target"));
    }

    [Theory]
    [InlineData(ObservationRules.MaxEvents, true)]
    [InlineData(ObservationRules.MaxEvents + 1, false)]
    [InlineData(long.MaxValue, false)]
    public void a_slice_counts_at_most_a_trillion_events(long total, bool valid)
    {
        var errors = new Dictionary<string, string[]>();
        ObservationRules.Check(new ObservedSlice(Defined, Defined.AddMinutes(1), total, 0), new SliSpec(SliKind.Availability), "slices[0]",
            new ObservationLimits(), At, errors);
        Assert.Equal(valid, !errors.ContainsKey("slices[0].total"));
    }

    [Fact]
    public void slices_without_data_are_counted_in_slices_aligned_as_the_budget_counts_them()
    {
        // Defined 30 s into a minute: the period's first slice (its last 30 s) has no data, the 59 after it have.
        var definedAt = Defined.AddSeconds(30);
        var slices = Enumerable.Range(1, 59).Select(i => new SliceObservation(Defined.AddMinutes(i), Defined.AddMinutes(i + 1), 100, 100));
        var status = SloCalculator.Compute(Timeslices(), definedAt, slices, At);
        Assert.Equal(new SliceCounts(43_200, 59, 1), status.Slices);
    }
}
