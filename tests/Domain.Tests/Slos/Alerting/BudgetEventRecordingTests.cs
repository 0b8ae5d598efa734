using Sre.Domain.Incidents;
using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos.Alerting;

public class BudgetEventRecordingTests
{
    private static DateTimeOffset At(int minutes) => Defined.AddMinutes(minutes);

    private static BudgetEvent Event(int start, int end, int hotFrom, int hotTo, decimal bad = 10) => new(At(start), At(end), bad, 0.05, At(hotFrom), At(hotTo));

    private static readonly SignificanceRule Rule = new(0.02, TimeSpan.FromHours(1));

    [Fact]
    public void the_search_reaches_back_to_the_first_hot_window_of_each_event_a_new_window_could_join()
    {
        var now = At(3000);
        // A day back is minute 1560: the event ending at 1450 is within two spans (1560 − 120 = 1440) of it, and its hot
        // windows start at 1390; the one ending at 1000 is out of reach.
        Assert.Equal(At(1390), BudgetEventRecording.SearchFrom([Event(900, 1000, 850, 1060), Event(1400, 1450, 1390, 1510)], now, Rule.Within));
        Assert.Equal(At(1560), BudgetEventRecording.SearchFrom([Event(900, 1000, 850, 1060)], now, Rule.Within));
        // Reaching back to 1390 brings the event ending at 1300 (≥ 1390 − 120) in reach: back to its 1200.
        Assert.Equal(At(1200), BudgetEventRecording.SearchFrom([Event(1250, 1300, 1200, 1360), Event(1400, 1450, 1390, 1510)], now, Rule.Within));
    }

    [Fact]
    public void a_search_that_knows_what_changed_starts_there_and_still_reaches_back_to_the_events_it_could_join()
    {
        var now = At(3000);
        Assert.Equal(At(2998), BudgetEventRecording.SearchFrom([Event(900, 1000, 850, 1060)], now, Rule.Within, changedAfter: At(2998)));
        // An event still burning (it ended 8 minutes ago): the search goes back to its first hot window, so it is found whole.
        Assert.Equal(At(2900), BudgetEventRecording.SearchFrom([Event(2950, 2992, 2900, 2992)], now, Rule.Within, changedAfter: At(2998)));
        // A change older than the look back changes nothing before it.
        Assert.Equal(At(1560), BudgetEventRecording.SearchFrom([], now, Rule.Within, changedAfter: At(100)));
    }

    [Fact]
    public void a_new_event_is_recorded_one_that_grew_extends_it_and_a_longer_hot_span_alone_records_nothing()
    {
        var recorded = Event(60, 70, 9, 70);
        var now = At(200);

        var created = Assert.IsType<BudgetEventRecorded>(Assert.Single(BudgetEventRecording.Decide([], [recorded], Rule, now, "evaluator")));
        Assert.Equal((recorded, 0.02, TimeSpan.FromHours(1)), (created.Event, created.Share, created.Within));
        Assert.Empty(BudgetEventRecording.Decide([recorded], [recorded], Rule, now, "evaluator"));
        Assert.Empty(BudgetEventRecording.Decide([recorded], [recorded with { HotTo = At(121) }], Rule, now, "evaluator"));

        var grown = Event(60, 75, 9, 126, bad: 15);
        var extended = Assert.IsType<BudgetEventExtended>(Assert.Single(BudgetEventRecording.Decide([recorded], [grown], Rule, now, "evaluator")));
        Assert.Equal((grown, recorded), (extended.Event, Assert.Single(extended.Extends)));
    }

    [Fact]
    public void the_slo_keeps_the_events_as_extended_and_drops_those_ended_90_days_before_the_newest()
    {
        var old = Event(0, 10, 0, 70);
        var first = Event(60 * 24 * 91, 60 * 24 * 91 + 10, 60 * 24 * 91 - 50, 60 * 24 * 91 + 70);
        var grown = first with { End = first.End.AddMinutes(5), Bad = 15 };
        var slo = new Slo()
            .Apply(new BudgetEventRecorded(old, 0.02, Rule.Within, old.End, "evaluator"))
            .Apply(new BudgetEventRecorded(first, 0.02, Rule.Within, first.End, "evaluator"))
            .Apply(new BudgetEventExtended(grown, [first], 0.02, Rule.Within, grown.End, "evaluator"));
        Assert.Equal([grown], slo.BudgetEvents);
    }

    [Fact]
    public void an_alert_of_another_service_and_slo_matches_no_event_and_triaged_noise_is_never_significant()
    {
        var e = SignificantEvent.Of("checkout-availability", "checkout", Event(60, 70, 9, 70));
        NotifiedAlert Alert(string id, string service, string? slo, int at, AlertVerdict? verdict = null) =>
            new(id, "HighErrorRate", slo, service, At(at), At(at + 30), verdict);
        var alerts = new[]
        {
            Alert("same-slo", "edge", "checkout-availability", 61),
            Alert("same-service", "checkout", null, 62),
            Alert("other", "search", "search-availability", 63),
            Alert("noise", "checkout", null, 64, AlertVerdict.Noise),
        };

        var row = SloAlertQuality.Row("all", alerts, [e], TimeSpan.FromHours(1));

        Assert.Equal(new PrecisionMeasure(0.5, 4, 2, new PrecisionEvidence(0, 2, 0), 1, 1), row.Precision);
        Assert.Equal(new RecallMeasure(1.0, 1, 1, new EventCount(1, 1), new EventCount(0, 0)), row.Recall);
        Assert.Equal(new SecondsSummary(1, 60, 60, 60), row.DetectionSeconds);
    }
}
