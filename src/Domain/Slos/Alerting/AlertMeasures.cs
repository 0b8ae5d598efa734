namespace Sre.Domain.Slos.Alerting;

/// <summary>Durations measured over <see cref="Count"/> cases: mean, median and 90th percentile; null when there is none.</summary>
public sealed record DurationSummary(int Count, TimeSpan? Mean, TimeSpan? P50, TimeSpan? P90)
{
    public static readonly DurationSummary None = new(0, null, null, null);

    /// <summary>Mean to the tick (rounded toward zero); percentiles by nearest rank (the value of rank ⌈p·n⌉ in ascending order).</summary>
    public static DurationSummary Of(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return None;
        TimeSpan Rank(int percent) => sorted[(percent * sorted.Count + 99) / 100 - 1];
        var mean = TimeSpan.FromTicks((long)(sorted.Sum(v => (decimal)v.Ticks) / sorted.Count));
        return new DurationSummary(sorted.Count, mean, Rank(50), Rank(90));
    }
}

/// <summary>
/// The four measures of alert quality of the SRE workbook (ch. 5), of a set of alerts against a set of significant
/// events, with their counts; a measure without cases is null, never NaN.
/// <list type="bullet">
/// <item>Matching: an alert matches an event when it starts between the event's start and its end plus the grace
/// period (both included). An alert may match several events (it counts once in precision, and for the detection and
/// reset of each); an event may be matched by several alerts.</item>
/// <item>Precision: alerts that match an event ÷ all alerts (null without alerts).</item>
/// <item>Recall: events matched by an alert ÷ all events (null without events).</item>
/// <item>Detection time: from an event's start to the start of the first alert that matches it, over detected events.</item>
/// <item>Reset time: from an event's end to the end of the last alert that matches it (0 if they all ended before), over
/// detected events whose alerts have all ended; an alert still firing leaves its event without a reset time.</item>
/// </list>
/// </summary>
public sealed record AlertMeasures(
    int Alerts, int SignificantAlerts, double? Precision, int Events, int DetectedEvents, double? Recall,
    DurationSummary Detection, DurationSummary Reset)
{
    /// <summary>How late after an event's end an alert may start and still count for it.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(1);

    public static bool Matches(BacktestAlert alert, ISignificantPeriod e, TimeSpan grace) => alert.Start >= e.Start && alert.Start <= e.End + grace;

    public static AlertMeasures Of(IReadOnlyList<BacktestAlert> alerts, IReadOnlyList<BudgetEvent> events, TimeSpan grace) =>
        Of(alerts, events, (a, e) => Matches(a, e, grace));

    /// <summary>
    /// The same with another matching rule: <paramref name="matches"/> says which alert counts for which event (for
    /// alerts from Alertmanager against the events of several SLOs, the time rule and the same SLO or service; for a
    /// declared incident, also the alerts attached to it). A detection before an event's start counts as 0. An event that
    /// is not <see cref="ISignificantPeriod.Over"/> has no reset time yet.
    /// </summary>
    public static AlertMeasures Of<TEvent>(IReadOnlyList<BacktestAlert> alerts, IReadOnlyList<TEvent> events, Func<BacktestAlert, TEvent, bool> matches)
        where TEvent : ISignificantPeriod
    {
        var significant = alerts.Count(a => events.Any(e => matches(a, e)));
        var matched = events.Select(e => (Event: e, Alerts: alerts.Where(a => matches(a, e)).ToList()))
            .Where(m => m.Alerts.Count > 0)
            .ToList();
        var detection = matched.Select(m => NotBelowZero(m.Alerts.Min(a => a.Start) - m.Event.Start));
        var reset = matched.Where(m => m.Event.Over && m.Alerts.All(a => a.End is not null))
            .Select(m => NotBelowZero(m.Alerts.Max(a => a.End!.Value) - m.Event.End));
        return new AlertMeasures(
            alerts.Count, significant, alerts.Count == 0 ? null : (double)significant / alerts.Count,
            events.Count, matched.Count, events.Count == 0 ? null : (double)matched.Count / events.Count,
            DurationSummary.Of(detection), DurationSummary.Of(reset));
    }

    private static TimeSpan NotBelowZero(TimeSpan t) => t > TimeSpan.Zero ? t : TimeSpan.Zero;
}

/// <summary>A significant event's period: from its start to its end (the end so far while it is not <see cref="Over"/>).</summary>
public interface ISignificantPeriod
{
    DateTimeOffset Start { get; }
    DateTimeOffset End { get; }
    bool Over { get; }
}
