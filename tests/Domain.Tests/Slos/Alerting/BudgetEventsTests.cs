using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos.Alerting;

public class BudgetEventsTests
{
    private static DateTimeOffset At(int minutes) => Defined.AddMinutes(minutes);

    // 1,000 requests a minute against 99.9%: 864 bad within an hour is exactly 2% of a 30-day budget (14.4 × 60).
    private static List<SliceObservation> Steady(int minutes) => Minutes(Defined, minutes, 1000, 0).ToList();

    private static List<SliceObservation> With(List<SliceObservation> slices, int minute, long bad) =>
        slices.Select(s => s.Start == At(minute) ? s with { Good = s.Total - bad } : s).ToList();

    [Fact]
    public void exactly_the_share_is_significant_and_one_event_less_is_not()
    {
        var exactly = With(Steady(180), 100, 864);
        var found = Assert.Single(BudgetEvents.Find(Availability(), Defined, exactly, Defined, At(180)));
        Assert.Equal((At(100), At(101), 864m, 0.02), (found.Start, found.End, found.Bad, found.Spent));
        Assert.Equal((At(41), At(160)), (found.HotFrom, found.HotTo)); // windows ending at 101 … 160 hold the bad minute

        Assert.Empty(BudgetEvents.Find(Availability(), Defined, With(Steady(180), 100, 863), Defined, At(180)));
    }

    [Fact]
    public void hot_windows_that_touch_are_one_event_from_its_first_bad_slice_to_its_last()
    {
        // A bad minute ending at 101 makes the windows ending at 101 … 160 hot, (41, 160] in all. Another ending at 160
        // overlaps; one ending at 220 starts its windows at (160, 220]: they touch; one ending at 221 is another event.
        Assert.Single(BudgetEvents.Find(Availability(), Defined, With(With(Steady(400), 100, 900), 159, 900), Defined, At(400)));
        var touching = Assert.Single(BudgetEvents.Find(Availability(), Defined, With(With(Steady(400), 100, 900), 219, 900), Defined, At(400)));
        Assert.Equal((At(100), At(220), 1800m), (touching.Start, touching.End, touching.Bad));
        Assert.Equal((At(41), At(279)), (touching.HotFrom, touching.HotTo));
        Assert.Equal(2, BudgetEvents.Find(Availability(), Defined, With(With(Steady(400), 100, 900), 220, 900), Defined, At(400)).Count);
    }

    [Fact]
    public void zero_traffic_and_the_minimum_of_events_find_nothing()
    {
        Assert.Empty(BudgetEvents.Find(Availability(), Defined, Minutes(Defined, 180, 0, 0), Defined, At(180)));
        // 900 bad of 1,000 in an hour that holds 1,000 events: significant, unless the hour needs 1,001 events.
        var quiet = Minutes(Defined, 180, 0, 0).Select(s => s.Start == At(100) ? s with { Good = 100, Total = 1000 } : s).ToList();
        Assert.Single(BudgetEvents.Find(Availability(), Defined, quiet, Defined, At(180)));
        Assert.Empty(BudgetEvents.Find(Availability(alerting: new AlertingOptions(MinEvents: 1001)), Defined, quiet, Defined, At(180)));
    }

    [Fact]
    public void late_data_extends_a_recorded_event_and_creates_a_new_one_and_an_unchanged_event_is_not_recorded_again()
    {
        var first = With(Steady(600), 100, 900);
        var recorded = BudgetEvents.Find(Availability(), Defined, first, Defined, At(300));
        Assert.Empty(BudgetEvents.Reconcile(recorded, BudgetEvents.Find(Availability(), Defined, first, Defined, At(600))));

        // A bad minute at 130 arrives late (inside the recorded event's hot windows), and another at 400.
        var late = With(With(first, 130, 900), 400, 900);
        var changes = BudgetEvents.Reconcile(recorded, BudgetEvents.Find(Availability(), Defined, late, Defined, At(600)));

        Assert.Collection(changes,
            extended =>
            {
                Assert.Equal((At(100), At(131), 1800m), (extended.Event.Start, extended.Event.End, extended.Event.Bad));
                Assert.Equal(recorded, extended.Extends);
            },
            created =>
            {
                Assert.Equal((At(400), At(401)), (created.Event.Start, created.Event.End));
                Assert.Empty(created.Extends);
            });
    }

    [Fact]
    public void a_search_over_a_later_range_finds_the_same_event()
    {
        var slices = With(With(Steady(600), 100, 900), 150, 900);
        var whole = Assert.Single(BudgetEvents.Find(Availability(), Defined, slices, Defined, At(600)));
        // From just before its first hot window ends, with data from an hour before that: the same event.
        Assert.Equal(whole, Assert.Single(BudgetEvents.Find(Availability(), Defined, slices.Where(s => s.End > At(40)), At(100), At(600))));
    }
}
