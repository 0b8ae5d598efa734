using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos.Alerting;

public class BacktestMatchesLiveTests
{
    public static TheoryData<string> Methods => ["occurrences", "timeslices"];

    // A day and a half: a two-hour burn at 40x (both pages, both tickets), then bursts that flap the short windows, with
    // minutes without data in between, and a last burst still ticketing at the end.
    private static IReadOnlyList<SliceObservation> Day()
    {
        long Bad(int minute) => minute switch
        {
            >= 300 and < 420 => 40,
            >= 900 and < 960 => minute % 7 < 3 ? 60 : 0,
            >= 2100 and < 2130 => 200,
            _ => 0,
        };
        return Enumerable.Range(0, 36 * 60)
            .Where(i => i % 97 != 0)
            .Select(i => new SliceObservation(Defined.AddMinutes(i), Defined.AddMinutes(i + 1), 1000 - Bad(i), 1000)).ToList();
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void a_backtest_of_the_slos_own_conditions_raises_and_clears_when_the_live_evaluator_does(string method)
    {
        var def = method == "timeslices"
            ? Availability(budgeting: new Budgeting(BudgetingMethod.Timeslices, TimeSpan.FromMinutes(5), 0.99))
            : Availability(alerting: new AlertingOptions(MinEvents: 500));
        var slices = Day();
        var (from, to, step) = (Defined, Defined.AddHours(36), TimeSpan.FromMinutes(1));

        // The live evaluator, minute by minute: the status from all the slices, the transitions against the stream.
        var slo = Slo.Create(new SloDefined(Guid.NewGuid(), def, Defined, "test"));
        var live = new List<(string Severity, string Rule, DateTimeOffset Start, DateTimeOffset? End)>();
        for (var at = from; at <= to; at += step)
        {
            foreach (var e in SloEvaluation.Transitions(slo, SloCalculator.Compute(def, Defined, slices, at), 0, at))
            {
                switch (e)
                {
                    case BurnRateAlertRaised r:
                        slo = slo.Apply(r);
                        live.Add((r.Severity, new BurnCondition(r.Severity, r.LongWindow, r.ShortWindow, r.Factor).Key, at, null));
                        break;
                    case BurnRateAlertCleared c:
                        slo = slo.Apply(c);
                        var key = new BurnCondition(c.Severity, c.LongWindow, c.ShortWindow, c.Factor).Key;
                        var open = live.FindLastIndex(a => a.Rule == key && a.End is null);
                        live[open] = live[open] with { End = at };
                        break;
                }
            }
        }

        var backtest = AlertingBacktest.Run(def, Defined, slices, from, to, step,
            [AlertingStrategies.Of(AlertingStrategyKind.MultiWindowMultiBurnRate, TimeSpan.FromDays(30))]);

        Assert.Equal(4, live.Select(a => a.Rule).Distinct().Count()); // every condition fired at least once
        Assert.Contains(live, a => a.End is null);
        Assert.Equal(
            live.OrderBy(a => a.Start).ThenBy(a => a.Rule, StringComparer.Ordinal),
            backtest.Strategies[0].Alerts.Select(a => (a.Severity, a.Rule, a.Start, a.End)));
    }
}
