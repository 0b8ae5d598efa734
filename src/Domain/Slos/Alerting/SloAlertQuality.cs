using Sre.Domain.Incidents;

namespace Sre.Domain.Slos.Alerting;

/// <summary>An alert occurrence as Alertmanager notified it: its rule (alertname), the SLO (label <c>slo</c>) and service it
/// concerns, its first notification, its resolution (null while firing) and its triage verdict.</summary>
public sealed record NotifiedAlert(
    string Id, string AlertName, string? Slo, string Service, DateTimeOffset NotifiedAt, DateTimeOffset? ResolvedAt, AlertVerdict? Verdict);

/// <summary>A recorded budget event of an SLO of a service.</summary>
public sealed record SloBudgetEvent(string Slo, string Service, BudgetEvent Event);

/// <summary>Significant alerts by the evidence they rest on: a triage verdict (actionable), or, untriaged, a budget event they matched.</summary>
public sealed record PrecisionEvidence(int Triaged, int BudgetEvent);

/// <summary>Significant ÷ all alerts (null without alerts); <see cref="Noise"/> alerts were triaged noise, <see cref="Unmatched"/>
/// are untriaged and matched no budget event.</summary>
public sealed record PrecisionMeasure(double? Value, int Alerts, int Significant, PrecisionEvidence Evidence, int Noise, int Unmatched);

/// <summary>Budget events matched by at least one alert ÷ all budget events (null without events).</summary>
public sealed record RecallMeasure(double? Value, int Events, int Detected);

/// <summary>Seconds over <see cref="Count"/> cases: mean, p50, p90 (nearest rank); null without cases.</summary>
public sealed record SecondsSummary(int Count, double? Mean, double? P50, double? P90)
{
    public static SecondsSummary Of(DurationSummary d) => new(d.Count, d.Mean?.TotalSeconds, d.P50?.TotalSeconds, d.P90?.TotalSeconds);
}

/// <summary>The four measures of one rule, SLO or service (<see cref="Key"/>).</summary>
public sealed record AlertQualityRow(
    string Key, PrecisionMeasure Precision, RecallMeasure Recall, SecondsSummary DetectionSeconds, SecondsSummary ResetSeconds);

/// <summary>The four measures over everything, and per alert rule, per SLO and per service.</summary>
public sealed record AlertQualityMeasures(
    AlertQualityRow Overall, IReadOnlyList<AlertQualityRow> Rules, IReadOnlyList<AlertQualityRow> Slos, IReadOnlyList<AlertQualityRow> Services);

/// <summary>
/// Alert quality of real alerts against recorded budget events (SRE workbook ch. 5), the maths of <see cref="AlertMeasures"/>
/// with its matching rule (the alert's first notification between the event's start and its end plus the grace), where an
/// alert only matches the events of its SLO (label <c>slo</c>) or of its service (<see cref="Related"/>).
/// <list type="bullet">
/// <item>Precision: an alert is significant when triaged actionable, or, untriaged, when it matched a budget event; triaged
/// noise never is, whatever it matched.</item>
/// <item>Recall, detection time (event start → first matching notification) and reset time (event end → the last matching
/// alert's resolution, 0 if before) count every alert that matched, triaged or not.</item>
/// <item>A rule's events are those related to any of its alerts; an SLO's alerts those related to it; a service's alerts
/// those of the service or of one of its SLOs, and its events those of its SLOs.</item>
/// </list>
/// </summary>
public static class SloAlertQuality
{
    public static bool Related(NotifiedAlert a, SloBudgetEvent e) => a.Slo == e.Slo || a.Service == e.Service;

    /// <summary>The measures over everything, then per rule, SLO (every one of <paramref name="slos"/>, with or without events) and service.</summary>
    public static AlertQualityMeasures Compute(
        IReadOnlyList<NotifiedAlert> alerts, IReadOnlyList<SloBudgetEvent> events, IReadOnlyList<(string Name, string Service)> slos, TimeSpan grace)
    {
        var rules = alerts.GroupBy(a => a.AlertName)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Row(g.Key, g.ToList(), events.Where(e => g.Any(a => Related(a, e))).ToList(), grace))
            .ToList();
        var bySlo = slos.DistinctBy(s => s.Name)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => Row(s.Name, alerts.Where(a => a.Slo == s.Name || a.Service == s.Service).ToList(), events.Where(e => e.Slo == s.Name).ToList(), grace))
            .ToList();
        var byService = slos.Select(s => s.Service).Concat(alerts.Select(a => a.Service)).Distinct()
            .Order(StringComparer.Ordinal)
            .Select(service => Row(service,
                alerts.Where(a => a.Service == service || slos.Any(s => s.Service == service && s.Name == a.Slo)).ToList(),
                events.Where(e => e.Service == service).ToList(), grace))
            .ToList();
        return new AlertQualityMeasures(Row("all", alerts, events, grace), rules, bySlo, byService);
    }

    public static AlertQualityRow Row(string key, IReadOnlyList<NotifiedAlert> alerts, IReadOnlyList<SloBudgetEvent> events, TimeSpan grace)
    {
        var alertOf = alerts.ToDictionary(a => a.Id);
        // By reference: two SLOs' events may be equal in value.
        var eventOf = events.ToDictionary(e => (object)e.Event, ReferenceEqualityComparer.Instance);
        bool Related(BacktestAlert a, BudgetEvent e) => SloAlertQuality.Related(alertOf[a.Rule], eventOf[e]);
        static BacktestAlert AsMeasured(NotifiedAlert a) => new("", a.Id, a.NotifiedAt, a.ResolvedAt);

        var budgetEvents = events.Select(e => e.Event).ToList();
        var all = AlertMeasures.Of(alerts.Select(AsMeasured).ToList(), budgetEvents, grace, Related);
        var untriaged = alerts.Where(a => a.Verdict is null).ToList();
        var matchedUntriaged = AlertMeasures.Of(untriaged.Select(AsMeasured).ToList(), budgetEvents, grace, Related).SignificantAlerts;
        var actionable = alerts.Count(a => a.Verdict == AlertVerdict.Actionable);
        var significant = actionable + matchedUntriaged;
        return new AlertQualityRow(
            key,
            new PrecisionMeasure(alerts.Count == 0 ? null : (double)significant / alerts.Count, alerts.Count, significant,
                new PrecisionEvidence(actionable, matchedUntriaged), alerts.Count(a => a.Verdict == AlertVerdict.Noise), untriaged.Count - matchedUntriaged),
            new RecallMeasure(all.Recall, all.Events, all.DetectedEvents),
            SecondsSummary.Of(all.Detection),
            SecondsSummary.Of(all.Reset));
    }
}
