using CsCheck;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos.Alerting;

public class SliceTalliesTests
{
    // Slices of 1 to 7 minutes that may overlap, start before the definition and leave gaps, with zero traffic too.
    private static readonly Gen<SliceObservation> SliceGen =
        Gen.Select(Gen.Int[0, 12 * 60], Gen.Int[1, 7], Gen.Int[0, 50], Gen.Int[0, 100])
            .Select(t =>
            {
                var start = Defined.AddHours(-1).AddMinutes(t.Item1);
                return new SliceObservation(start, start.AddMinutes(t.Item2), t.Item3 - t.Item3 * t.Item4 / 100, t.Item3);
            });

    public static TheoryData<string> Methods => ["occurrences", "timeslices", "ratio-timeslices", "rate"];

    private static SloDefinition Definition(string method) => method switch
    {
        "timeslices" => Availability(budgeting: new Budgeting(BudgetingMethod.Timeslices, TimeSpan.FromMinutes(5), 0.95)),
        "ratio-timeslices" => Availability(budgeting: new Budgeting(BudgetingMethod.RatioTimeslices, TimeSpan.FromMinutes(5))),
        "rate" => Availability() with { Sli = new SliSpec(SliKind.Rate, Rate: new RateRule(10, 0.5, TimeSpan.FromMinutes(10))) },
        _ => Availability(),
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void every_span_tallies_what_the_live_evaluator_tallies(string method)
    {
        var def = Definition(method);
        Gen.Select(SliceGen.Array[0, 120], Gen.Int[0, 13 * 60 * 60], Gen.Int[0, 4 * 60 * 60]).Sample(t =>
        {
            var (slices, atSeconds, lengthSeconds) = t;
            var all = slices.DistinctBy(s => (s.Start, s.End)).ToList();
            var at = Defined.AddSeconds(atSeconds);
            var from = at.AddSeconds(-lengthSeconds);
            var live = SloCalculator.Tallies(def, Defined, all, at)(from);

            var tallies = new SliceTallies(def, Defined, all);
            Same(method, live, tallies.Between(from, at));
        }, iter: 300);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void a_sliding_window_tallies_what_the_live_evaluator_tallies_at_every_step(string method)
    {
        var def = Definition(method);
        Gen.Select(SliceGen.Array[0, 120], Gen.Int[1, 90]).Sample(t =>
        {
            var (slices, windowMinutes) = t;
            var all = slices.DistinctBy(s => (s.Start, s.End)).ToList();
            var window = new SlidingWindow(new SliceTallies(def, Defined, all), TimeSpan.FromMinutes(windowMinutes));
            for (var at = Defined; at <= Defined.AddHours(12); at = at.AddMinutes(3))
                Same(method, SloCalculator.Tallies(def, Defined, all, at)(at.AddMinutes(-windowMinutes)), window.At(at));
        }, iter: 40);
    }

    // Whole units (events, slices, minutes) are exact; a sum of ratios by prefix differences is rounded differently from
    // the live running sum, in its 28th significant digit.
    private static void Same(string method, Tally expected, Tally actual)
    {
        if (method != "ratio-timeslices")
        {
            Assert.Equal(expected, actual);
            return;
        }
        Assert.Equal(expected.Total, actual.Total);
        Assert.InRange(Math.Abs(expected.Good - actual.Good), 0m, 1e-24m);
    }
}
