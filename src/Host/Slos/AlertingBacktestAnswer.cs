using Sre.Domain.Slos.Alerting;

namespace Sre.Host.Slos;

/// <summary>
/// The answer of a backtest: the range and step, the significance rules and grace used, the budget events found in the
/// range (start and end, bad units, share of the period's budget spent) and, per strategy, its result.
/// </summary>
public sealed record AlertingBacktestAnswer(
    string Slo, DateTimeOffset From, DateTimeOffset To, TimeSpan Step, IReadOnlyList<SignificanceRule> Significance, TimeSpan Grace,
    IReadOnlyList<BudgetEvent> BudgetEvents, IReadOnlyList<StrategyAnswer> Strategies)
{
    public static AlertingBacktestAnswer Of(string slo, AlertingBacktestResult result, IReadOnlyList<SignificanceRule> significance, TimeSpan grace) =>
        new(slo, result.From, result.To, result.Step, significance, grace, result.Events, result.Strategies.Select(StrategyAnswer.Of).ToList());
}

/// <summary>
/// One strategy's backtest: its rules; its alerts (start, end, null while still firing at <c>to</c>; severity; the rule's
/// key) in order of start; how many pages and tickets; precision (alerts that match a budget event ÷ alerts) and recall
/// (events matched ÷ events), null without cases, with their counts; detection time (event start to first matching
/// alert) and reset time (event end to the end of its last matching alert), in seconds.
/// </summary>
public sealed record StrategyAnswer(
    AlertingStrategyKind Kind, IReadOnlyList<RuleAnswer> Rules, IReadOnlyList<BacktestAlert> Alerts, int Pages, int Tickets,
    double? Precision, int AlertCount, int SignificantAlerts, double? Recall, int Events, int DetectedEvents,
    SecondsSummary Detection, SecondsSummary Reset)
{
    public static StrategyAnswer Of(StrategyBacktest s) => new(
        s.Kind, s.Rules.Select(RuleAnswer.Of).ToList(), s.Alerts, s.Pages, s.Tickets,
        s.Measures.Precision, s.Measures.Alerts, s.Measures.SignificantAlerts, s.Measures.Recall, s.Measures.Events, s.Measures.DetectedEvents,
        SecondsSummary.Of(s.Measures.Detection), SecondsSummary.Of(s.Measures.Reset));
}

/// <summary>
/// A rule of a strategy: it holds when both windows burn faster than <c>factor</c> (at least the factor when
/// <c>atLeast</c>: strategies 1 to 3), and fires once it has held for <c>for</c>. A single-window rule has its short
/// window equal to its long one.
/// </summary>
public sealed record RuleAnswer(string Severity, TimeSpan LongWindow, TimeSpan ShortWindow, double Factor, bool AtLeast, TimeSpan For)
{
    public static RuleAnswer Of(AlertRule r) =>
        new(r.Condition.Severity, r.Condition.LongWindow, r.Condition.ShortWindow, r.Condition.Factor, r.AtLeast, r.For);
}

/// <summary>Durations over <see cref="Count"/> cases in seconds: mean, median and 90th percentile (nearest rank); null without cases.</summary>
public sealed record SecondsSummary(int Count, double? MeanSeconds, double? P50Seconds, double? P90Seconds)
{
    public static SecondsSummary Of(DurationSummary d) => new(d.Count, d.Mean?.TotalSeconds, d.P50?.TotalSeconds, d.P90?.TotalSeconds);
}
