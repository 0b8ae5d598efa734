using Sre.Domain.Slos;
using Sre.Domain.Slos.Alerting;
using static Sre.Domain.Tests.Slos.SloGiven;

namespace Sre.Domain.Tests.Slos.Alerting;

/// <summary>
/// Thirty days of 1,000 requests a minute against 99.9% (1 error a minute is burn rate 1), evaluated every minute, with
/// three outages: a short sharp one (day 5, 10:00–10:30, 10% errors), a long slow burn (day 12, a whole day at 0.5%)
/// and a blip under the threshold (day 22, 12:00–12:10, 1%). Significant: 2% of the budget within 1h, or 10% within 3
/// days. Every expectation below is worked out by hand in the comments, from the windows' bad counts.
/// </summary>
public class AlertingBacktestTests
{
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);
    private static readonly IReadOnlyList<SignificanceRule> Significance = [new(0.02, TimeSpan.FromHours(1)), new(0.10, TimeSpan.FromDays(3))];

    private static DateTimeOffset Day(int day, int hour = 0, int minute = 0) => Defined.AddDays(day).AddHours(hour).AddMinutes(minute);

    private static IReadOnlyList<SliceObservation> ThreeOutages()
    {
        long BadAt(DateTimeOffset start) =>
            start >= Day(5, 10) && start < Day(5, 10, 30) ? 100
            : start >= Day(12) && start < Day(13) ? 5
            : start >= Day(22, 12) && start < Day(22, 12, 10) ? 10
            : 0;
        return Minutes(Defined, 30 * 24 * 60, 1000, 0).Select(s => s with { Good = s.Total - BadAt(s.Start) }).ToList();
    }

    private static AlertingBacktestResult Backtest(IReadOnlyList<SliceObservation> slices, SloDefinition? def = null, DateTimeOffset? to = null) =>
        AlertingBacktest.Run(def ?? Availability(), Defined, slices, Defined, to ?? Day(30), TimeSpan.FromMinutes(1),
            AlertingStrategies.All.Select(k => AlertingStrategies.Of(k, Month)).ToList(), Significance);

    private static StrategyBacktest Of(AlertingBacktestResult r, AlertingStrategyKind kind) => r.Strategies.Single(s => s.Kind == kind);

    private static (string, DateTimeOffset, DateTimeOffset?)[] Alerts(StrategyBacktest s) =>
        s.Alerts.Select(a => (a.Severity, a.Start, a.End)).ToArray();

    private static readonly AlertingBacktestResult Result = Backtest(ThreeOutages());

    [Fact]
    public void the_sharp_outage_and_the_slow_burn_are_budget_events_and_the_blip_is_not()
    {
        // Sharp: an hour holding ≥ 9 of its minutes (900 ≥ 864 bad = 14.4 × 60) spends 2%: hot from 10:09 to 11:21.
        // It spent 3,000 bad ÷ (0.001 × 30,000 events × 30 days ÷ 30 minutes) = 5/72 of a period's budget.
        // Slow: three days holding ≥ 864 of its minutes (4,320 bad) spend 10%: hot from day 12 14:24 to day 15 09:36;
        // 7,200 bad ÷ 43,200 = 1/6. The blip spends 100 bad: 0.23% of the budget in its hour.
        Assert.Collection(Result.Events,
            a =>
            {
                Assert.Equal((Day(5, 10), Day(5, 10, 30), 3000m), (a.Start, a.End, a.Bad));
                Assert.Equal(5.0 / 72, a.Spent, 12);
                Assert.Equal((Day(5, 9, 9), Day(5, 11, 21)), (a.HotFrom, a.HotTo));
            },
            b =>
            {
                Assert.Equal((Day(12), Day(13), 7200m), (b.Start, b.End, b.Bad));
                Assert.Equal(1.0 / 6, b.Spent, 12);
                Assert.Equal((Day(9, 14, 24), Day(15, 9, 36)), (b.HotFrom, b.HotTo));
            });
    }

    [Fact]
    public void each_strategy_raises_the_alerts_its_windows_give()
    {
        // 1: 10 minutes with ≥ 10 bad. Sharp: from its first minute until its last leaves (10:40); slow: from its second
        // minute (10 bad) until fewer than two of its minutes remain (day 13 00:09); blip: 12:01 to 12:20.
        Assert.Equal([("page", Day(5, 10, 1), Day(5, 10, 40)), ("page", Day(12, 0, 2), Day(13, 0, 9)), ("page", Day(22, 12, 1), Day(22, 12, 20))],
            Alerts(Of(Result, AlertingStrategyKind.ShortWindow)));
        // 2: 36 hours with ≥ 2,160 bad. Sharp: 22 minutes in (10:22) until 21 remain (10:09 + 36h); slow: 432 minutes in
        // (07:12) until 431 remain (16:49 + 36h).
        Assert.Equal([("page", Day(5, 10, 22), Day(6, 22, 9)), ("page", Day(12, 7, 12), Day(14, 4, 49))],
            Alerts(Of(Result, AlertingStrategyKind.LongWindow)));
        // 3: strategy 1 held for an hour: the sharp outage holds 39 minutes, never; the slow burn from 00:02, fires at 01:02.
        Assert.Equal([("page", Day(12, 1, 2), Day(13, 0, 9))], Alerts(Of(Result, AlertingStrategyKind.AlertDuration)));
        // 4: an hour with > 2,160 bad (36 × 60): sharp from 10:22 until 21 minutes remain in the hour (11:09).
        Assert.Equal([("page", Day(5, 10, 22), Day(5, 11, 9))], Alerts(Of(Result, AlertingStrategyKind.BurnRate)));
        // 5: 1h > 864 (10:09 to 11:22), 6h > 2,160 (10:22 to 16:09), 3d > 4,320 (865 slow minutes: 14:25, until 864
        // remain: day 15 09:36).
        Assert.Equal([("page", Day(5, 10, 9), Day(5, 11, 22)), ("page", Day(5, 10, 22), Day(5, 16, 9)), ("ticket", Day(12, 14, 25), Day(15, 9, 36))],
            Alerts(Of(Result, AlertingStrategyKind.MultipleBurnRates)));
        // 6: the same long windows, and the short ones end them: 5m > 72 until the last sharp minute leaves (10:35);
        // 30m > 180 while two remain (10:59); 2h > 360 and 6h > 360 while 73 slow minutes remain (00:48 and 04:48).
        Assert.Equal([("page", Day(5, 10, 9), Day(5, 10, 35)), ("page", Day(5, 10, 22), Day(5, 10, 59)),
                ("ticket", Day(12, 14, 25), Day(13, 0, 48)), ("ticket", Day(12, 14, 25), Day(13, 4, 48))],
            Alerts(Of(Result, AlertingStrategyKind.MultiWindowMultiBurnRate)));
    }

    [Fact]
    public void the_workbooks_table_as_numbers()
    {
        var m = AlertingStrategies.All.ToDictionary(k => k, k => Of(Result, k).Measures);
        var (shortWindow, longWindow, duration, burnRate, several, mwmbr) = (m[AlertingStrategyKind.ShortWindow], m[AlertingStrategyKind.LongWindow],
            m[AlertingStrategyKind.AlertDuration], m[AlertingStrategyKind.BurnRate], m[AlertingStrategyKind.MultipleBurnRates], m[AlertingStrategyKind.MultiWindowMultiBurnRate]);

        // Short window: fast, but the blip pages (2 of 3 significant).
        Assert.Equal((3, 2, 2.0 / 3, 2), (shortWindow.Alerts, shortWindow.SignificantAlerts, shortWindow.Precision!.Value, shortWindow.DetectedEvents));
        Assert.Equal(new DurationSummary(2, TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)), shortWindow.Detection);
        // Long window: precise, but it keeps firing 35h39m and 28h49m after the outages end.
        Assert.Equal((1.0, 1.0), (longWindow.Precision, longWindow.Recall));
        Assert.Equal(new DurationSummary(2, new TimeSpan(32, 14, 0), new TimeSpan(28, 49, 0), new TimeSpan(35, 39, 0)), longWindow.Reset);
        // Duration and one burn rate: precise, each misses one outage; the duration detects an hour late.
        Assert.Equal((1.0, 0.5, TimeSpan.FromMinutes(62)), (duration.Precision, duration.Recall, duration.Detection.Mean));
        Assert.Equal((1.0, 0.5, TimeSpan.FromMinutes(22)), (burnRate.Precision, burnRate.Recall, burnRate.Detection.Mean));
        // Several burn rates: precise and complete, but the 3-day ticket resets 2d 9h36m after the slow burn.
        Assert.Equal((1.0, 1.0, new TimeSpan(2, 9, 36, 0)), (several.Precision, several.Recall, several.Reset.P90));
        // Multi-window, multi-burn-rate: every alert significant, every event caught, 9 minutes and 14h25m to detect,
        // 29 minutes and 4h48m to reset.
        Assert.Equal((4, 4, 1.0, 2, 2, 1.0), (mwmbr.Alerts, mwmbr.SignificantAlerts, mwmbr.Precision, mwmbr.Events, mwmbr.DetectedEvents, mwmbr.Recall));
        Assert.Equal(new DurationSummary(2, new TimeSpan(7, 17, 0), TimeSpan.FromMinutes(9), new TimeSpan(14, 25, 0)), mwmbr.Detection);
        Assert.Equal(new DurationSummary(2, new TimeSpan(2, 38, 30), TimeSpan.FromMinutes(29), new TimeSpan(4, 48, 0)), mwmbr.Reset);
        Assert.Equal((2, 2), (Of(Result, AlertingStrategyKind.MultiWindowMultiBurnRate).Pages, Of(Result, AlertingStrategyKind.MultiWindowMultiBurnRate).Tickets));

        // The qualitative table: MWMBR has the best precision and recall, the short window the worst precision, and of
        // the strategies that catch both outages the long windows (2, then 5) reset slowest, MWMBR fastest after the short window.
        Assert.All(m.Values, q => Assert.True(mwmbr.Precision >= q.Precision && mwmbr.Recall >= q.Recall));
        Assert.All(m.Values.Where(q => q != shortWindow), q => Assert.True(shortWindow.Precision < q.Precision));
        Assert.Equal(new TimeSpan(31, 37, 30), several.Reset.Mean);
        Assert.True(longWindow.Reset.Mean > several.Reset.Mean && several.Reset.Mean > mwmbr.Reset.Mean && mwmbr.Reset.Mean > shortWindow.Reset.Mean);
    }

    [Fact]
    public void zero_traffic_raises_nothing_finds_nothing_and_measures_nothing()
    {
        var result = Backtest(Minutes(Defined, 3 * 24 * 60, total: 0, bad: 0).ToList(), to: Day(3));
        Assert.Empty(result.Events);
        Assert.All(result.Strategies, s =>
        {
            Assert.Empty(s.Alerts);
            Assert.Equal(new AlertMeasures(0, 0, null, 0, 0, null, DurationSummary.None, DurationSummary.None), s.Measures);
        });
    }

    [Fact]
    public void alerts_without_events_have_no_precision_to_boast_and_no_recall_to_give()
    {
        // Only the blip: strategy 1 pages once, for nothing.
        var blip = Minutes(Defined, 24 * 60, 1000, 0).Select(s => s.Start >= Day(0, 12) && s.Start < Day(0, 12, 10) ? s with { Good = 990 } : s).ToList();
        var result = Backtest(blip, to: Day(1));
        Assert.Empty(result.Events);
        var shortWindow = Of(result, AlertingStrategyKind.ShortWindow).Measures;
        Assert.Equal((1, 0, 0.0, 0, (double?)null), (shortWindow.Alerts, shortWindow.SignificantAlerts, shortWindow.Precision, shortWindow.Events, shortWindow.Recall));
        Assert.Empty(Of(result, AlertingStrategyKind.MultiWindowMultiBurnRate).Alerts);
    }

    [Fact]
    public void every_parameter_can_be_overridden()
    {
        // Strategy 1 over a whole hour (≥ 60 bad) as a ticket: the blip fires at its sixth minute until five remain (13:05).
        var hour = AlertingStrategies.Of(AlertingStrategyKind.ShortWindow, Month, new StrategyOverrides(Window: TimeSpan.FromHours(1), Severity: "ticket"));
        var result = AlertingBacktest.Run(Availability(), Defined, ThreeOutages(), Day(22), Day(23), TimeSpan.FromMinutes(1), [hour]);
        Assert.Equal([("ticket", Day(22, 12, 6), Day(22, 13, 5))], Alerts(result.Strategies[0]));
    }
}
